package dev.jtorrent.session;

import dev.jtorrent.swarm.PieceSet;
import dev.jtorrent.swarm.SwarmStats;

import dev.jtorrent.metainfo.Torrent;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link TorrentPhase} of one torrent and every change of it, under one lock (this): what the handle's commands
 * (pause, resume, remove, the steps of a recheck or a move) and the session's start of it (its turn to check,
 * checked and waiting for its turn in the queue, admitted by the queue, failed) do to it, each allowed from some
 * phases only; subscribers are told of each change of the state it reports. The session's queue reads it and
 * admits it holding its own lock, so this never calls the queue while holding this lock. Whatever takes time (stopping a runtime, a check, a move) is done between transitions, outside the
 * lock: holding it, this only posts to a swarm, publishes events or starts a thread, and never waits.
 */
final class TorrentLifecycle {
    /** Peers given by hand to a torrent waiting for its turn that are kept for its start: as many as a swarm knows. */
    static final int MAX_PEERS_FOR_START = 3000;
    private final TorrentHandle handle;
    private final Session session;
    private final TorrentSettings settings;
    private final TorrentEvents events;
    /** Bytes checked so far by the torrent's check, or its last. */
    private final AtomicLong checkProgress = new AtomicLong();

    // Guarded by this.
    private TorrentPhase phase;
    private Path directory;
    private Optional<String> startNote = Optional.empty();
    private RunTotals before = RunTotals.NONE;
    /** What its record said its runs before this session moved: not counted in the session's totals. */
    private RunTotals kept = RunTotals.NONE;
    /** What a recheck returned, completed when the check is done. */
    private CompletableFuture<Void> maintenance;
    /** False while a paused torrent is rechecked: it stays paused after. */
    private boolean runAfterCheck = true;
    /** The thread checking the data and starting the torrent, while it does. */
    private Thread activation;
    /** Peers its metadata search found, for its swarm to dial at its first start. */
    private List<InetSocketAddress> peersFound = List.of();

    /**
     * Not started: a torrent with metadata is queued (or paused); one without waits for its metadata (or is paused),
     * its search started by {@link #startSearch()}.
     */
    TorrentLifecycle(TorrentHandle handle, Session session, TorrentSettings settings, TorrentEvents events,
                     Path directory, boolean paused, boolean hasMetadata) {
        this.handle = handle;
        this.session = session;
        this.settings = settings;
        this.events = events;
        this.directory = directory;
        this.phase = paused ? new TorrentPhase.Paused(null)
                : hasMetadata ? new TorrentPhase.Queued() : new TorrentPhase.WaitingForMetadata(session.search(handle));
        events.stateIs(phase.state(null, handle.name()));
    }

    /** The payload its runs moved before this session, from its record; called once, as it is made. */
    synchronized void keptTotals(RunTotals totals) {
        before = totals;
        kept = totals;
    }

    /**
     * The payload it moved in this session: since it was added, not counting what its record kept from before.
     * After its removal, all it moved until it stopped. For the session's totals ({@link Session#payloadTotals()}).
     */
    PayloadTotals payloadThisSession() {
        TorrentPhase now;
        RunTotals moved;
        synchronized (this) {
            now = phase;
            moved = before;
        }
        long downloaded = moved.downloaded() - kept.downloaded();
        long uploaded = moved.uploaded() - kept.uploaded();
        if (now instanceof TorrentPhase.Running running) { // as its status counts
            SwarmStats stats = running.runtime().stats();
            downloaded += stats.downloaded();
            uploaded += stats.uploaded();
        }
        return new PayloadTotals(downloaded, uploaded);
    }

    /** Starts the search for its metadata, if it waits for it; called once it is in its session. */
    synchronized void startSearch() {
        if (phase instanceof TorrentPhase.WaitingForMetadata waiting) {
            waiting.search().start();
        }
    }

