package dev.jtorrent.utp;

/**
 * The round-trip time and its variance, and from them the retransmission timeout, as BEP 29 gives them:
 * {@code rtt += (sample - rtt) / 8}, {@code rtt_var += (|rtt - sample| - rtt_var) / 4},
 * {@code timeout = max(rtt + 4 * rtt_var, 500 ms)}, 1,000 ms before the first sample, doubled for each timeout in
 * a row and capped at a minute (libtorrent caps it there too).
 */
final class RttEstimator {
    static final long INITIAL_TIMEOUT_MICROS = 1_000_000;
    static final long MIN_TIMEOUT_MICROS = 500_000;
    static final long MAX_TIMEOUT_MICROS = 60_000_000;
    static final long MIN_RECOVERY_MICROS = 10_000;

    private long rttMicros = -1;
    private long varianceMicros;

    void sample(long rtt) {
        if (rtt < 0) {
            return;
        }
        if (rttMicros < 0) {
            rttMicros = rtt;
            varianceMicros = rtt / 2;
        } else {
            varianceMicros += (Math.abs(rttMicros - rtt) - varianceMicros) / 4;
            rttMicros += (rtt - rttMicros) / 8;
        }
    }

    /** The smoothed round-trip time, or -1 before any sample. */
    long rttMicros() {
        return rttMicros;
    }

    /**
     * How long after a fast resend a packet still reported missing counts as lost again: the round trip and four
     * variances, without the timeout's 500 ms floor (which is there for silence, not for a peer that keeps
     * acknowledging later packets), and at least {@link #MIN_RECOVERY_MICROS}.
     */
    long recoveryMicros() {
        return rttMicros < 0 ? INITIAL_TIMEOUT_MICROS : Math.max(rttMicros + 4 * varianceMicros, MIN_RECOVERY_MICROS);
    }

    /** The timeout after {@code timeoutsInARow} timeouts with nothing heard. */
    long timeoutMicros(int timeoutsInARow) {
        long base = rttMicros < 0 ? INITIAL_TIMEOUT_MICROS
                : Math.max(rttMicros + 4 * varianceMicros, MIN_TIMEOUT_MICROS);
        int shift = Math.min(timeoutsInARow, 10);
        return Math.min(base << shift, MAX_TIMEOUT_MICROS);
    }
}
