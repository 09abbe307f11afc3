package dev.jtorrent.utp;

/** The five packet types of BEP 29, with the numbers they have in a header's high nibble. */
public enum UtpType {
    /** {@code ST_DATA}: payload, with the next sequence number. */
    DATA,
    /** {@code ST_FIN}: the last sequence number the sender will use ({@code eof_pkt}). */
    FIN,
    /** {@code ST_STATE}: an acknowledgement without payload; it does not take a sequence number. */
    STATE,
    /** {@code ST_RESET}: the sender has no state for this connection. */
    RESET,
    /** {@code ST_SYN}: opens a connection; its connection id is the one the opener receives on. */
    SYN;

    private static final UtpType[] BY_NUMBER = values();

    /** The type numbered {@code number}, or null for a number BEP 29 does not define. */
    static UtpType of(int number) {
        return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }
}