    /**
     * Its metadata search found {@code torrent}: it has files from now on, and is queued to check them (data may
     * already be there) and run, its swarm to dial {@code peers} first; or it is paused, if it was added to stop
     * there ({@link AddOptions#stopAfterMetadata()}).
     *
     * @return false if it no longer waited for this search (it was paused or removed meanwhile)
     */
    synchronized boolean metadataFound(MetadataSearch search, Torrent torrent, List<InetSocketAddress> peers) {
        if (!(phase instanceof TorrentPhase.WaitingForMetadata waiting) || waiting.search() != search) {
            return false;
        }
        handle.metadataArrived(torrent);
        peersFound = List.copyOf(peers);
        if (handle.options().stopAfterMetadata()) {
            setPhase(new TorrentPhase.Paused(null));
            return true;
        }
        runAfterCheck = true;
        setPhase(new TorrentPhase.Queued());
        session.activate(handle, null, false, false);
        return true;
    }

    /** What the torrent is doing, with the totals of the runtimes before; for its status. */
    record Now(TorrentPhase phase, RunTotals before) {
    }

    /** @throws IllegalStateException if the torrent was removed */
    synchronized Now now() {
        requireNotRemoved();
        return new Now(phase, before);
    }

    synchronized Path directory() {
        return directory;
    }

    /** Its files were found moved to {@code directory} by a move that a crash had cut short. */
    synchronized void moved(Path directory) {
        this.directory = directory;
    }

    synchronized Optional<String> startNote() {
        return startNote;
    }

    synchronized void requireNotRemoved() {
        if (phase instanceof TorrentPhase.Removed) {
            throw new IllegalStateException("the torrent " + handle.name() + " was removed from its session");
        }
    }

    synchronized boolean removed() {
        return phase instanceof TorrentPhase.Removed;
    }

    /**
     * Its metadata search found a dictionary that hashes to the info hash but is not a valid torrent: it fails, and
     * a {@link #resume()} searches again.
     */
    void searchFailed(MetadataSearch search, String message) {
        synchronized (this) {
            if (!(phase instanceof TorrentPhase.WaitingForMetadata waiting) || waiting.search() != search) {
                return;
            }
            setPhase(new TorrentPhase.Failed(message));
        }
        events.metadataFailed(message);
    }

    // Commands, from the handle.

    /** See {@link TorrentHandle#pause()}. */
    void pause() {
        TorrentRuntime stopping = null;
        MetadataSearch searching = null;
        synchronized (this) {
            requireNotRemoved();
            switch (phase) {
                case TorrentPhase.Running running -> stopping = running.runtime();
                case TorrentPhase.Waiting waiting -> {
                    stopping = waiting.runtime();
                    endMaintenance(null); // a recheck's check was done
                }
                case TorrentPhase.WaitingForMetadata waiting -> {
                    setPhase(new TorrentPhase.Paused(null));
                    searching = waiting.search();
                }
                case TorrentPhase.Queued q -> {
                    stopActivation();
                    endMaintenance(new CancellationException("the torrent " + handle.name()
                            + " was paused before its check was done"));
                    setPhase(new TorrentPhase.Paused(null));
                    return;
                }
                case TorrentPhase.Checking c -> {
                    stopActivation();
                    endMaintenance(new CancellationException("the torrent " + handle.name()
                            + " was paused before its check was done"));
                    setPhase(new TorrentPhase.Paused(null));
                    return;
                }
                case TorrentPhase.Failed f -> {
                    setPhase(new TorrentPhase.Paused(null));
                    return;
                }
                default -> {
                    return;
                }
            }
        }
        if (stopping != null) {
            stop(stopping);
        } else {
            searching.stop(); // its trackers are told it stopped
        }
    }

    /** See {@link TorrentHandle#resume()}. */
    void resume() {
        TorrentRuntime running;
        synchronized (this) {
            requireNotRemoved();
            if (!(phase instanceof TorrentPhase.Running r)) {
                restart();
                return;
            }
            running = r.runtime();
        }
        if (running.stats().error() == null) {
            return; // running; or paused by a full disk, which retries by itself
        }
        stop(running); // its storage failed: stopped as by a pause (unless someone else stopped it first)...
        synchronized (this) {
            restart(); // ...then started as from one
        }
    }

    /**
     * Holding this: a paused or failed torrent is queued to check what changed on disk, then run; one without
     * metadata searches for it again.
     */
    private void restart() {
        if (!(phase instanceof TorrentPhase.Paused) && !(phase instanceof TorrentPhase.Failed)) {
            return;
        }
        if (handle.torrent().isEmpty()) {
            TorrentPhase.WaitingForMetadata waiting = new TorrentPhase.WaitingForMetadata(session.search(handle));
            setPhase(waiting);
            waiting.search().start();
            return;
        }
        ResumeData from = phase instanceof TorrentPhase.Paused paused ? paused.verified() : null;
        setPhase(new TorrentPhase.Queued());
        runAfterCheck = true;
        session.activate(handle, from, false, false);
    }

