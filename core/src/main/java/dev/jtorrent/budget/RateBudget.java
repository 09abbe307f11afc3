package dev.jtorrent.budget;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

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
 * for its own limit first, then reserves here.
 *
 * <p>The rate can be changed while bytes go through ({@link #setBytesPerSecond}). Reservations are kept as places in
 * the stream of bytes reserved ({@link #claim}), not as times: the bytes reserved before a change and not gone yet
 * go at the new rate, and a caller that asks again when its place goes ({@link #timeOf}) gets the answer of the rate
 * now. A caller that parks until that time {@linkplain RateWaiters#enter enters} the budget's {@link #waiters}
 * first and is woken by a change to ask again, so a raised or removed limit lets it go at once rather than at the
 * time of the old rate. A caller that took a time from {@link #reserve} keeps it: that is one reservation (a block)
 * per caller at the old rate, after which the new one holds.
 *
 * <p>Thread-safe; times are nanoseconds from the clock given (that of {@link System#nanoTime()} in a session).
 */
public final class RateBudget {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MIN_BURST = 16 * 1024;
    /** The place of bytes claimed while there was no limit: they may go at any time. */
    private static final long ANYTIME = Long.MIN_VALUE;

    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final RateWaiters waiters = new RateWaiters();
    /** Written under {@link #lock}; read without it to skip the lock when there is no limit. */
    private volatile long bytesPerSecond;
    // The schedule, guarded by lock: byte anchorPlace of the stream goes at anchorTime, each byte after it at the
    // rate; the bytes before it have gone.
    private long burstNanos;
    private long anchorPlace;
    private long anchorTime;
    /** The end of the bytes reserved so far: where the next reservation's place is. */
    private long end;
    /** False until the first reservation since the limit was set from none: the schedule is not anchored yet. */
    private boolean started;

    /**
     * A budget whose {@link #setBytesPerSecond} reads the time from {@code clock}.
     *
     * @param bytesPerSecond the limit; 0 for none
     * @param clock          nanoseconds from an arbitrary origin, as {@link System#nanoTime()}
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     */
    public RateBudget(long bytesPerSecond, LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.bytesPerSecond = requireRate(bytesPerSecond);
        this.burstNanos = burstNanos(bytesPerSecond);
    }

    /**
     * A budget on the system's clock.
     *
     * @param bytesPerSecond the limit; 0 for none
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     */
    public RateBudget(long bytesPerSecond) {
        this(bytesPerSecond, System::nanoTime);
    }

    /** No limit: every reservation is for now, until a limit is set. */
    public static RateBudget unlimited() {
        return new RateBudget(0);
    }

    /** Whether there is no limit now. */
    public boolean isUnlimited() {
        return bytesPerSecond == 0;
    }

    /** The limit now, in bytes a second; 0 for none. */
    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /**
     * Changes the limit at once, for every caller: the bytes reserved and not gone yet go at the new rate from now
     * (all at once if it is 0), and so do those reserved after; what went before is not counted again. Lowered,
     * it holds from the next reservation of each caller on (see {@link RateBudget}); raised, a caller that asks
     * {@link #timeOf} again gets the earlier time at once. Either way, the callers parked among the {@link #waiters}
     * are woken to ask again.
     *
     * @param bytesPerSecond the new limit; 0 for none
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     */
    public void setBytesPerSecond(long bytesPerSecond) {
        requireRate(bytesPerSecond);
        lock.lock();
        try {
            long old = this.bytesPerSecond;
            if (old == bytesPerSecond) {
                return;
            }
            if (old == 0 || !started) {
                started = false; // nothing is queued: the next reservation starts afresh, a burst's worth at once
            } else {
                long now = clock.getAsLong();
                long endTime = endTime();
                if (endTime - now <= 0) {
                    anchorPlace = end; // everything reserved has gone: keep what is left of the burst
                    anchorTime = endTime;
                } else {
                    // The bytes gone by now at the old rate stay gone; the rest go at the new one from now.
                    anchorPlace = Math.min(end, anchorPlace + bytesIn(now - anchorTime, old));
                    anchorTime = now;
                }
            }
            this.bytesPerSecond = bytesPerSecond;
            this.burstNanos = burstNanos(bytesPerSecond);
        } finally {
            lock.unlock();
        }
        // After the new rate is in place, so that whoever wakes reads it.
        waiters.wakeAll();
    }

    /** The callers parked until the time of a place, woken when the rate changes; see {@link RateWaiters}. */
    public RateWaiters waiters() {
        return waiters;
    }

    /**
     * Reserves {@code bytes}: returns the time, {@code now} or later, at which they may go by the limit as it is
     * now. The caller moves them then, not before, and reserves its next bytes only after that.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public long reserve(long bytes, long now) {
        requireBytes(bytes);
        if (isUnlimited()) {
            return now;
        }
        lock.lock();
        try {
            return timeOfLocked(claimLocked(bytes, now), now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reserves {@code bytes} as {@link #reserve} does, but returns their place in the stream of bytes reserved,
     * for {@link #timeOf}: for a caller that waits on a clock of its own and asks again when it wakes, so that a
     * change of the limit meanwhile counts for its bytes too.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public long claim(long bytes, long now) {
        requireBytes(bytes);
        if (isUnlimited()) {
            return ANYTIME;
        }
        lock.lock();
        try {
            return claimLocked(bytes, now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * When the bytes {@linkplain #claim claimed} at {@code place} may go, by the limit as it is now: {@code now} or
     * later; {@code now} if they may go already, or if there is no limit now.
     */
    public long timeOf(long place, long now) {
        if (place == ANYTIME || isUnlimited()) {
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
     * Whether the budget holds callers back at {@code now}: reservations reach past it. A peer whose blocks come
     * slowly then is not to be blamed for it (snubbed), since its data is waiting in our socket.
     */
    public boolean holdingBack(long now) {
        if (isUnlimited()) {
            return false;
        }
        lock.lock();
        try {
            return bytesPerSecond != 0 && started && endTime() - now > 0;
        } finally {
            lock.unlock();
        }
    }

    /** The lock is held. */
    private long claimLocked(long bytes, long now) {
        if (bytesPerSecond == 0) {
            return ANYTIME; // removed since the caller looked without the lock
        }
        // Time not used is lost beyond the burst: an idle hour earns no hour's worth of bytes.
        long earliest = now - burstNanos;
        if (!started || endTime() - earliest < 0) {
            anchorPlace = end;
            anchorTime = earliest;
            started = true;
        }
        long place = end;
        end += bytes;
        return place;
    }

    /** The lock is held. */
    private long timeOfLocked(long place, long now) {
        if (place == ANYTIME || bytesPerSecond == 0) {
            return now; // also if the limit was removed since the caller looked without the lock
        }
        if (!started) {
            return now; // claimed before the limit was set again from none
        }
        long ahead = place - anchorPlace; // bytes before these that have yet to go
        return Math.max(now, ahead <= 0 ? anchorTime : anchorTime + nanosFor(ahead, bytesPerSecond));
    }

    /** When every byte reserved so far will have gone; the lock is held, the schedule started, a limit set. */
    private long endTime() {
        return anchorTime + nanosFor(end - anchorPlace, bytesPerSecond);
    }

    private static long burstNanos(long bytesPerSecond) {
        return bytesPerSecond == 0 ? 0 : nanosFor(Math.max(MIN_BURST, bytesPerSecond / 10), bytesPerSecond);
    }

    private static long nanosFor(long bytes, long bytesPerSecond) {
        // In double: no overflow for any byte count; rounded up, so the rate is never exceeded.
        return (long) Math.ceil((double) bytes * NANOS_PER_SECOND / bytesPerSecond);
    }

    private static long bytesIn(long nanos, long bytesPerSecond) {
        // Rounded down, the other way from nanosFor: no byte counts as gone before its time.
        return nanos <= 0 ? 0 : (long) Math.floor((double) nanos * bytesPerSecond / NANOS_PER_SECOND);
    }

    private static long requireRate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a rate limit must not be negative: " + bytesPerSecond);
        }
        return bytesPerSecond;
    }

    private static void requireBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot reserve " + bytes + " bytes");
        }
    }

    @Override
    public String toString() {
        long rate = bytesPerSecond;
        return rate == 0 ? "RateBudget[unlimited]" : "RateBudget[" + rate + " B/s]";
    }
}
