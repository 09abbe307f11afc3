package dev.jtorrent.utp;

/**
 * The packets a connection sent and the peer has not acknowledged, by sequence number: where each one's payload
 * lies in the stream, when it was last sent, how often, and whether it waits to be sent again. Slots are indexed by
 * the sequence number modulo {@link #SLOTS}, and a sequence number is looked up only inside the range in flight, so
 * an acknowledgement for a number never sent, or sent long ago, finds nothing. At most {@code SLOTS - 1} packets are
 * in flight, far under half the sequence space, so comparisons that wrap stay unambiguous.
 */
final class InFlight {
    static final int SLOTS = 2_048;
    private static final int MASK = SLOTS - 1;

    private final long[] offset = new long[SLOTS];
    private final int[] length = new int[SLOTS];
    private final int[] wireSize = new int[SLOTS];
    private final long[] sentAt = new long[SLOTS];
    private final int[] transmissions = new int[SLOTS];
    private final boolean[] used = new boolean[SLOTS];
    private final boolean[] needResend = new boolean[SLOTS];
    private final int[] fastResends = new int[SLOTS];
    private final UtpType[] type = new UtpType[SLOTS];
    /** The oldest sequence number not acknowledged: {@link #next} when nothing is in flight. */
    private int oldest;
    private int next;
    private int count;
    private long bytesInFlight;
    /** Packets sent before that wait to be sent again: none, in the steady state, so no scan is needed. */
    private int waitingResend;

    InFlight(int firstSeq) {
        oldest = firstSeq;
        next = firstSeq;
    }

    int oldest() {
        return oldest;
    }

    int next() {
        return next;
    }

    int count() {
        return count;
    }

    boolean full() {
        return SeqNr.distance(oldest, next) >= SLOTS - 1;
    }

    /** Payload bytes sent and neither acknowledged nor given up as lost. */
    long bytesInFlight() {
        return bytesInFlight;
    }

    /** Whether {@code seq} was sent and is not yet acknowledged. */
    boolean holds(int seq) {
        return SeqNr.distance(oldest, seq) < SeqNr.distance(oldest, next) && used[seq & MASK];
    }

    /** Takes the next sequence number for a packet; it is in flight once {@link #sent} says so. */
    int add(UtpType packetType, long streamOffset, int payload, int datagramSize) {
        int seq = next;
        int i = seq & MASK;
        offset[i] = streamOffset;
        length[i] = payload;
        wireSize[i] = datagramSize;
        transmissions[i] = 0;
        used[i] = true;
        needResend[i] = true;
        fastResends[i] = 0;
        type[i] = packetType;
        next = SeqNr.plus(next, 1);
        count++;
        return seq;
    }

    /** Records a transmission of {@code seq} at {@code now}. */
    void sent(int seq, long now) {
        int i = seq & MASK;
        if (needResend[i]) {
            needResend[i] = false;
            bytesInFlight += length[i];
            if (transmissions[i] > 0) {
                waitingResend--;
            }
        }
        transmissions[i]++;
        sentAt[i] = now;
    }

    /** Removes an acknowledged packet; returns its payload bytes that were counted in flight. */
    int acknowledge(int seq) {
        int i = seq & MASK;
        used[i] = false;
        count--;
        if (needResend[i] && transmissions[i] > 0) {
            waitingResend--;
        }
        int counted = needResend[i] ? 0 : length[i];
        bytesInFlight -= counted;
        while (oldest != next && !used[oldest & MASK]) {
            oldest = SeqNr.plus(oldest, 1);
        }
        return counted;
    }

    /** Marks every packet in flight as lost (a timeout): none counts as in flight until it is sent again. */
    void loseAll() {
        for (int s = oldest; s != next; s = SeqNr.plus(s, 1)) {
            int i = s & MASK;
            if (used[i]) {
                if (!needResend[i] && transmissions[i] > 0) {
                    waitingResend++;
                }
                needResend[i] = true;
            }
        }
        bytesInFlight = 0;
    }

    /** The first packet from the oldest that waits to be sent again, or -1. */
    int firstToResend() {
        if (waitingResend == 0) {
            return -1;
        }
        for (int s = oldest; s != next; s = SeqNr.plus(s, 1)) {
            int i = s & MASK;
            if (used[i] && needResend[i] && transmissions[i] > 0) {
                return s;
            }
        }
        return -1;
    }

    long offset(int seq) {
        return offset[seq & MASK];
    }

    int length(int seq) {
        return length[seq & MASK];
    }

    int wireSize(int seq) {
        return wireSize[seq & MASK];
    }

    long sentAt(int seq) {
        return sentAt[seq & MASK];
    }

    int transmissions(int seq) {
        return transmissions[seq & MASK];
    }

    UtpType type(int seq) {
        return type[seq & MASK];
    }

    /** Times {@code seq} was resent because later packets were acknowledged and it was not. */
    int fastResends(int seq) {
        return fastResends[seq & MASK];
    }

    void markFastResent(int seq) {
        fastResends[seq & MASK]++;
    }

    /** The stream offset of the oldest byte still needed, or {@code fallback} if nothing is in flight. */
    long oldestOffset(long fallback) {
        return oldest == next ? fallback : offset[oldest & MASK];
    }
}
