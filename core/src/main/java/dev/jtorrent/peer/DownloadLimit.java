package dev.jtorrent.peer;

import dev.jtorrent.budget.RateWaiters;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The payload bytes a torrent downloads, over all its peers, at most {@code bytesPerSecond}. The connections' readers
 * share it: after each block of piece data, a reader {@linkplain #count counts} it here and reads nothing from its
 * socket until the {@linkplain #timeOf time} of the block's place. The peer's data meanwhile fills the socket
 * buffers, and TCP's flow control slows the peer down, as libtorrent's rate limiter does (it throttles reads from
 * sockets, not requests).
 *
 * <p>A token bucket: the bucket holds up to a tenth of a second's worth (at least one 16 KiB block) for a burst, so
 * a reader waits only for what the burst does not cover. It is kept as a schedule of the stream of bytes counted:
 * byte {@code anchorPlace} is paid for at {@code anchorTime}, and each byte after it a byte's time later; a block's
 * place is where it ends in the stream, and its reader may read on once its place is paid for, less the burst. Time
 * without reading refills the bucket, up to the burst. Readers are served in the order their blocks came: each waits
 * for the blocks counted before its own, so peers share the limit a block each in turn, and no two wake to race for
 * the same bytes.
 *
 * <p>The rate can be changed while readers read ({@link #setBytesPerSecond}). Since a reader holds a place, not a
 * time, it asks {@link #timeOf} again and gets the answer at the new rate: a reader parked until then
 * {@linkplain RateWaiters#enter enters} the {@link #waiters} first, and every change wakes it to ask again. A
 * reader that took a wait from {@link #delayAfter} keeps it. Thread-safe; times are {@link System#nanoTime()} values.
 */
public final class DownloadLimit {
    /** No limit: nobody ever waits. */
    public static final DownloadLimit NONE = new DownloadLimit(0, 0);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MIN_BURST = 16 * 1024;
    /** The place of bytes counted while there was no limit: the reader may read on at any time. */
    private static final long ANYTIME = Long.MIN_VALUE;

    private final ReentrantLock lock = new ReentrantLock();
    private final RateWaiters waiters = new RateWaiters();
    /** Written under {@link #lock}; read without it to skip the lock when there is no limit. */
    private volatile long bytesPerSecond;
    // The schedule, guarded by lock: byte anchorPlace of the stream is paid for at anchorTime, each byte after it at
    // the rate. While there is no limit, it stands still and is anchored afresh when a limit is set.
    private long burstNanos;
    private long anchorPlace;
    private long anchorTime;
    /** The end of the bytes counted so far. */
    private long end;

    /**
     * @param bytesPerSecond the rate; 0 for none
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     */
    public DownloadLimit(long bytesPerSecond, long now) {
        this.bytesPerSecond = requireRate(bytesPerSecond);
        this.burstNanos = burstNanos(bytesPerSecond);
        this.anchorTime = now; // a full bucket
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
     * block counted from now on. From none to a rate, the bucket starts full. The readers parked among the
     * {@link #waiters} are woken to ask the time of their places again.
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
            long newBurstNanos = burstNanos(bytesPerSecond);
            if (old == 0) {
                anchorPlace = end; // a full bucket
                anchorTime = now;
            } else if (bytesPerSecond != 0) {
                // What the bucket holds, in bytes; below 0, the bytes read past it, which are paid for at the new
                // rate from now. The bytes paid for by now at the old rate stay paid for.
                double held = (double) (now + burstNanos - paidUntil()) * old / NANOS_PER_SECOND;
                if (held >= 0) {
                    anchorPlace = end;
                    anchorTime = now + newBurstNanos
                            - (long) Math.floor(Math.min(burstBytes(bytesPerSecond), held) * NANOS_PER_SECOND
                            / bytesPerSecond);
                } else {
                    anchorPlace = end - (long) Math.ceil(-held);
                    anchorTime = now + newBurstNanos;
                }
            }
            this.bytesPerSecond = bytesPerSecond;
            this.burstNanos = newBurstNanos;
        } finally {
            lock.unlock();
        }
        // After the new rate is in place, so that whoever wakes reads it.
        waiters.wakeAll();
    }

    /**
     * Counts {@code bytes} just read; returns their place, for {@link #timeOf}. The reader reads on at that time,
     * not before.
     */
    public long count(int bytes, long now) {
        if (unlimited()) {
            return ANYTIME;
        }
        lock.lock();
        try {
            return countLocked(bytes, now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * When the reader whose bytes were {@linkplain #count counted} at {@code place} may read on, by the rate as it is
     * now: {@code now} or later; {@code now} if there is no limit now.
     */
    public long timeOf(long place, long now) {
        if (place == ANYTIME || unlimited()) {
            return now;
        }
        lock.lock();
        try {
            return timeOfLocked(place, now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Counts {@code bytes} just read; returns the nanoseconds from {@code now} to wait before reading on, or 0: the
     * wait at the rate now, which a change of the rate does not shorten (see {@link #count} for one that does).
     */
    public long delayAfter(int bytes, long now) {
        if (unlimited()) {
            return 0;
        }
        lock.lock();
        try {
            return timeOfLocked(countLocked(bytes, now), now) - now;
        } finally {
            lock.unlock();
        }
    }

    /** The readers parked until the time of a place, woken when the rate changes; see {@link RateWaiters}. */
    public RateWaiters waiters() {
        return waiters;
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
            return bytesPerSecond != 0 && paidUntil() - burstNanos > now;
        } finally {
            lock.unlock();
        }
    }

    /** The lock is held. */
    private long countLocked(int bytes, long now) {
        if (bytesPerSecond == 0) {
            return ANYTIME; // removed since the caller looked without the lock
        }
        if (paidUntil() - now < 0) {
            // Time without reading refills the bucket, up to a burst's worth and no more.
            anchorPlace = end;
            anchorTime = now;
        }
        end += bytes;
        return end;
    }

    /** The lock is held. */
    private long timeOfLocked(long place, long now) {
        if (place == ANYTIME || bytesPerSecond == 0) {
            return now;
        }
        return Math.max(now, anchorTime + nanosFor(place - anchorPlace, bytesPerSecond) - burstNanos);
    }

    /** When every byte counted so far is paid for, and the bucket is full again; the lock is held, a limit set. */
    private long paidUntil() {
        return anchorTime + nanosFor(end - anchorPlace, bytesPerSecond);
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
