package dev.jtorrent.utp;

/**
 * The congestion window of BEP 29 (LEDBAT, RFC 6817) as libtorrent runs it, in bytes.
 *
 * <p>Each acknowledgement moves the window by {@code gain * (target - delay) / target * acked / in_flight}: it grows
 * while the queueing delay our packets see is under the 100 ms target and shrinks above it, by at most
 * {@link #GAIN_BYTES} a round trip. Until the first loss or the first delay above target it grows as TCP's slow start
 * does, by the bytes acknowledged; a loss ends slow start, halves the window (once per {@link #LOSS_INTERVAL_NANOS}
 * and once per window of packets, as libtorrent's {@code utp_cwnd_reduce_timer} and {@code m_loss_seq_nr}), and a
 * timeout sets it to one packet and starts slow start again, now bounded by the threshold the loss left. A window
 * that the sender does not fill does not grow. It never falls under one packet (RFC 6817; BEP 29 lets it reach 0
 * and waits for a timeout instead), and never grows past {@link #MAX_WINDOW}.
 */
final class Ledbat {
    static final long TARGET_DELAY_MICROS = 100_000;
    /** libtorrent's {@code utp_gain_factor}: the most the window grows in one round trip outside slow start. */
    static final long GAIN_BYTES = 3_000;
    static final long LOSS_INTERVAL_NANOS = 100_000_000;
    static final long MAX_WINDOW = 64L << 20;
    static final long INITIAL_WINDOW = 1_500;

    private long window = INITIAL_WINDOW;
    private boolean slowStart = true;
    private long slowStartThreshold;
    private long nextLossAt = Long.MIN_VALUE;

    long window() {
        return window;
    }

    boolean inSlowStart() {
        return slowStart;
    }

    /**
     * @param acked        bytes of payload this acknowledgement took off the flight
     * @param delayMicros  the queueing delay measured (sample minus base), or -1 without a sample
     * @param inFlight     bytes in flight before this acknowledgement
     * @param packetSize   the current packet size, the window's floor
     * @param limited      whether the sender had more to send than the window let it
     */
    void onAck(long acked, long delayMicros, long inFlight, int packetSize, boolean limited) {
        if (acked <= 0 || inFlight <= 0) {
            return;
        }
        long delay = delayMicros < 0 ? 0 : delayMicros;
        if (delay >= TARGET_DELAY_MICROS && slowStart) {
            slowStartThreshold = window / 2;
            slowStart = false;
        }
        double windowFactor = Math.min(1.0, (double) acked / inFlight);
        double delayFactor = (double) (TARGET_DELAY_MICROS - delay) / TARGET_DELAY_MICROS;
        long linear = (long) (GAIN_BYTES * windowFactor * delayFactor);
        long gain = 0;
        if (limited) {
            gain = linear;
            if (slowStart) {
                if (slowStartThreshold != 0 && window + acked > slowStartThreshold) {
                    slowStart = false;
                } else {
                    gain = Math.max(acked, linear);
                }
            }
        }
        window = Math.clamp(window + gain, packetSize, MAX_WINDOW);
    }

    /** A packet was lost; returns whether the window was cut (at most once each {@link #LOSS_INTERVAL_NANOS}). */
    boolean onLoss(long now, int packetSize) {
        if (now < nextLossAt) {
            return false;
        }
        nextLossAt = now + LOSS_INTERVAL_NANOS;
        window = Math.max(window / 2, packetSize);
        if (slowStart) {
            slowStartThreshold = window;
            slowStart = false;
        }
        return true;
    }

    /** Nothing was acknowledged for a whole timeout: back to one packet, slow start again. */
    void onTimeout(int packetSize, boolean idle) {
        if (idle) {
            window = Math.max(window * 2 / 3, packetSize); // only this direction was quiet: decay, as libtorrent
            return;
        }
        window = packetSize;
        slowStart = true;
    }

    /** The packet size grew past the window: one packet must still fit. */
    void atLeast(int packetSize) {
        window = Math.max(window, packetSize);
    }
}