    /**
     * Stops the runtime, and keeps what it had for a later {@link #resume()}.
     *
     * @return what the runtime moved, as it stopped
     */
    private SwarmStats stop(TorrentRuntime runtime) {
        ResumeData memory = runtime.stop();
        session.swarmStopped(runtime.swarm());
        SwarmStats last = runtime.stats();
        synchronized (this) {
            // Whoever stopped it first counts it: it stopped once, however many asked.
            if (phase instanceof TorrentPhase.Running current && current.runtime() == runtime
                    || phase instanceof TorrentPhase.Waiting waiting && waiting.runtime() == runtime) {
                before = before.plus(last);
                setPhase(new TorrentPhase.Paused(memory));
            }
        }
        return last;
    }

    /** Removes it: stops the runtime if any, and makes every later call fail. */
    void dispose() {
        TorrentRuntime stopping = null;
        MetadataSearch searching = null;
        synchronized (this) {
            if (phase instanceof TorrentPhase.Removed) {
                throw new IllegalStateException("the torrent " + handle.name() + " was already removed");
            }
            if (phase instanceof TorrentPhase.Running running) {
                stopping = running.runtime();
            }
            if (phase instanceof TorrentPhase.Waiting waiting) {
                stopping = waiting.runtime();
            }
            if (phase instanceof TorrentPhase.WaitingForMetadata waiting) {
                searching = waiting.search();
            }
            stopActivation();
            endMaintenance(new IllegalStateException("the torrent " + handle.name() + " was removed"));
            enter(new TorrentPhase.Removed()); // not reported: a removed torrent has no state
        }
        if (stopping != null) {
            SwarmStats last = stop(stopping);
            synchronized (this) {
                // Removed first, so stop() counted nothing: what it moved stays in the session's totals.
                before = before.plus(last);
            }
        }
        if (searching != null) {
            searching.stop();
        }
        events.removed();
    }

    // The steps of a recheck or a move (see Maintenance).

    /** Stops the torrent for a recheck or a move; returns whether it is to run again after. */
    boolean stopForMaintenance() {
        boolean run;
        synchronized (this) {
            if (phase instanceof TorrentPhase.Removed) {
                return false;
            }
            run = !(phase instanceof TorrentPhase.Paused) && !(phase instanceof TorrentPhase.WaitingForMetadata);
        }
        pause();
        return run;
    }

    /** Queues the stopped torrent for a full check, after which it runs if {@code run}; completes {@code done}. */
    synchronized void recheck(CompletableFuture<Void> done, boolean run) {
        if (phase instanceof TorrentPhase.Removed) {
            done.completeExceptionally(new IllegalStateException("the torrent " + handle.name() + " was removed"));
            return;
        }
        // A recheck asked while another is under way: the earlier one is given up for this one.
        endMaintenance(new CancellationException("the torrent " + handle.name() + " was asked to check again"));
        maintenance = done;
        runAfterCheck = run;
        setPhase(new TorrentPhase.Queued());
        session.activate(handle, null, false, true);
    }

    /**
     * Where a stopped torrent's files are, as its move begins.
     *
     * @param memory what it had there, if known
     */
    record MoveFrom(Path directory, Optional<ResumeData> memory) {
    }

    /** The stopped torrent is moving: where from; empty if it was removed. */
    synchronized Optional<MoveFrom> startMove() {
        if (phase instanceof TorrentPhase.Removed) {
            return Optional.empty();
        }
        ResumeData memory = phase instanceof TorrentPhase.Paused paused ? paused.verified() : null;
        setPhase(new TorrentPhase.Moving());
        return Optional.of(new MoveFrom(directory, Optional.ofNullable(memory)));
    }

    /** The move failed: it is paused, and where each file is now is checked at the next start. */
    synchronized void moveFailed() {
        if (phase instanceof TorrentPhase.Moving) {
            setPhase(new TorrentPhase.Paused(null));
        }
    }

