package dev.jtorrent.utp;

/** A datagram that is not a well-formed BEP 29 packet within {@link UtpPacket}'s bounds; the message says why. */
public final class UtpPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    UtpPacketException(String message) {
        super(message, null, false, false); // thrown for hostile datagrams: no stack trace to fill in
    }
}
