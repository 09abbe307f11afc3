package dev.jtorrent.peer;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The payload bytes a torrent downloads, over all its peers, at most {@code bytesPerSecond}. The connections' readers
 * share it: after each block of piece data, a reader asks how long to wait and reads nothing from its socket until
 * then. The peer's data meanwhile fills the socket buffers, and TCP's flow control slows the peer down, as
 * libtorrent's rate limiter does (it throttles reads from sockets, not requests).
 *
 * <p>A token bucket kept as a clock: {@code paidUntil} is when every byte counted so far will have been paid for at
 * the rate, and the bucket is full again. A block moves it on by its length's worth of time; the bucket holds up to a
 * tenth of a second's worth (at least one 16 KiB block) for a burst, so a reader waits only for what the burst does
 * not cover. Readers are
 * served in the order their blocks came: each waits for the blocks counted before its own, so peers share the limit
 * a block each in turn, and no two wake to race for the same bytes.
 *
 * <p>The rate can be changed while readers read ({@link #setBytesPerSecond}); it holds from the next block each
 * reader counts. A reader already waiting keeps the wait it was given at the old rate. Thread-safe; times are
 * {@link System#nanoTime()} values.
 */
public final class DownloadLimit {
    /** No limit: nobody ever waits. */
    public static final DownloadLimit NONE = new DownloadLimit(0, 0);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MIN_BURST = 16 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    /** Written under {@link #lock}; read without it to skip the lock when there is no limit. */
    private volatile long bytesPerSecond;
    private long burstNanos; // guarded by lock
    private long paidUntil; // guarded by lock

    /**
     * @param bytesPerSecond the rate; 0 for none
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     */
    public DownloadLimit(long bytesPerSecond, long now) {
        this.bytesPerSecond = requireRate(bytesPerSecond);
        this.burstNanos = burstNanos(bytesPerSecond);
        this.paidUntil = now; // a full bucket
    }

    /** Whether there is no limit now. */
    public boolean unlimited() {
        return bytesPerSecond == 0;
    }

    /** The rate now, in bytes a second; 0 for none. */
    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /**
     * Changes the rate at once, as a token bucket does: what the bucket holds at {@code now} is kept (up to the new
     * burst), and refills at the new rate; the blocks read past it are paid for at the new rate, and so is every
     * block counted from now on. From none to a rate, the bucket starts full.
     *
     * @param bytesPerSecond the new rate; 0 for none
     * @throws IllegalArgumentException      if {@code bytesPerSecond} is negative
     * @throws UnsupportedOperationException on {@link #NONE}, which all may share
     */
    public void setBytesPerSecond(long bytesPerSecond, long now) {
        requireRate(bytesPerSecond);
        if (this == NONE) {
            throw new UnsupportedOperationException("the shared DownloadLimit.NONE cannot be changed");
        }
        lock.lock();
        try {
            long old = this.bytesPerSecond;
            if (old == bytesPerSecond) {
                return;
            }
            long burst = bytesPerSecond == 0 ? 0 : burstBytes(bytesPerSecond);
            // What the bucket holds, in bytes (below 0: the blocks read past it), is kept, up to the new burst.
            double tokens = old == 0 ? burst
                    : Math.min(burst, (double) (now + burstNanos - paidUntil) * old / NANOS_PER_SECOND);
            this.bytesPerSecond = bytesPerSecond;
            this.burstNanos = burstNanos(bytesPerSecond);
            paidUntil = bytesPerSecond == 0 ? now
                    : now + burstNanos - (long) Math.floor(tokens * NANOS_PER_SECOND / bytesPerSecond);
        } finally {
            lock.unlock();
        }
    }

    /** Counts {@code bytes} just read; returns the nanoseconds from {@code now} to wait before reading on, or 0. */
    public long delayAfter(int bytes, long now) {
        if (unlimited()) {
            return 0;
        }
        lock.lock();
        try {
            // Time without reading refills the bucket, up to a burst's worth and no more.
            paidUntil = Math.max(paidUntil, now) + nanosFor(bytes);
            return Math.max(0, paidUntil - burstNanos - now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the limit is holding readers back at {@code now}: peers then deliver slower than they could, and a
     * peer that sends nothing for a while is not to be taken for one that snubs us.
     */
    public boolean holdingBack(long now) {
        if (unlimited()) {
            return false;
        }
        lock.lock();
        try {
            return paidUntil - burstNanos > now;
        } finally {
            lock.unlock();
        }
    }

    private long nanosFor(long bytes) {
        return nanosFor(bytes, bytesPerSecond);
    }

    private static long nanosFor(long bytes, long bytesPerSecond) {
        // in double: no overflow for any rate or block, and a rounding error of under a nanosecond a block
        return (long) Math.ceil((double) bytes * NANOS_PER_SECOND / bytesPerSecond);
    }

    private static long burstNanos(long bytesPerSecond) {
        return bytesPerSecond == 0 ? 0 : nanosFor(burstBytes(bytesPerSecond), bytesPerSecond);
    }

    private static long burstBytes(long bytesPerSecond) {
        return Math.max(MIN_BURST, bytesPerSecond / 10);
    }

    private static long requireRate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a download limit must not be negative: " + bytesPerSecond);
        }
        return bytesPerSecond;
    }
}