    /**
     * Its files are in {@code to} now: it is paused there, with what it had if known.
     *
     * @return false if it was removed while its files moved
     */
    synchronized boolean moveDone(Path to, Optional<ResumeData> memory) {
        if (phase instanceof TorrentPhase.Removed) {
            return false;
        }
        directory = to;
        setPhase(new TorrentPhase.Paused(memory.orElse(null)));
        return true;
    }

    // Called by the session as it starts the torrent, holding no lock of ours.

    /** The thread checking and starting the torrent, to interrupt if it is paused or removed meanwhile. */
    synchronized void activating(Thread thread) {
        activation = thread;
    }

    /**
     * Whether the calling thread is the torrent's activation now. One that was stopped (a pause, a remove) may still
     * run on for a while; what it reports then is of a start given up, and must not touch a later start's state.
     */
    private boolean current() {
        return activation == Thread.currentThread();
    }

    /** Its turn to check came: whether it still wants it (it was not paused or removed meanwhile). */
    synchronized boolean startChecking() {
        if (!current() || !(phase instanceof TorrentPhase.Queued)) {
            return false;
        }
        setPhase(new TorrentPhase.Checking(checkProgress, handle.torrent().orElseThrow().info().totalLength()));
        return true;
    }

    AtomicLong checkProgress() {
        return checkProgress;
    }

    /** Whether the torrent runs once its check is done: not after a recheck of a paused torrent. */
    synchronized boolean runAfterCheck() {
        return runAfterCheck;
    }

    /** A recheck of a paused torrent is done: it stays paused, with what the check found. */
    synchronized void checkedWhilePaused(PieceSet verified, ResumeData memory) {
        if (!current() || !(phase instanceof TorrentPhase.Checking) && !(phase instanceof TorrentPhase.Queued)) {
            return;
        }
        handle.fileTable().reset(verified);
        activation = null;
        runAfterCheck = true;
        setPhase(new TorrentPhase.Paused(memory));
        endMaintenance(null);
    }

    /**
     * The check is done and the runtime made, not started: the torrent waits with it for its turn in the session's
     * queue ({@link TorrentQueue}, which {@link #admit}s it), unless it was paused or removed meanwhile, or this start
     * was given up for a later one. Neither the waiting nor the check's end ({@link TorrentHandle#checked()}, and a
     * recheck's future) is told yet: the queue tells them once it has decided ({@link #admit}, {@link
     * #reportWaiting}), so that a torrent with room goes from checking straight to running, as before there was a
     * queue, and whoever waits on {@code checked()} or a recheck finds it running if it is to run.
     *
     * @param launch starts the runtime, run under this lock once the torrent is admitted (it only starts threads
     *               and posts)
     * @return whether it was taken; if not, the caller stops it
     */
    synchronized boolean ready(TorrentRuntime runtime, PieceSet verified, Optional<String> note, Runnable launch) {
        if (!current() || !(phase instanceof TorrentPhase.Checking) && !(phase instanceof TorrentPhase.Queued)) {
            return false;
        }
        TorrentFiles files = handle.fileTable();
        files.reset(verified);
        startNote = note;
        activation = null;
        enter(new TorrentPhase.Waiting(runtime, launch, files.verifiedWantedBytes() >= files.wantedBytes()));
        return true;
    }

    /**
     * Its turn in the queue came: it runs the runtime it waited with.
     *
     * @return false if it no longer waits (paused or removed meanwhile)
     */
    synchronized boolean admit() {
        if (!(phase instanceof TorrentPhase.Waiting waiting)) {
            return false;
        }
        TorrentRuntime runtime = waiting.runtime();
        waiting.launch().run();
        if (!peersFound.isEmpty()) {
            runtime.swarm().peersFound(peersFound);
            peersFound = List.of();
        }
        setPhase(new TorrentPhase.Running(runtime));
        endMaintenance(null);
        runtime.swarm().completion().whenComplete((done, failure) -> runtimeEnded(runtime, failure));
        runtime.swarm().failure().thenAccept(message -> runtimeFailed(runtime, message));
        events.started();
        return true;
    }

    /**
     * A peer given by hand while it waits for its turn: its swarm dials it as it starts, with those its metadata
     * search found. Kept up to {@link #MAX_PEERS_FOR_START}; past them, a peer is dropped.
     */
    synchronized void peerForStart(InetSocketAddress address) {
        if (phase instanceof TorrentPhase.Waiting && peersFound.size() < MAX_PEERS_FOR_START
                && !peersFound.contains(address)) {
            List<InetSocketAddress> more = new ArrayList<>(peersFound);
            more.add(address);
            peersFound = List.copyOf(more);
        }
    }

