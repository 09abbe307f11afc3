package dev.jtorrent.budget;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session-wide amount (connections, connection attempts, bytes of memory) that the torrents of a session take
 * from and give back to, each through its {@link Share}. No take makes the total exceed the limit, with one
 * exception: a single take larger than the whole limit is granted while nothing else is taken, so that a piece larger
 * than a memory budget still goes, alone. (The total may be over a limit lowered after it was taken: see below.)
 *
 * <p>Torrents share it fairly. First come, first served while there is room, so a busy torrent may use what idle
 * ones leave. But a share that is refused while it holds less than its fair part (the limit divided by the shares
 * that hold some or wait) is remembered as waiting, and while it waits:
 * <ul>
 *   <li>what is given back goes to waiting shares: a share at or over its fair part is refused even when there is
 *       room;</li>
 *   <li>a share over its fair part is told by {@link Share#excess} to give one back (a connection budget's torrents
 *       close their least useful peer; memory is given back as pieces complete, and {@linkplain Reclaim reclaimed}
 *       from the pools of every share);</li>
 *   <li>each give wakes the waiting shares (their {@code wake}, which posts to the torrent's loop), so that a
 *       torrent without peers, which keeps no clock, tries again.</li>
 * </ul>
 * A waiting share that has not been refused again for {@link #WAIT_NANOS} no longer counts as waiting: a torrent
 * that wants more asks again at least once a second (its tick), and one that stopped asking must not hold the others
 * back. libtorrent shares its {@code connections_limit} first come, first served too, and every few minutes makes
 * the torrent with the most peers drop some, when the session is near its limit.
 *
 * <p>The limit can be changed at any time ({@link #setLimit}). Lowered below what is taken, it takes nothing back by
 * itself: every take is refused until enough was given back to be under it, and then the rules above apply to the
 * new limit (including {@link Share#excess}, which asks a share over its fair part to give one back only while
 * another waits).
 *
 * <p>Thread-safe: swarm threads, disk threads and connection threads take and give at once. The wake and reclaim
 * callbacks are called without the budget's lock held.
 */
public final class FairBudget {
    /** How long a refused share counts as waiting without being refused again. */
    public static final long WAIT_NANOS = 3_000_000_000L;

    private final String name;
    /** Guarded by {@link #lock}. */
    private long limit;
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * The shares that hold some and can {@link Reclaim} spare holdings: a refusal asks only these, not every torrent
     * of a session of thousands; guarded by {@link #lock}.
     */
    private final Set<Share> reclaimers = new LinkedHashSet<>();
    /** The shares refused under their fair part, in the order they were first refused; guarded by {@link #lock}. */
    private final Set<Share> waiting = new LinkedHashSet<>();
    /** Shares that hold more than nothing; guarded by {@link #lock}. */
    private int holders;
    private long used; // guarded by lock
    /** The most ever taken at once; guarded by {@link #lock}. */
    private long peak;

    /**
     * @param name  what is counted, for messages ("connections")
     * @param limit the most that may be taken at once, over all shares; {@link Long#MAX_VALUE} for no limit
     * @throws IllegalArgumentException if {@code limit} is under 1
     */
    public FairBudget(String name, long limit) {
        this.name = name;
        this.limit = requireLimit(limit);
    }

    /** A budget that never refuses: for a swarm run outside a session, as in tests. */
    public static FairBudget unlimited(String name) {
        return new FairBudget(name, Long.MAX_VALUE);
    }

    /** The most that may be taken at once now, over all shares. */
    public long limit() {
        lock.lock();
        try {
            return limit;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Changes the limit at once. Raised, the shares waiting are woken to take the room. Lowered below what is
     * taken now, nothing is taken back: takes are refused until enough was given back (see {@link FairBudget}).
     *
     * @param limit the most that may be taken at once from now on; {@link Long#MAX_VALUE} for no limit
     * @throws IllegalArgumentException if {@code limit} is under 1
     */
    public void setLimit(long limit) {
        requireLimit(limit);
        List<Share> toWake;
        lock.lock();
        try {
            boolean raised = limit > this.limit;
            this.limit = limit;
            toWake = raised ? new ArrayList<>(waiting) : List.of();
        } finally {
            lock.unlock();
        }
        toWake.forEach(share -> share.wake.run());
    }

    private long requireLimit(long value) {
        if (value < 1) {
            throw new IllegalArgumentException("a budget of " + name + " must be at least 1: " + value);
        }
        return value;
    }

    /** How much is taken now, over all shares. */
    public long used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The most that was ever taken at once: never over the {@link #limit}, but for a single oversized take or a
     * limit lowered since.
     */
    public long peak() {
        lock.lock();
        try {
            return peak;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A new share for one torrent.
     *
     * @param wake    called, on any thread, when something was given back while this share was waiting: it should
     *                try again soon; it must not block
     * @param reclaim asked, on the thread of a share that was refused, to give back what this share holds without
     *                using it (pooled memory); returns at once
     */
    public Share join(Runnable wake, Reclaim reclaim) {
        return new Share(wake, reclaim);
    }

    /** A share without spare holdings to reclaim. */
    public Share join(Runnable wake) {
        return join(wake, Reclaim.NOTHING);
    }

    /** Gives back spare holdings (pooled memory) when another share is refused; see {@link #join}. */
    @FunctionalInterface
    public interface Reclaim {
        Reclaim NOTHING = () -> { };

        /** Gives back, through {@link Share#give}, what the share holds and does not use. */
        void reclaim();
    }

    @Override
    public String toString() {
        return "FairBudget[" + name + ", " + used() + " of " + limit + "]";
    }

    /** One torrent's part of the budget: what it holds, and whether it is waiting for more. */
    public final class Share {
        private final Runnable wake;
        private final Reclaim reclaim;
        private long held; // guarded by the budget's lock
        /** When this share was last refused while under its fair part, if it is {@link #waiting}. */
        private long refusedAt; // guarded by the budget's lock
        private boolean left; // guarded by the budget's lock

        private Share(Runnable wake, Reclaim reclaim) {
            this.wake = wake;
            this.reclaim = reclaim;
        }

        /**
         * Takes {@code amount} if the budget allows it now (see {@link FairBudget}); if not, the shares' spare
         * holdings are reclaimed and it is tried once more, and a share under its fair part is remembered as waiting.
         *
         * @param now the time, as {@link System#nanoTime()}
         */
        public boolean tryTake(long amount, long now) {
            if (amount < 0) {
                throw new IllegalArgumentException("cannot take " + amount + " " + name);
            }
            if (take(amount, now, true)) {
                return true;
            }
            for (Share share : reclaimers()) {
                share.reclaim.reclaim();
            }
            return take(amount, now, true);
        }

        /**
         * Takes {@code amount} if there is room for this share now, without waiting for room to be made: for what
         * cannot wait, such as a connection a peer opened to us (refused, it is closed; it will come again, or not).
         */
        public boolean tryTakeIfFree(long amount, long now) {
            if (amount < 0) {
                throw new IllegalArgumentException("cannot take " + amount + " " + name);
            }
            return take(amount, now, false);
        }

        /**
         * Gives back {@code amount} taken before; wakes the shares that wait. After {@link #leave}, which gave
         * everything back, it does nothing: memory lent out when a torrent stops comes back later.
         */
        public void give(long amount) {
            List<Share> toWake;
            lock.lock();
            try {
                if (left) {
                    return;
                }
                if (amount < 0 || amount > held) {
                    throw new IllegalStateException("cannot give back " + amount + " " + name + " of " + held
                            + " held");
                }
                setHeld(held - amount);
                used -= amount;
                toWake = new ArrayList<>(waiting);
            } finally {
                lock.unlock();
            }
            toWake.forEach(share -> share.wake.run());
        }

        /** Whether another share waits for some of the budget: memory to spare should be given back, not kept. */
        public boolean othersWait() {
            lock.lock();
            try {
                return othersWaitLocked();
            } finally {
                lock.unlock();
            }
        }

        /** How much this share holds now. */
        public long held() {
            lock.lock();
            try {
                return held;
            } finally {
                lock.unlock();
            }
        }

        /**
         * How much this share should give back now so that shares waiting under their fair part get theirs: one
         * unit while it holds more than its fair part, the budget is full and another share waits; else 0.
         */
        public long excess(long now) {
            lock.lock();
            try {
                expireWaiting(now);
                return othersWaitLocked() && used >= limit && held > fairPart(this) ? 1 : 0;
            } finally {
                lock.unlock();
            }
        }

        /** Leaves the budget, giving back whatever this share still holds: its torrent stopped. */
        public void leave() {
            List<Share> toWake;
            lock.lock();
            try {
                if (left) {
                    return;
                }
                left = true;
                used -= held;
                setHeld(0);
                waiting.remove(this);
                toWake = new ArrayList<>(waiting);
            } finally {
                lock.unlock();
            }
            toWake.forEach(share -> share.wake.run());
        }

        private boolean take(long amount, long now, boolean mayWait) {
            lock.lock();
            try {
                if (left) {
                    throw new IllegalStateException("this share of " + name + " has left the budget");
                }
                expireWaiting(now);
                boolean fits = amount <= limit - used || used == 0;
                if (fits && !(othersWaitLocked() && held >= fairPart(this))) {
                    setHeld(held + amount);
                    used += amount;
                    peak = Math.max(peak, used);
                    waiting.remove(this);
                    return true;
                }
                if (mayWait && held < fairPart(this)) {
                    waiting.add(this);
                    refusedAt = now;
                }
                return false;
            } finally {
                lock.unlock();
            }
        }

        /** Whether a share other than this one waits; the lock is held. */
        private boolean othersWaitLocked() {
            return waiting.size() > (waiting.contains(this) ? 1 : 0);
        }

        /** The lock is held. */
        private void setHeld(long value) {
            if (held == 0 && value > 0) {
                holders++;
                if (reclaim != Reclaim.NOTHING) {
                    reclaimers.add(this);
                }
            } else if (held > 0 && value == 0) {
                holders--;
                reclaimers.remove(this);
            }
            held = value;
        }
    }

    private List<Share> reclaimers() {
        lock.lock();
        try {
            return new ArrayList<>(reclaimers);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The limit divided among the shares that hold some or wait, {@code asker} among them (at least 1 each); the
     * lock is held.
     */
    private long fairPart(Share asker) {
        long active = holders;
        for (Share share : waiting) {
            if (share.held == 0 && share != asker) {
                active++;
            }
        }
        if (asker.held == 0) {
            active++;
        }
        return Math.max(1, limit / active);
    }

    /** Forgets shares that were refused long ago and have not asked since; the lock is held. */
    private void expireWaiting(long now) {
        waiting.removeIf(share -> now - share.refusedAt >= WAIT_NANOS);
    }
}
