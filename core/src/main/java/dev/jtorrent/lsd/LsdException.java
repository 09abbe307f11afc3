package dev.jtorrent.lsd;

/** A datagram that is not a well-formed BEP 14 announce within {@link LsdMessage}'s bounds; the message says why. */
public final class LsdException extends Exception {
    private static final long serialVersionUID = 1L;

    LsdException(String message) {
        super(message);
    }
}
