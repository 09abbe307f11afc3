package dev.jtorrent.swarm;

/**
 * A transfer rate over the last few seconds: bytes are added as they move, and {@link #rate} decays the past
 * exponentially, as libtorrent's and Transmission's meters do. Time is passed in, so tests control it.
 *
 * <p>The average is divided by the weight its samples carry so far, so that the first seconds do not count as
 * seconds at no rate: the first sample is the rate itself, not 29% of it.
 */
public final class RateMeter {
    private static final double HALF_LIFE_NANOS = 2e9;

    private long total;
    private double rate;
    /** How much of the average the samples so far make up: 1 minus the decay since the first sample. */
    private double weight;
    private long pending;
    private long lastNanos;
    private boolean started;

    public void add(long bytes) {
        total += bytes;
        pending += bytes;
    }

    /** Folds the bytes since the last update into the rate; call about once a second. */
    public void update(long nowNanos) {
        if (!started) {
            started = true;
            lastNanos = nowNanos;
            return;
        }
        long elapsed = nowNanos - lastNanos;
        if (elapsed <= 0) {
            return;
        }
        double instant = pending * 1e9 / elapsed;
        double keep = Math.pow(0.5, elapsed / HALF_LIFE_NANOS);
        rate = rate * keep + instant * (1 - keep);
        weight = weight * keep + (1 - keep);
        pending = 0;
        lastNanos = nowNanos;
    }

    /** Bytes per second. */
    public double rate() {
        return weight == 0 ? 0 : rate / weight;
    }

    public long total() {
        return total;
    }
}