    /** How many peers are kept for its start; for tests. */
    synchronized int peersForStart() {
        return peersFound.size();
    }

    /**
     * Where it stands for the session's queue, and which queue it is in.
     *
     * @param stats its running swarm's statistics (this run's totals); null unless it runs
     */
    record Standing(QueueRules.Standing standing, QueueRules.Kind kind, SwarmStats stats) {
    }

    /** Where it stands for the session's queue; {@link QueueRules.Standing#OTHER} once removed. */
    synchronized Standing standing() {
        return switch (phase) {
            case TorrentPhase.Waiting waiting -> new Standing(QueueRules.Standing.WAITING,
                    waiting.complete() ? QueueRules.Kind.SEED : QueueRules.Kind.DOWNLOAD, null);
            case TorrentPhase.Running running -> {
                SwarmStats stats = running.runtime().stats();
                yield new Standing(stats.error() != null ? QueueRules.Standing.OTHER : QueueRules.Standing.ACTIVE,
                        stats.complete() ? QueueRules.Kind.SEED : QueueRules.Kind.DOWNLOAD, stats);
            }
            default -> new Standing(QueueRules.Standing.OTHER, QueueRules.Kind.DOWNLOAD, null);
        };
    }

    /**
     * It waits for its turn and the queue did not start it: subscribers are told it is queued, and its check is
     * done ({@link TorrentHandle#checked()}).
     */
    synchronized void reportWaiting() {
        if (phase instanceof TorrentPhase.Waiting) {
            updateReported();
            endMaintenance(null);
            events.started();
        }
    }

    /**
     * Its swarm stopped on an error, complete or not (a seed whose disk fails to read, too): subscribers hear of
     * the state's change to {@link TorrentState.Failed} and of the storage's failure.
     */
    private void runtimeFailed(TorrentRuntime runtime, String message) {
        synchronized (this) {
            if (!(phase instanceof TorrentPhase.Running current) || current.runtime() != runtime) {
                return;
            }
            updateReported();
        }
        events.failed(message);
        session.queueChanged(); // a failed torrent no longer counts
    }

    synchronized void startFailed(String message, Throwable cause) {
        if (!current() || !(phase instanceof TorrentPhase.Queued) && !(phase instanceof TorrentPhase.Checking)) {
            return; // paused or removed meanwhile, or given up for a later start: stopped on purpose
        }
        activation = null;
        endMaintenance(cause);
        setPhase(new TorrentPhase.Failed(message));
        events.startFailed(message, cause);
    }

    /** Its swarm has every wanted piece, or failed; it keeps running either way, until paused. */
    private void runtimeEnded(TorrentRuntime runtime, Throwable failure) {
        synchronized (this) {
            if (!(phase instanceof TorrentPhase.Running current) || current.runtime() != runtime) {
                return;
            }
            updateReported();
        }
        events.ended(failure);
        session.queueChanged(); // a download that completed moved to the seed queue
    }

    /** Holding this: stops the check under way or waiting, if any; its thread then starts nothing. */
    private void stopActivation() {
        if (activation != null) {
            activation.interrupt();
            activation = null;
        }
    }

    /** Holding this: the recheck under way, if any, is done. */
    private void endMaintenance(Throwable failure) {
        if (maintenance != null) {
            if (failure == null) {
                maintenance.complete(null);
            } else {
                maintenance.completeExceptionally(failure);
            }
            maintenance = null;
        }
    }

    /** Holding this: moves to {@code next}, telling subscribers if the state reported changes. */
    private void setPhase(TorrentPhase next) {
        enter(next);
        updateReported();
    }

    /** Holding this: moves to {@code next}; the runtime it runs, if any, is the one its settings are told of. */
    private void enter(TorrentPhase next) {
        if (phase instanceof TorrentPhase.Running running) {
            settings.detach(running.runtime());
        }
        phase = next;
        if (next instanceof TorrentPhase.Running running) {
            settings.attach(running.runtime());
        }
    }

    /** Holding this: tells subscribers of a change of the state reported. */
    private void updateReported() {
        events.stateIs(phase.state(null, handle.name()));
    }
}
