package dev.jtorrent.session;

import dev.jtorrent.swarm.NanoClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The session's queue: every torrent's position (0-based, dense, in the order of the adds unless moved), its force
 * start and seed limits, and the session's queue and seed-limit settings; and the one who applies them. {@link
 * #update()} starts the torrents waiting for their turn that {@link QueueRules} lets run; {@link #tick()}, once a
 * {@link #TICK} from the session's thread, also looks at what each running torrent moved ({@link Idleness}), for
 * the stalled rule and the idle limit, and pauses the seeds that reached a seed limit.
 *
 * <p>Thread-safe. Its lock is taken before a torrent's lifecycle lock, never after: whoever holds a lifecycle's
 * lock must not call in here (the lifecycle tells the session once it let go, and its swarms' callbacks do so from
 * a thread of their own). Holding it, this only reads the lifecycles and launches runtimes, which starts threads
 * and posts; pausing a seed (which waits up to 2 s for its trackers) is done on a thread of its own.
 *
 * <p>Positions are not in the resume data: a move shifts every torrent between its two places, which would
 * rewrite as many resume files (a torrent kept in an embedder's store has none at all), and a program that keeps
 * torrents across restarts (a daemon) saves its own list anyway. It reads {@link TorrentHandle#queuePosition()}
 * and {@link TorrentHandle#forceStart()} and gives them back at the next add ({@link AddOptions#queuePosition()},
 * {@link AddOptions#forceStart()}), adding the torrents in the order of their positions, as Transmission restores
 * its queue from each torrent's resume file.
 */
final class TorrentQueue {
    /** How often running torrents are looked at: the stalled rule's and the seed limits' resolution. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** Transmission's {@code download-queue-size}. */
    static final int DEFAULT_DOWNLOAD_QUEUE_SIZE = 5;
    /** Transmission's {@code seed-queue-size}. */
    static final int DEFAULT_SEED_QUEUE_SIZE = 10;
    /** Transmission's {@code queue-stalled-minutes}. */
    static final Duration DEFAULT_STALLED_AFTER = Duration.ofMinutes(30);
    /** Transmission's {@code ratio-limit}. */
    static final double DEFAULT_RATIO_LIMIT = 2.0;
    /** Transmission's {@code idle-seeding-limit}. */
    static final Duration DEFAULT_IDLE_LIMIT = Duration.ofMinutes(30);

    private final EventHub events;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile NanoClock clock = NanoClock.SYSTEM;

    // Guarded by lock.
    private final List<TorrentHandle> order = new ArrayList<>();
    private final Map<TorrentHandle, Entry> entries = new IdentityHashMap<>();
    /** Read without the lock; changed under it. */
    private volatile QueueSettings settings;
    private boolean closed;
    /**
     * The running torrents that counted against each queue at the last full look ({@link #update()}), by {@link
     * QueueRules.Kind}: a torrent checked while its queue is full only waits, without a look at every torrent.
     */
    private final int[] counted = new int[QueueRules.Kind.values().length];
    /** Whether {@link #counted} is as the last full look left it: no look was skipped since. */
    private boolean countsFresh;
    /**
     * Whether some torrent may be waiting: false only after a full look left none, and no torrent was checked since.
     * Nothing can start while none waits, so a look is skipped then (a session of 10,000 seeds would otherwise look
     * at all of them as each of them completes at its start).
     */
    private volatile boolean someWaiting;
    /** How many torrents have a seed limit of their own ({@link SeedLimits.Mode#OWN}). */
    private int ownLimits;

    /** What the queue keeps of one torrent. */
    private static final class Entry {
        boolean forced;
        SeedLimits seedLimits;
        /** What it moved in its present run; null unless it runs. */
        Idleness idleness;
        /** A seed limit is pausing it. */
        boolean stopping;
        /** Its index in {@link #order}, kept as the order changes: a client lists every position at each poll. */
        int position;

        Entry(boolean forced, SeedLimits seedLimits) {
            this.forced = forced;
            this.seedLimits = seedLimits;
        }
    }

    TorrentQueue(SessionConfig config, EventHub events) {
        this.events = events;
        this.settings = QueueSettings.of(config);
    }

    /** Reads the time from {@code value} from now on; for tests on a simulated clock. */
    void useClock(NanoClock value) {
        clock = value;
    }

    // Torrents and their places.

    /** A torrent joins the queue, at {@code position} (past the end: at the end), or else at the end. */
    void add(TorrentHandle handle, OptionalInt position, boolean forced, SeedLimits seedLimits) {
        lock.lock();
        try {
            int at = Math.min(position.orElse(order.size()), order.size());
            order.add(at, handle);
            entries.put(handle, new Entry(forced, seedLimits));
            ownLimits += own(seedLimits);
            renumber(at, order.size() - 1);
        } finally {
            lock.unlock();
        }
    }

    /** A torrent leaves: those after it move up one place. */
    void remove(TorrentHandle handle) {
        lock.lock();
        try {
            Entry entry = entries.remove(handle);
            if (entry != null) {
                order.remove(entry.position);
                ownLimits -= own(entry.seedLimits);
                renumber(entry.position, order.size() - 1);
            }
        } finally {
            lock.unlock();
        }
        update(); // its place may be free
    }

    /** Its position, 0 first. */
    int position(TorrentHandle handle) {
        lock.lock();
        try {
            return entry(handle).position;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves it to {@code index}; those between move one place towards where it was.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not a position in the queue
     */
    void move(TorrentHandle handle, int index) {
        lock.lock();
        try {
            Entry entry = entry(handle);
            if (index < 0 || index >= order.size()) {
                throw new IndexOutOfBoundsException("queue position " + index + " is not in 0.." + (order.size() - 1));
            }
            moveTo(entry, handle, index);
        } finally {
            lock.unlock();
        }
        update();
    }

    /** Moves it {@code by} places towards the end (negative: towards the top), stopping at either end. */
    void moveBy(TorrentHandle handle, int by) {
        lock.lock();
        try {
            Entry entry = entry(handle);
            moveTo(entry, handle, Math.clamp((long) entry.position + by, 0, order.size() - 1));
        } finally {
            lock.unlock();
        }
        update();
    }

    private void moveTo(Entry entry, TorrentHandle handle, int index) {
        int from = entry.position;
        order.remove(from);
        order.add(index, handle);
        renumber(Math.min(from, index), Math.max(from, index));
    }

    /** Sets the position of the torrents at {@code from} to {@code to} in {@link #order}, inclusive. */
    private void renumber(int from, int to) {
        for (int i = from; i <= to; i++) {
            entries.get(order.get(i)).position = i;
        }
    }

    boolean forced(TorrentHandle handle) {
        lock.lock();
        try {
            return entry(handle).forced;
        } finally {
            lock.unlock();
        }
    }

    void setForced(TorrentHandle handle, boolean value) {
        lock.lock();
        try {
            entry(handle).forced = value;
        } finally {
            lock.unlock();
        }
        update();
    }

    SeedLimits seedLimits(TorrentHandle handle) {
        lock.lock();
        try {
            return entry(handle).seedLimits;
        } finally {
            lock.unlock();
        }
    }

    void setSeedLimits(TorrentHandle handle, SeedLimits value) {
        lock.lock();
        try {
            Entry entry = entry(handle);
            ownLimits += own(value) - own(entry.seedLimits);
            entry.seedLimits = value;
        } finally {
            lock.unlock();
        }
        tick(); // at once: a seed past its new limit stops now
    }

    /**
     * A paused seed is resumed by hand: if it is past its ratio limit, its ratio limit goes off, as Transmission's
     * start does ("restarted manually -- disabling its seed ratio"), or it would be paused again at once.
     */
    void resumedByHand(TorrentHandle handle) {
        TorrentStatus status = handle.status();
        lock.lock();
        try {
            Entry entry = entry(handle);
            OptionalDouble limit = entry.seedLimits.ratioLimit(settings.sessionRatioLimit());
            if (status.bytesLeft() == 0 && status.wantedBytes() > 0 && limit.isPresent()
                    && status.ratio() >= limit.getAsDouble()) {
                SeedLimits unlimited = entry.seedLimits.withRatio(SeedLimits.Mode.UNLIMITED, entry.seedLimits.ratio());
                ownLimits += own(unlimited) - own(entry.seedLimits);
                entry.seedLimits = unlimited;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether it runs and is stalled now: the stalled rule is on and it moved no payload for its time. What it
     * moved is observed now, as at a look, so a torrent that moved since the last look is not stalled.
     */
    boolean stalled(TorrentHandle handle) {
        lock.lock();
        try {
            Entry entry = entry(handle);
            long now = clock.nanoTime();
            return observe(handle, entry, now) != null && settings.stalled(entry.idleness.idleNanos(now));
        } finally {
            lock.unlock();
        }
    }

    /**
     * How long it may seed idle before its idle limit pauses it, counted from now (zero once reached); empty
     * unless it runs as a seed with an idle limit in force.
     */
    Optional<Duration> untilIdleLimit(TorrentHandle handle) {
        lock.lock();
        try {
            Entry entry = entry(handle);
            long now = clock.nanoTime();
            TorrentLifecycle.Standing standing = observe(handle, entry, now);
            if (standing == null || standing.kind() != QueueRules.Kind.SEED) {
                return Optional.empty();
            }
            return entry.seedLimits.idleLimit(settings.sessionIdleLimit()).map(limit -> Duration.ofNanos(
                    Math.max(0, limit.toNanos() - entry.idleness.uploadIdleNanos(now))));
        } finally {
            lock.unlock();
        }
    }

    /** Whether a seed limit paused it (or is pausing it), and it has not run since. */
    boolean seedLimitReached(TorrentHandle handle) {
        lock.lock();
        try {
            return entry(handle).stopping;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Holding the lock: if it runs, observes what it moved (its run's idleness begun now if the queue had not
     * seen it run yet) and returns its standing; else null.
     */
    private TorrentLifecycle.Standing observe(TorrentHandle handle, Entry entry, long now) {
        TorrentLifecycle.Standing standing = handle.lifecycle().standing();
        if (standing.standing() != QueueRules.Standing.ACTIVE) {
            return null;
        }
        if (entry.idleness == null) {
            entry.idleness = new Idleness(now);
        }
        entry.idleness.observe(standing.stats().downloaded(), standing.stats().uploaded(), now);
        return standing;
    }

    /** 1 if {@code limits} has a limit of its own, else 0: what it adds to {@link #ownLimits}. */
    private static int own(SeedLimits limits) {
        return limits.ratioMode() == SeedLimits.Mode.OWN || limits.idleMode() == SeedLimits.Mode.OWN ? 1 : 0;
    }

    /** Whether some torrent may be waiting for its turn: if not, nothing can start, and a look is not needed. */
    boolean someWaiting() {
        return someWaiting;
    }

    private Entry entry(TorrentHandle handle) {
        Entry entry = entries.get(handle);
        if (entry == null) {
            throw new IllegalStateException("the torrent " + handle.name() + " was removed from its session");
        }
        return entry;
    }

    // The session's settings.

    /** The session's settings now. */
    QueueSettings settings() {
        return settings;
    }

    /**
     * Changes the session's settings ({@code change} is given the present ones), at once: what may now start
     * starts, and a seed past a new limit is paused.
     */
    void change(UnaryOperator<QueueSettings> change) {
        lock.lock();
        try {
            settings = change.apply(settings);
        } finally {
            lock.unlock();
        }
        tick();
    }

    /** The session closes: nothing starts any more. */
    void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    // Applying them.

    /**
     * A torrent was checked and waits for its turn: it starts at once if force-started or its queue is off, waits
     * if its queue was full at the last look, and otherwise the queue looks at every torrent ({@link #update()}).
     * So the adds of many torrents cost a look each only while their queue has room.
     */
    void waiting(TorrentHandle handle) {
        lock.lock();
        try {
            Entry entry = entries.get(handle);
            if (closed || entry == null) {
                return;
            }
            TorrentLifecycle.Standing standing = handle.lifecycle().standing();
            if (standing.standing() != QueueRules.Standing.WAITING) {
                return;
            }
            QueueRules.Kind kind = standing.kind();
            QueueRules.Limits limits = settings.limits();
            if (entry.forced || !limits.on(kind)) {
                admit(handle, entry, clock.nanoTime());
                return;
            }
            someWaiting = true;
            if (countsFresh && counted[kind.ordinal()] >= limits.size(kind)) {
                handle.lifecycle().reportWaiting();
                return;
            }
        } finally {
            lock.unlock();
        }
        update();
    }

    /** Holding the lock: starts a waiting torrent, its idle time counted from now. */
    private boolean admit(TorrentHandle handle, Entry entry, long now) {
        if (!handle.lifecycle().admit()) {
            return false;
        }
        entry.idleness = new Idleness(now);
        entry.stopping = false;
        return true;
    }

    /**
     * Starts the waiting torrents whose turn it is, and tells subscribers of those left waiting. Called whenever
     * the answer may have changed: a torrent checked, paused, removed, completed or failed; a setting or a
     * position changed; and once a {@link #TICK}. Holding no lifecycle's lock.
     */
    void update() {
        lock.lock();
        try {
            if (!someWaiting) {
                countsFresh = false;
                return;
            }
            look();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Holding the lock: looks at every torrent, observes what the running ones moved, and starts the waiting ones
     * whose turn it is.
     */
    private void look() {
        if (closed) {
            return;
        }
        long now = clock.nanoTime();
        List<QueueRules.Member<TorrentHandle>> members = new ArrayList<>(order.size());
        for (TorrentHandle handle : order) {
            Entry entry = entries.get(handle);
            TorrentLifecycle.Standing standing = handle.lifecycle().standing();
            boolean counted = false;
            if (standing.standing() == QueueRules.Standing.ACTIVE) {
                if (entry.idleness == null) {
                    entry.idleness = new Idleness(now);
                }
                entry.idleness.observe(standing.stats().downloaded(), standing.stats().uploaded(), now);
                counted = !entry.forced && !settings.stalled(entry.idleness.idleNanos(now));
            } else {
                entry.idleness = null;
            }
            members.add(new QueueRules.Member<>(handle, standing.standing(), standing.kind(), counted,
                    entry.forced));
        }
        Set<TorrentHandle> start = Collections.newSetFromMap(new IdentityHashMap<>());
        start.addAll(QueueRules.toStart(members, settings.limits()));
        Arrays.fill(counted, 0);
        someWaiting = false;
        for (QueueRules.Member<TorrentHandle> member : members) {
            TorrentHandle handle = member.key();
            boolean counts = member.standing() == QueueRules.Standing.ACTIVE && member.counted();
            if (start.contains(handle)) {
                counts = admit(handle, entries.get(handle), now) && !member.forced();
            } else if (member.standing() == QueueRules.Standing.WAITING) {
                handle.lifecycle().reportWaiting();
                someWaiting = true;
            }
            if (counts) {
                counted[member.kind().ordinal()]++;
            }
        }
        countsFresh = true;
    }

    /**
     * {@link #update()}, then pauses each seed that reached its ratio or idle limit (on a thread of its own, since a
     * pause waits for the trackers) and tells subscribers why.
     */
    void tick() {
        List<Runnable> stops = new ArrayList<>();
        lock.lock();
        try {
            if (!someWaiting && !settings.ratioLimited() && !settings.idleLimited() && ownLimits == 0) {
                // Nothing to start and no limit to reach: an idle session of many torrents costs nothing a tick.
                // What the running torrents moved meanwhile is seen at the next look, as moved then: later than it
                // was, so a torrent is never taken for idle longer than it is.
                countsFresh = false;
                return;
            }
            look();
            if (closed) {
                return;
            }
            long now = clock.nanoTime();
            for (TorrentHandle handle : order) {
                Entry entry = entries.get(handle);
                if (entry.idleness == null || entry.stopping) {
                    continue;
                }
                TorrentLifecycle.Standing standing = handle.lifecycle().standing();
                if (standing.standing() != QueueRules.Standing.ACTIVE || standing.kind() != QueueRules.Kind.SEED) {
                    continue;
                }
                SessionEvent.SeedLimitReached reached;
                try {
                    reached = reached(handle, entry, now);
                } catch (IllegalStateException e) {
                    continue; // removed meanwhile: it leaves the queue next
                }
                if (reached != null) {
                    entry.stopping = true;
                    stops.add(() -> stopSeeding(reached));
                }
            }
        } finally {
            lock.unlock();
        }
        stops.forEach(stop -> Thread.ofVirtual().name("seed-limit").start(stop));
    }

    /** Holding the lock: the limit a running seed reached, if any; its ratio first. */
    private SessionEvent.SeedLimitReached reached(TorrentHandle handle, Entry entry, long now) {
        OptionalDouble ratio = entry.seedLimits.ratioLimit(settings.sessionRatioLimit());
        if (ratio.isPresent() && handle.status().ratio() >= ratio.getAsDouble()) {
            return new SessionEvent.SeedLimitReached(handle, SessionEvent.SeedLimitReached.Limit.RATIO,
                    ratio.getAsDouble());
        }
        Optional<Duration> idle = entry.seedLimits.idleLimit(settings.sessionIdleLimit());
        if (idle.isPresent() && entry.idleness.uploadIdleNanos(now) >= idle.get().toNanos()) {
            return new SessionEvent.SeedLimitReached(handle, SessionEvent.SeedLimitReached.Limit.IDLE,
                    idle.get().toSeconds());
        }
        return null;
    }

    /**
     * Pauses a seed that reached a limit as {@link TorrentHandle#pause()} does (its record kept, the queue looking
     * again: another may start in its place), then tells why.
     */
    private void stopSeeding(SessionEvent.SeedLimitReached reached) {
        try {
            reached.torrent().pause();
        } catch (IllegalStateException e) {
            return; // removed meanwhile
        }
        events.publish(reached);
    }
}
