package dev.jtorrent.session;

/**
 * When a session's peer connections use protocol encryption (Message Stream Encryption, "MSE/PE", as libtorrent,
 * Transmission and qBittorrent speak it): Transmission's three modes, and libtorrent's {@code pe_disabled}.
 */
public enum Encryption {
    /**
     * Dial with an encrypted handshake offering RC4 or plaintext, and redial in plaintext if it fails; accept both
     * kinds of incoming connection, choosing RC4 when offered. The default, as in Transmission and libtorrent.
     */
    PREFER,
    /** RC4-encrypted connections only, both ways: no plaintext peer is dialled or accepted. */
    REQUIRE,
    /** Dial in plaintext and redial encrypted if that fails; accept both, choosing plaintext when offered. */
    ALLOW,
    /** Plaintext only: encrypted incoming connections are closed. */
    DISABLE
}
