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
 * a block each in turn, and no two wake to race for the same bytes. Thread-safe; times are {@link System#nanoTime()}
 * values.
 */
public final class DownloadLimit {
    /** No limit: nobody ever waits. */
    public static final DownloadLimit NONE = new DownloadLimit(0, 0);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MIN_BURST = 16 * 1024;

    private final long bytesPerSecond;
    private final long burstNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private long paidUntil;

    /** @param bytesPerSecond the rate; 0 for none */
    public DownloadLimit(long bytesPerSecond, long now) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a download limit must not be negative: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.burstNanos = bytesPerSecond == 0 ? 0 : nanosFor(Math.max(MIN_BURST, bytesPerSecond / 10));
        this.paidUntil = now; // a full bucket
    }

    public boolean unlimited() {
        return bytesPerSecond == 0;
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
        // in double: no overflow for any rate or block, and a rounding error of under a nanosecond a block
        return (long) Math.ceil((double) bytes * NANOS_PER_SECOND / bytesPerSecond);
    }
}
