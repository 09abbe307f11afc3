package dev.jtorrent.utp;

import java.nio.ByteBuffer;

/**
 * The packets received ahead of a gap, kept until the gap fills, and the selective ACK that tells the sender which
 * they are. Each is a copy of its payload (allocation happens only when packets arrive out of order), counted in its
 * connection's window and in the endpoint's {@link OutOfOrderBudget}; at most {@code maxAhead} sequence numbers past
 * the last in-order one are kept, the rest dropped, as libtorrent drops what does not fit its reorder buffer.
 */
final class Reassembly {
    /** The selective ACK covers 1,024 packets at most: 128 bytes, a multiple of 4 as BEP 29 asks. */
    static final int MAX_SACK_BYTES = 128;
    private static final int MASK = InFlight.SLOTS - 1;

    private final byte[][] held = new byte[InFlight.SLOTS][];
    private final int maxAhead;
    private final OutOfOrderBudget budget;
    private int count;
    private long bytes;
    /** The furthest sequence number held, as a distance past the last in-order one. */
    private int furthest;

    Reassembly(int maxAhead, OutOfOrderBudget budget) {
        this.maxAhead = Math.min(maxAhead, MAX_SACK_BYTES * 8 + 1);
        this.budget = budget;
    }

    int count() {
        return count;
    }

    long bytes() {
        return bytes;
    }

    /** Whether {@code seq}, {@code ahead} past the last in-order one, may be kept at all. */
    boolean withinReach(int ahead) {
        return ahead >= 2 && ahead <= maxAhead;
    }

    boolean holds(int seq) {
        return held[seq & MASK] != null;
    }

    /** Keeps a copy of a payload; false if the endpoint's budget has no room for it. */
    boolean keep(int seq, int ahead, ByteBuffer datagram, int offset, int length) {
        if (!budget.tryTake(length)) {
            return false;
        }
        byte[] copy = new byte[length];
        datagram.get(offset, copy);
        held[seq & MASK] = copy;
        count++;
        bytes += length;
        furthest = Math.max(furthest, ahead);
        return true;
    }

    /** Takes out the packet {@code seq} if it is held, else null. */
    byte[] take(int seq) {
        byte[] payload = held[seq & MASK];
        if (payload != null) {
            held[seq & MASK] = null;
            count--;
            bytes -= payload.length;
            budget.give(payload.length);
        }
        return payload;
    }

    /** The in-order sequence number moved one on: distances shrink by one. */
    void advanced() {
        furthest = count == 0 ? 0 : Math.max(0, furthest - 1);
    }

    /** The size of the selective ACK to send after {@code ackNr}, 0 if nothing is held. */
    int sackBytes() {
        if (count == 0 || furthest < 2) {
            return 0;
        }
        int bits = furthest - 1;
        int length = ((bits + 31) / 32) * 4;
        return Math.min(length, MAX_SACK_BYTES);
    }

    /** Writes the bitmask for packets {@code ackNr + 2} on, least significant bit first in each byte. */
    void writeSack(ByteBuffer dst, int ackNr, int length) {
        int seq = SeqNr.plus(ackNr, 2);
        for (int b = 0; b < length; b++) {
            int mask = 0;
            for (int bit = 0; bit < 8; bit++) {
                if (held[seq & MASK] != null) {
                    mask |= 1 << bit;
                }
                seq = SeqNr.plus(seq, 1);
            }
            dst.put((byte) mask);
        }
    }

    /** Gives back everything (the connection ends). */
    void clear() {
        for (int i = 0; i < held.length; i++) {
            if (held[i] != null) {
                budget.give(held[i].length);
                held[i] = null;
            }
        }
        count = 0;
        bytes = 0;
        furthest = 0;
    }
}
