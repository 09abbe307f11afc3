package dev.jtorrent.swarm;

/**
 * A token bucket for the bytes a torrent uploads: {@code bytesPerSecond} flow in, up to a tenth of a second's worth
 * (at least one 16 KiB block) held back for a burst. A block may go whenever the bucket is not in debt, and takes
 * its length out even if that puts it in debt, so a block longer than the burst still goes, once the debt of the
 * ones before it has been paid. Swarm thread only; times are {@link System#nanoTime()} values.
 */
final class UploadLimit {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MIN_BURST = 16 * 1024;

    private final long bytesPerSecond;
    private final long burst;
    private long tokens;
    private long refilled;

    /** @param bytesPerSecond the rate; 0 for none, when every block may go at once */
    UploadLimit(long bytesPerSecond, long now) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("an upload limit must not be negative: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.burst = Math.max(MIN_BURST, bytesPerSecond / 10);
        this.tokens = burst;
        this.refilled = now;
    }

    boolean unlimited() {
        return bytesPerSecond == 0;
    }

    /** Whether {@code bytes} may go now; if so they are counted. */
    boolean tryTake(int bytes, long now) {
        if (nanosUntilAvailable(now) > 0) {
            return false;
        }
        spent(bytes);
        return true;
    }

    /** Counts {@code bytes} that went, once {@link #nanosUntilAvailable} said they could. */
    void spent(int bytes) {
        if (!unlimited()) {
            tokens -= bytes;
        }
    }

    /** Nanoseconds from {@code now} until a block may go; 0 if one may go now. */
    long nanosUntilAvailable(long now) {
        if (unlimited()) {
            return 0;
        }
        refill(now);
        if (tokens >= 0) {
            return 0;
        }
        // Rounded up, so that a wake-up at that time finds the debt paid.
        return Math.ceilDiv(-tokens * NANOS_PER_SECOND, bytesPerSecond);
    }

    private void refill(long now) {
        long elapsed = now - refilled;
        if (elapsed <= 0) {
            return;
        }
        double earned = (double) elapsed * bytesPerSecond / NANOS_PER_SECOND; // in double: no overflow after hours
        if (earned < 1) {
            return; // too little time to earn a byte: keep it for the next call rather than lose it
        }
        tokens = (long) Math.min(burst, tokens + earned);
        refilled = now;
    }
}
