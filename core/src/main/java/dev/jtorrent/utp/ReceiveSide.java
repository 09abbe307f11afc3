package dev.jtorrent.utp;

import java.nio.ByteBuffer;

/**
 * What a connection receives: the bytes in order that wait for the reader (a {@link ByteRing}), the packets ahead
 * of a gap ({@link Reassembly}), the last sequence number received in order ({@code ack_nr}), the end of the stream
 * ({@code eof_pkt}, from the peer's FIN), and the acknowledgement owed.
 *
 * <p>The window advertised is the room left: the receive window minus what waits to be read and what is held out of
 * order. Data that does not fit is dropped (the sender resends it), as libtorrent drops it. After reads free half
 * the window, having advertised less than half, an acknowledgement is owed at once: the sender may be waiting on it.
 */
final class ReceiveSide {
    /** Packets in order received at most before an acknowledgement goes, even in the middle of a burst. */
    static final int ACK_EVERY_PACKETS = 8;
    private final int window;
    private final int maxAhead;
    private final ByteRing ring;
    private final Reassembly reassembly;
    private int ackNr;
    private int eofSeq = -1;
    private boolean eof;
    private boolean ackPending;
    private long unackedBytes;
    private int unackedPackets;
    private long advertised;

    ReceiveSide(UtpLimits limits, OutOfOrderBudget budget) {
        this.window = limits.receiveWindow();
        this.maxAhead = limits.outOfOrderPackets();
        this.ring = new ByteRing(window);
        this.reassembly = new Reassembly(maxAhead, budget);
        this.advertised = window;
    }

    /** The sequence number before the peer's first packet of data. */
    void start(int lastReceived) {
        ackNr = lastReceived;
    }

    int ackNr() {
        return ackNr;
    }

    /** Whether a packet numbered {@code seq} is too far ahead of the stream to be kept. */
    boolean tooFarAhead(int seq) {
        return SeqNr.before(ackNr, seq) && SeqNr.distance(ackNr, seq) > maxAhead;
    }

    /** Takes a packet of data. */
    void data(int seq, ByteBuffer datagram, int offset, int length) {
        ackPending = true;
        if (eofSeq >= 0 && !SeqNr.before(seq, eofSeq)) {
            return; // past the end the peer announced
        }
        int ahead = SeqNr.distance(ackNr, seq);
        if (ahead == 1) {
            if (length > freeWindow()) {
                return; // our window was not honoured: drop, the sender will resend
            }
            ring.write(datagram, offset, length);
            unackedBytes += length;
            unackedPackets++;
            ackNr = seq;
            reassembly.advanced();
            drain();
        } else if (reassembly.withinReach(ahead) && !reassembly.holds(seq) && length <= freeWindow()) {
            reassembly.keep(seq, ahead, datagram, offset, length);
        }
    }

    /** Takes the peer's FIN: the stream ends after {@code seq - 1}, once everything before it arrived. */
    void fin(int seq) {
        ackPending = true;
        int ahead = SeqNr.distance(ackNr, seq);
        if (ahead == 0 || ahead > maxAhead) {
            return; // a FIN behind what we have, or out of reach
        }
        if (eofSeq < 0) {
            eofSeq = seq;
        }
        if (ahead == 1 && seq == eofSeq) {
            ackNr = seq;
            eof = true;
        }
    }

    private void drain() {
        while (true) {
            int next = SeqNr.plus(ackNr, 1);
            if (next == eofSeq) {
                ackNr = next;
                eof = true;
                return;
            }
            byte[] payload = reassembly.take(next);
            if (payload == null) {
                return;
            }
            ring.write(payload, payload.length);
            unackedBytes += payload.length;
            ackNr = next;
            reassembly.advanced();
        }
    }

    /** Moves received bytes into {@code dst}: the count, or -1 at the end of the stream. */
    int read(ByteBuffer dst) {
        int n = ring.read(dst);
        if (n == 0 && eof) {
            return -1;
        }
        if (n > 0 && advertised < window / 2 && freeWindow() >= window / 2) {
            ackPending = true;
        }
        return n;
    }

    int available() {
        return ring.size();
    }

    /** Whether the peer's FIN arrived with everything before it. */
    boolean eof() {
        return eof;
    }

    boolean endOfStream() {
        return eof && ring.size() == 0;
    }

    boolean ackPending() {
        return ackPending;
    }

    /**
     * Whether so much arrived unacknowledged that the ACK should not wait for the end of the burst: a quarter window,
     * or {@link #ACK_EVERY_PACKETS} packets (a reader that never says its socket drained still acknowledges often
     * enough for the sender's window to keep moving), or the stream's end.
     */
    boolean ackOverdue() {
        return unackedBytes >= window / 4 || unackedPackets >= ACK_EVERY_PACKETS || (eof && ackPending);
    }

    long freeWindow() {
        return Math.max(0, window - ring.size() - reassembly.bytes());
    }

    int sackBytes() {
        return reassembly.sackBytes();
    }

    void writeSack(ByteBuffer dst, int length) {
        reassembly.writeSack(dst, ackNr, length);
    }

    /** A packet carrying our acknowledgement and {@code window} went out. */
    void acknowledged(long advertisedWindow) {
        advertised = advertisedWindow;
        ackPending = false;
        unackedBytes = 0;
        unackedPackets = 0;
    }

    long outOfOrderBytes() {
        return reassembly.bytes();
    }

    long allocated() {
        return ring.allocated() + reassembly.bytes();
    }

    void clear() {
        reassembly.clear();
    }
}
