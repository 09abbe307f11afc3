package dev.jtorrent.peer;

/**
 * Why a connection ended: a {@link Kind} for the logic that depends on it (an address that broke the protocol is
 * backed off as a failure), and a detail for people and the log.
 */
public record CloseReason(Kind kind, String detail) {
    /** What ended a connection. */
    public enum Kind {
        /** The peer closed the connection. */
        PEER_CLOSED,
        /** Reading or writing the socket failed. */
        NETWORK_ERROR,
        /** The peer said nothing, or took nothing we sent, for too long. */
        TIMED_OUT,
        /** The peer broke the protocol: a malformed or unasked-for message, requests while choked. */
        PROTOCOL_VIOLATION,
        /** The peer's IP is banned, or has just been, for bad data. */
        BANNED,
        /** We did not want the connection: ourselves, a duplicate, no room, idle, or both sides seeds. */
        NOT_WANTED,
        /** The torrent is stopping. */
        STOPPING,
        /** A fault of ours, not the peer's. */
        INTERNAL_ERROR
    }

    public CloseReason {
        if (kind == null || detail == null) {
            throw new IllegalArgumentException("a close reason needs a kind and a detail");
        }
    }

    public static CloseReason of(Kind kind, String detail) {
        return new CloseReason(kind, detail);
    }

    /** For people: the detail, after "protocol violation: " when the peer broke the protocol. */
    @Override
    public String toString() {
        return kind == Kind.PROTOCOL_VIOLATION ? "protocol violation: " + detail : detail;
    }
}
