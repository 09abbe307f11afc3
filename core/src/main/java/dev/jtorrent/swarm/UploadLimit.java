package dev.jtorrent.swarm;

import dev.jtorrent.budget.RateBudget;
import dev.jtorrent.wire.BlockRef;

/**
 * A token bucket for the bytes a torrent uploads: {@code bytesPerSecond} flow in, up to a tenth of a second's worth
 * (at least one 16 KiB block) held back for a burst. A block may go whenever the bucket is not in debt, and takes
 * its length out even if that puts it in debt, so a block longer than the burst still goes, once the debt of the
 * ones before it has been paid. Swarm thread only; times are {@link System#nanoTime()} values.
 *
 * <p>The session's upload limit, shared by all its torrents, comes after this one: once this bucket lets a block go,
 * the torrent reserves a block's worth of the session's {@link RateBudget} and sends it at the time reserved. It
 * holds one reservation at a time, so the torrents waiting for the session take turns a block each. It keeps its
 * reservation as a place ({@link RateBudget#claim}) and asks for its time at each turn, so that a change of the
 * session's limit counts for it too.
 *
 * <p>The torrent's own rate can be changed while blocks wait ({@link #setBytesPerSecond}), as in any token bucket:
 * what the bucket holds is kept, up to the new burst, and refills at the new rate.
 */
final class UploadLimit {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MIN_BURST = 16 * 1024;

    private final RateBudget session;
    private long bytesPerSecond;
    private long burst;
    private long tokens;
    private long refilled;
    /** Whether the next block holds a reservation of the session's, at {@link #reserved}. */
    private boolean holding;
    /** The next block's place in the session's budget, while {@link #holding}. */
    private long reserved;

    /** @param bytesPerSecond the rate; 0 for none, when every block may go at once */
    UploadLimit(long bytesPerSecond, long now) {
        this(bytesPerSecond, now, RateBudget.unlimited());
    }

    /** A limit of the torrent's own within the session's {@code session}. */
    UploadLimit(long bytesPerSecond, long now, RateBudget session) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("an upload limit must not be negative: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.burst = Math.max(MIN_BURST, bytesPerSecond / 10);
        this.tokens = burst;
        this.refilled = now;
        this.session = session;
    }

    boolean unlimited() {
        return bytesPerSecond == 0;
    }

    long bytesPerSecond() {
        return bytesPerSecond;
    }

    /**
     * Changes the torrent's own rate at {@code now}: what the bucket holds is kept up to the new burst (a bucket that
     * had no rate starts full), and refills at the new rate.
     *
     * @param bytesPerSecond the new rate; 0 for none
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     */
    void setBytesPerSecond(long bytesPerSecond, long now) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("an upload limit must not be negative: " + bytesPerSecond);
        }
        if (bytesPerSecond == this.bytesPerSecond) {
            return;
        }
        if (!unlimited()) {
            refill(now); // what the old rate earned so far is the bucket's
        }
        long newBurst = Math.max(MIN_BURST, bytesPerSecond / 10);
        tokens = unlimited() ? newBurst : Math.min(tokens, newBurst);
        refilled = now;
        this.bytesPerSecond = bytesPerSecond;
        this.burst = newBurst;
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
        holding = false; // the reservation is used: the next block reserves its own
    }

    /** Nanoseconds from {@code now} until a block may go, by this limit and the session's; 0 if one may go now. */
    long nanosUntilAvailable(long now) {
        long own = ownNanosUntilAvailable(now);
        if (own > 0 || session.isUnlimited()) {
            return own;
        }
        if (!holding) {
            reserved = session.claim(BlockRef.SIZE, now);
            holding = true;
        }
        return Math.max(0, session.timeOf(reserved, now) - now);
    }

    private long ownNanosUntilAvailable(long now) {
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
