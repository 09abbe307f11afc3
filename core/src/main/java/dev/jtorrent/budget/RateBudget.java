package dev.jtorrent.budget;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session-wide rate limit (upload or download) that every torrent and connection of the session shares: bytes
 * go through it one reservation at a time, each at the time the ones before it leave free, as packets through a
 * link of {@code bytesPerSecond}. A caller {@linkplain #reserve reserves} the bytes it is about to move and moves them
 * at the time it is given. Since each caller holds one reservation at a time (a torrent's next block, a
 * connection's next block), and reservations are served in the order they were made, the callers waiting take turns,
 * a block each: a torrent with many requests queued does not crowd out one with few, whichever thread wakes first.
 * Transmission and libtorrent likewise share a session's limit among all its peers.
 *
 * <p>After an idle spell, up to a tenth of a second's worth (at least one 16 KiB block) may go at once: the reserved
 * time is never earlier than that burst before now. A per-torrent limit sits in front of this one: the torrent waits
 * for its own limit first, then reserves here. Thread-safe; times are {@link System#nanoTime()} values.
 */
public final class RateBudget {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MIN_BURST = 16 * 1024;

    private final long bytesPerSecond;
    private final long burstNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** When the bytes reserved so far will have gone; guarded by {@link #lock}. */
    private long nextFree;
    private boolean started; // guarded by lock

    /** @param bytesPerSecond the limit; 0 for none */
    public RateBudget(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a rate limit must not be negative: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        long burst = Math.max(MIN_BURST, bytesPerSecond / 10);
        this.burstNanos = bytesPerSecond == 0 ? 0 : nanosFor(burst);
    }

    /** No limit: every reservation is for now. */
    public static RateBudget unlimited() {
        return new RateBudget(0);
    }

    public boolean isUnlimited() {
        return bytesPerSecond == 0;
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /**
     * Reserves {@code bytes}: returns the time, {@code now} or later, at which they may go. The caller moves them
     * then, not before, and reserves its next bytes only after that.
     */
    public long reserve(long bytes, long now) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot reserve " + bytes + " bytes");
        }
        if (isUnlimited()) {
            return now;
        }
        lock.lock();
        try {
            // Time not used is lost beyond the burst: an idle hour earns no hour's worth of bytes.
            long earliest = now - burstNanos;
            long at = started && nextFree - earliest > 0 ? nextFree : earliest;
            started = true;
            nextFree = at + nanosFor(bytes);
            return Math.max(now, at);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the budget holds callers back at {@code now}: reservations reach past it. A peer whose blocks come
     * slowly then is not to be blamed for it (snubbed), since its data is waiting in our socket.
     */
    public boolean holdingBack(long now) {
        if (isUnlimited()) {
            return false;
        }
        lock.lock();
        try {
            return started && nextFree - now > 0;
        } finally {
            lock.unlock();
        }
    }

    /** Reserves {@code bytes} and waits until they may go: for a thread that may block, such as a reader. */
    public void await(long bytes) throws InterruptedException {
        if (isUnlimited()) {
            return;
        }
        long now = System.nanoTime();
        long wait = reserve(bytes, now) - now;
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private long nanosFor(long bytes) {
        // In double: no overflow for any byte count; rounded up, so the rate is never exceeded.
        return (long) Math.ceil((double) bytes * NANOS_PER_SECOND / bytesPerSecond);
    }

    @Override
    public String toString() {
        return isUnlimited() ? "RateBudget[unlimited]" : "RateBudget[" + bytesPerSecond + " B/s]";
    }
}
