package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.swarm.PeerSnapshot;
import dev.jtorrent.swarm.PieceSet;
import dev.jtorrent.swarm.DownloadOptions;
import dev.jtorrent.swarm.SwarmStats;
import dev.jtorrent.tracker.TrackerError;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A torrent in a {@link Session}, from {@link Session#add}: its status, its files, peers and trackers, and what can
 * be done to it. Thread-safe. Every method but {@link #infoHash()}, {@link #name()} and {@link #torrent()} throws
 * {@link IllegalStateException} once the torrent is removed from its session.
 *
 * <p>A torrent moves through the states of {@link TorrentState}: added from a {@code .torrent} it is {@link
 * TorrentState.Queued queued}, then {@link TorrentState.Checking checks} the data already in its directory, then is
 * {@link TorrentState.Downloading downloading} or {@link TorrentState.Seeding seeding}; added from a magnet link it
 * is {@link TorrentState.WaitingForMetadata waiting for metadata} first.
 */
public final class TorrentHandle {
    private final Session session;
    private final InfoHash infoHash;
    private final String name;
    private final Optional<Torrent> torrent;
    private final TorrentFiles files;
    /** Where its pieces are kept when the embedder keeps them; empty for files in {@link #directory}. */
    private final Optional<PieceStore.Factory> store;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final CompletableFuture<TorrentHandle> checked = new CompletableFuture<>();
    private final AtomicLong checkProgress = new AtomicLong();

    // Guarded by this.
    private Path directory;
    private Phase phase;
    private TorrentState reported;
    private Optional<String> startNote = Optional.empty();
    private long uploadLimit;
    private long downloadLimit;
    private boolean sequential;
    /** Payload bytes moved by the runtimes before the present one. */
    private long downloadedBefore;
    private long uploadedBefore;
    private long wastedBefore;
    /** What a recheck returned, completed when the check is done. */
    private CompletableFuture<Void> maintenance;
    /** False while a paused torrent is rechecked: it stays paused after. */
    private boolean runAfterCheck = true;
    /** The thread checking the data and starting the torrent, while it does. */
    private Thread activation;
    /** The statistics of the last swarm, once it stopped. */
    private SwarmStats lastStats;

    TorrentHandle(Session session, InfoHash infoHash, String name, Optional<Torrent> torrent, Path directory,
                  AddOptions options) {
        this.session = session;
        this.infoHash = infoHash;
        this.name = name;
        this.torrent = torrent;
        this.files = torrent.map(t -> new TorrentFiles(t.info(), options)).orElse(null);
        this.directory = directory;
        this.store = options.storage();
        this.uploadLimit = options.uploadLimit();
        this.downloadLimit = options.downloadLimit();
        this.sequential = options.sequential();
        this.phase = torrent.isEmpty() ? new Phase.WaitingForMetadata()
                : options.paused() ? new Phase.Paused(null) : new Phase.Queued();
        this.reported = stateOf(phase, null);
    }

    /** What a torrent is doing inside the handle; {@link TorrentState} is what it reports. */
    private sealed interface Phase {
        record WaitingForMetadata() implements Phase {
        }

        record Queued() implements Phase {
        }

        record Checking() implements Phase {
        }

        record Moving() implements Phase {
        }

        record Running(TorrentRuntime runtime) implements Phase {
        }

        /** @param verified the pieces verified when it stopped, to start from; null if unknown (check them all) */
        record Paused(ResumeData verified) implements Phase {
        }

        record Failed(String message) implements Phase {
        }

        record Removed() implements Phase {
        }
    }

    public InfoHash infoHash() {
        return infoHash;
    }

    /** The torrent's name: from its metadata, else the magnet link's display name, else the info hash in hex. */
    public String name() {
        return name;
    }

    /** The torrent's metadata; empty while it waits for it. */
    public Optional<Torrent> torrent() {
        return torrent;
    }

    /**
     * The directory its files are in; for a torrent kept in an embedder's {@link PieceStore}, the directory it
     * would have used, which holds nothing of it.
     */
    public synchronized Path directory() {
        requireNotRemoved();
        return directory;
    }

    /** What it is doing now. */
    public TorrentStatus status() {
        Phase now;
        long downBefore;
        long upBefore;
        long wasteBefore;
        synchronized (this) {
            requireNotRemoved();
            now = phase;
            downBefore = downloadedBefore;
            upBefore = uploadedBefore;
            wasteBefore = wastedBefore;
        }
        SwarmStats stats = now instanceof Phase.Running running ? running.runtime().stats() : null;
        return new TorrentStatus(infoHash, name, stateOf(now, stats),
                files == null ? 0 : files.wantedBytes(), files == null ? 0 : files.verifiedWantedBytes(),
                files == null ? 0 : files.verifiedPieces(), files == null ? 0 : files.pieceCount(),
                downBefore + (stats == null ? 0 : stats.downloaded()),
                upBefore + (stats == null ? 0 : stats.uploaded()),
                wasteBefore + (stats == null ? 0 : stats.wasted()),
                stats == null ? 0 : stats.downRate(), stats == null ? 0 : stats.upRate(),
                stats == null ? 0 : stats.peers(), stats == null ? 0 : stats.knownPeers());
    }

    /**
     * The statistics of its swarm while it runs, else of the last one (zeros before the first): the figures
     * {@link #status()} is made of, with some more; for the session's tests.
     */
    SwarmStats stats() {
        Phase now;
        synchronized (this) {
            requireNotRemoved();
            now = phase;
            if (!(now instanceof Phase.Running)) {
                return lastStats != null ? lastStats : SwarmStats.initial(0, files == null ? 0 : files.pieceCount(),
                        torrent.map(t -> t.info().totalLength()).orElse(0L));
            }
        }
        return ((Phase.Running) now).runtime().stats();
    }

    private TorrentState stateOf(Phase now, SwarmStats stats) {
        return switch (now) {
            case Phase.WaitingForMetadata w -> new TorrentState.WaitingForMetadata();
            case Phase.Queued q -> new TorrentState.Queued();
            case Phase.Moving m -> new TorrentState.Moving();
            case Phase.Checking c -> new TorrentState.Checking(torrent.map(t -> t.info().totalLength())
                    .filter(total -> total > 0).map(total -> Math.min(1.0, (double) checkProgress.get() / total))
                    .orElse(0.0));
            case Phase.Running running -> {
                SwarmStats s = stats != null ? stats : running.runtime().stats();
                if (s.error() != null) {
                    yield new TorrentState.Failed(s.error(), false);
                } else if (s.paused() != null) {
                    yield new TorrentState.Failed(s.paused(), true);
                }
                yield s.complete() ? new TorrentState.Seeding() : new TorrentState.Downloading();
            }
            case Phase.Paused p -> new TorrentState.Paused();
            case Phase.Failed f -> new TorrentState.Failed(f.message(), false);
            case Phase.Removed r -> throw new IllegalStateException("the torrent " + name + " was removed");
        };
    }

    /**
     * What resume data did for the start, for people, when there is something to say: "resumed 120 of 256 pieces
     * without a check", "resume file … not used (not bencoded …): checked the data". Empty when there was none, or
     * the torrent has not started yet.
     */
    public synchronized Optional<String> startNote() {
        return startNote;
    }

    /**
     * Completes when every piece of the files not skipped is verified on disk; fails with the reason if the torrent
     * stops on an error (a disk that cannot be written, for one). A torrent that is complete when added completes it
     * after its check. It stays complete if more files are wanted later.
     */
    public CompletableFuture<Void> completion() {
        return completion;
    }

    /**
     * Completes once the torrent knows which pieces it has (its data is checked, or trusted) and has started;
     * fails if the check fails. For a torrent added paused or without metadata, that is after {@link #resume()} or
     * once its metadata arrives.
     */
    public CompletableFuture<TorrentHandle> checked() {
        return checked;
    }

    /** Its files, with how much of each is verified and its priority; empty while it waits for metadata. */
    public List<FileStatus> files() {
        synchronized (this) {
            requireNotRemoved();
        }
        return files == null ? List.of() : files.statuses();
    }

    /**
     * Sets how much file {@code index} (as in {@link #files()}) is wanted, at once if the torrent runs: a file
     * skipped now is no longer fetched (pieces under way are finished), and one wanted again is fetched, what the
     * parts file kept of it moved into place first.
     *
     * @throws IndexOutOfBoundsException if there is no such file
     * @throws IllegalStateException     if the torrent has no metadata yet, or was removed
     */
    public void setFilePriority(int index, FilePriority priority) {
        Objects.requireNonNull(priority, "priority");
        TorrentRuntime running;
        synchronized (this) {
            requireNotRemoved();
            if (files == null) {
                throw new IllegalStateException("the torrent " + name + " has no metadata yet: its files are unknown");
            }
            files.setPriority(index, priority);
            running = phase instanceof Phase.Running r ? r.runtime() : null;
        }
        if (running != null) {
            running.swarm().setFilePriorities(files.forStorage());
        }
    }

    /**
     * Whether pieces are picked in order (within a window, the rarest first inside it), for playing a file while it
     * downloads; at once if the torrent runs.
     *
     * @throws IllegalStateException if the torrent was removed
     */
    public void setSequential(boolean value) {
        TorrentRuntime running;
        synchronized (this) {
            requireNotRemoved();
            sequential = value;
            running = phase instanceof Phase.Running r ? r.runtime() : null;
        }
        if (running != null) {
            running.swarm().setSequential(value);
        }
    }

    /** Whether pieces are picked in order; see {@link #setSequential}. */
    public synchronized boolean sequential() {
        requireNotRemoved();
        return sequential;
    }

    /** Which files its swarm and storage are to download, and in what order: for the session, as it starts. */
    synchronized DownloadOptions downloadOptions() {
        return new DownloadOptions(files.forStorage(), sequential);
    }

    /**
     * Sets the most payload bytes a second it sends, over all its peers and within the session's upload limit; 0
     * for no limit. A running torrent takes it at once (blocks waiting to be sent go at the new rate), and it is kept
     * for the next start.
     *
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     * @throws IllegalStateException    if the torrent was removed
     */
    public void setUploadLimit(long bytesPerSecond) {
        AddOptions.requireRate(bytesPerSecond, "uploadLimit");
        synchronized (this) {
            requireNotRemoved();
            uploadLimit = bytesPerSecond;
            applyLimits();
        }
    }

    /** The upload limit in payload bytes a second; 0 for none. */
    public synchronized long uploadLimit() {
        requireNotRemoved();
        return uploadLimit;
    }

    /**
     * Sets the most payload bytes a second it receives, over all its peers and within the session's download limit;
     * 0 for no limit. A running torrent takes it at once: each connection's reader keeps the wait it was given, and
     * reads at the new rate from its next block on. It is kept for the next start.
     *
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     * @throws IllegalStateException    if the torrent was removed
     */
    public void setDownloadLimit(long bytesPerSecond) {
        AddOptions.requireRate(bytesPerSecond, "downloadLimit");
        synchronized (this) {
            requireNotRemoved();
            downloadLimit = bytesPerSecond;
            applyLimits();
        }
    }

    /** The download limit in payload bytes a second; 0 for none. */
    public synchronized long downloadLimit() {
        requireNotRemoved();
        return downloadLimit;
    }

    /**
     * Holding this: hands the limits to the running swarm, if any. Under the lock, so that two setters cannot hand
     * over their limits in the other order than they set them; posting to the swarm never waits.
     */
    private void applyLimits() {
        if (phase instanceof Phase.Running running) {
            running.runtime().swarm().setLimits(uploadLimit, downloadLimit);
        }
    }

    /**
     * Peers to connect to, found some other way than by the trackers (by hand, or from another program). Ignored
     * while the torrent is not running.
     */
    public void addPeer(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved() || address.getPort() == 0) {
            throw new IllegalArgumentException("a peer needs a resolved address and a port: " + address);
        }
        TorrentRuntime runtime = runtime();
        if (runtime != null) {
            runtime.swarm().peersFound(List.of(address));
        }
    }

    /**
     * The peers it is connected to now; none while it is not running. Asks the torrent's own thread, so it may
     * take a moment on a busy torrent (5 s at most, and then none).
     */
    public List<PeerStatus> peers() {
        TorrentRuntime runtime = runtime();
        if (runtime == null) {
            return List.of();
        }
        List<PeerSnapshot> snapshots;
        try {
            snapshots = runtime.swarm().peers().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (ExecutionException | TimeoutException e) {
            return List.of();
        }
        return PeerStatuses.of(snapshots, files.pieceCount());
    }

    /** The trackers, in BEP 12 order, each with its last result; empty for a torrent without trackers. */
    public List<TrackerStatus> trackers() {
        TorrentRuntime runtime = runtime();
        return runtime != null ? runtime.announcer().trackers() : Announcer.trackersOf(torrent);
    }

    /**
     * Why no tracker is of use, in one line ("all 12 trackers failed; the first, ..."), or null while some tracker's
     * last announce was answered, some tracker has yet to finish its first, or the torrent is not running.
     */
    public String trackerError() {
        TorrentRuntime runtime = runtime();
        return runtime == null ? null : runtime.announcer().lastError();
    }

    /** The trackers whose last announce failed, each with its one-line error, in BEP 12 order. */
    List<TrackerError> trackerErrors() {
        TorrentRuntime runtime = runtime();
        return runtime == null ? List.of() : runtime.announcer().trackerErrors();
    }

    private synchronized TorrentRuntime runtime() {
        requireNotRemoved();
        return phase instanceof Phase.Running running ? running.runtime() : null;
    }

    /**
     * Stops the torrent, keeping it in the session: closes its connections, tells its trackers {@code stopped}
     * (waiting 2 s for them at most), forces its data to disk, saves its resume data and closes its files. A
     * torrent still waiting for its check is taken out of the queue. Does nothing to a paused torrent.
     */
    public void pause() {
        TorrentRuntime stopping;
        synchronized (this) {
            requireNotRemoved();
            switch (phase) {
                case Phase.Running running -> stopping = running.runtime();
                case Phase.Queued q -> {
                    stopActivation();
                    setPhase(new Phase.Paused(null));
                    return;
                }
                case Phase.Checking c -> {
                    stopActivation();
                    setPhase(new Phase.Paused(null));
                    return;
                }
                case Phase.Failed f -> {
                    setPhase(new Phase.Paused(null));
                    return;
                }
                default -> {
                    return;
                }
            }
        }
        stopRuntime(stopping, false);
    }

    /**
     * Starts a paused torrent, or one stopped by an error: it checks what changed on disk while it was stopped
     * (files whose size or time differ are checked again, as at a start from resume data), then goes on. Does
     * nothing to a running torrent.
     */
    public void resume() {
        synchronized (this) {
            requireNotRemoved();
            if (!(phase instanceof Phase.Paused) && !(phase instanceof Phase.Failed)) {
                return;
            }
            ResumeData from = phase instanceof Phase.Paused paused ? paused.verified() : null;
            setPhase(new Phase.Queued());
            runAfterCheck = true;
            session.activate(this, from, false, false);
        }
    }

    /**
     * Checks every piece of the data again, ignoring what resume data says, as at a first start; for data changed
     * behind jtorrent's back. A running torrent stops for the check and goes on after it; a paused one stays paused
     * with what the check found.
     *
     * @return completes when the check is done (failing if it could not be done)
     * @throws IllegalStateException if the torrent has no metadata yet, or was removed
     */
    public CompletableFuture<Void> recheck() {
        requireMetadata("checked");
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("recheck-" + name).start(() -> {
            boolean run = stopForMaintenance();
            synchronized (this) {
                if (phase instanceof Phase.Removed) {
                    done.completeExceptionally(new IllegalStateException("the torrent " + name + " was removed"));
                    return;
                }
                maintenance = done;
                runAfterCheck = run;
                setPhase(new Phase.Queued());
                session.activate(this, null, false, true);
            }
        });
        return done;
    }

    /**
     * Moves the torrent's files to {@code directory} (created if missing) and goes on from there: a running torrent
     * stops for the move and starts again after it, a paused one stays paused. Files are renamed where the two
     * directories share a file system, else copied, forced to disk and renamed; with a resume directory, a journal
     * lets the next add of the torrent finish a move that a crash cut short. Nothing at the destination is ever
     * overwritten: a file of the torrent already there fails the move before anything moves.
     *
     * @return completes when the files are moved (failing, with the files where they were, if it could not start,
     *         or with those moved so far left there if a file could not be moved)
     * @throws IllegalStateException         if the torrent has no metadata yet, or was removed
     * @throws UnsupportedOperationException if the torrent is kept in an embedder's {@link PieceStore}: it has no
     *                                       files to move
     */
    public CompletableFuture<Void> moveStorage(Path directory) {
        Objects.requireNonNull(directory, "directory");
        requireMetadata("moved");
        if (store.isPresent()) {
            throw new UnsupportedOperationException("the torrent " + name + " is kept in a store of the program's"
                    + " own (AddOptions.storage), not in files: there is nothing to move");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("move-" + name).start(() -> {
            boolean run = stopForMaintenance();
            ResumeData memory;
            Path from;
            synchronized (this) {
                if (phase instanceof Phase.Removed) {
                    done.completeExceptionally(new IllegalStateException("the torrent " + name + " was removed"));
                    return;
                }
                memory = phase instanceof Phase.Paused paused ? paused.verified() : null;
                from = this.directory;
                setPhase(new Phase.Moving());
            }
            Optional<ResumeData> moved;
            try {
                moved = session.moves().move(torrent.orElseThrow(), from, directory, Optional.ofNullable(memory));
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    if (phase instanceof Phase.Moving) {
                        setPhase(new Phase.Paused(null)); // where each file is now is checked at the next start
                    }
                }
                done.completeExceptionally(e);
                if (run) {
                    resume();
                }
                return;
            }
            synchronized (this) {
                if (phase instanceof Phase.Removed) {
                    done.complete(null); // removed while its files moved: they are where it was told to move them
                    return;
                }
                this.directory = directory;
                setPhase(new Phase.Paused(moved.orElse(null)));
            }
            if (run) {
                resume();
            }
            done.complete(null);
        });
        return done;
    }

    /** Stops the torrent for a recheck or a move; returns whether it is to run again after. */
    private boolean stopForMaintenance() {
        boolean run;
        synchronized (this) {
            if (phase instanceof Phase.Removed) {
                return false;
            }
            run = !(phase instanceof Phase.Paused) && !(phase instanceof Phase.WaitingForMetadata);
        }
        pause();
        return run;
    }

    private void requireMetadata(String what) {
        synchronized (this) {
            requireNotRemoved();
        }
        if (files == null) {
            throw new IllegalStateException("the torrent " + name + " has no metadata yet: its files cannot be "
                    + what);
        }
    }

    /** Stops the runtime, and keeps what it had for a later {@link #resume()}. */
    private void stopRuntime(TorrentRuntime runtime, boolean removing) {
        ResumeData memory = runtime.stop();
        session.swarmStopped(runtime.swarm());
        SwarmStats last = runtime.stats();
        synchronized (this) {
            downloadedBefore += last.downloaded();
            uploadedBefore += last.uploaded();
            wastedBefore += last.wasted();
            lastStats = last;
            if (!removing && phase instanceof Phase.Running current && current.runtime() == runtime) {
                setPhase(new Phase.Paused(memory));
            }
        }
    }

    // Called by the session, holding no lock of ours.

    synchronized boolean startChecking() {
        if (!(phase instanceof Phase.Queued)) {
            return false;
        }
        setPhase(new Phase.Checking());
        return true;
    }

    AtomicLong checkProgress() {
        return checkProgress;
    }

    /**
     * The check is done and the runtime made: runs it unless the torrent was paused or removed meanwhile.
     *
     * @return whether it was taken; if not, the caller stops it
     */
    /** Before its swarm starts: the pieces it starts from, and a hook for those it gets. */
    void listen(TorrentRuntime runtime, PieceSet verified) {
        files.reset(verified);
        runtime.swarm().onPieceDone(this::pieceDone);
    }

    synchronized boolean started(TorrentRuntime runtime, Optional<String> note) {
        if (!(phase instanceof Phase.Checking) && !(phase instanceof Phase.Queued)) {
            return false;
        }
        startNote = note;
        activation = null;
        setPhase(new Phase.Running(runtime));
        // Priorities set while it was checked reached no swarm: this one started with those of before.
        DownloadOptions now = downloadOptions();
        if (!now.filePriorities().equals(runtime.options().filePriorities())) {
            runtime.swarm().setFilePriorities(now.filePriorities());
        }
        if (now.sequential() != runtime.options().sequential()) {
            runtime.swarm().setSequential(now.sequential());
        }
        applyLimits(); // and limits: the swarm started with those of when it was made
        endMaintenance(null);
        runtime.swarm().completion().whenComplete((done, failure) -> runtimeEnded(runtime, failure));
        checked.complete(this);
        return true;
    }

    /** The thread checking and starting the torrent, to interrupt if it is paused or removed meanwhile. */
    synchronized void activating(Thread thread) {
        activation = thread;
    }

    /** Holding this: stops the check under way or waiting, if any; its thread then starts nothing. */
    private void stopActivation() {
        if (activation != null) {
            activation.interrupt();
            activation = null;
        }
    }

    /** Whether the torrent runs once its check is done: not after a recheck of a paused torrent. */
    synchronized boolean runAfterCheck() {
        return runAfterCheck;
    }

    /** A recheck of a paused torrent is done: it stays paused, with what the check found. */
    synchronized void checkedWhilePaused(PieceSet verified, ResumeData memory) {
        if (!(phase instanceof Phase.Checking) && !(phase instanceof Phase.Queued)) {
            return;
        }
        files.reset(verified);
        activation = null;
        runAfterCheck = true;
        setPhase(new Phase.Paused(memory));
        endMaintenance(null);
    }

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

    synchronized void startFailed(String message, Throwable cause) {
        if (!(phase instanceof Phase.Queued) && !(phase instanceof Phase.Checking)) {
            return; // paused or removed meanwhile: the check was stopped on purpose
        }
        endMaintenance(cause);
        setPhase(new Phase.Failed(message));
        session.events().publish(new SessionEvent.StorageFailed(this, message));
        checked.completeExceptionally(cause);
    }

    /** On the swarm's thread: a piece became ours. */
    private void pieceDone(int piece) {
        List<Integer> completed = files.pieceDone(piece);
        EventHub events = session.events();
        if (events.wantsPieceEvents()) {
            events.publish(new SessionEvent.PieceFinished(this, piece));
        }
        for (int file : completed) {
            if (files.priority(file) != FilePriority.SKIP) {
                events.publish(new SessionEvent.FileCompleted(this, file));
            }
        }
    }

    private void runtimeEnded(TorrentRuntime runtime, Throwable failure) {
        synchronized (this) {
            if (!(phase instanceof Phase.Running current) || current.runtime() != runtime) {
                return;
            }
            updateReported();
        }
        if (failure == null) {
            completion.complete(null);
        } else {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            session.events().publish(new SessionEvent.StorageFailed(this, String.valueOf(cause.getMessage())));
            completion.completeExceptionally(cause);
        }
    }

    /** Removes it: stops the runtime if any, and makes every later call fail. */
    void dispose() {
        TorrentRuntime stopping = null;
        synchronized (this) {
            if (phase instanceof Phase.Removed) {
                throw new IllegalStateException("the torrent " + name + " was already removed");
            }
            if (phase instanceof Phase.Running running) {
                stopping = running.runtime();
            }
            stopActivation();
            phase = new Phase.Removed();
        }
        if (stopping != null) {
            stopRuntime(stopping, true);
        }
        checked.completeExceptionally(new IllegalStateException("the torrent " + name + " was removed"));
        completion.completeExceptionally(new IllegalStateException("the torrent " + name + " was removed"));
    }

    synchronized boolean removed() {
        return phase instanceof Phase.Removed;
    }

    /** Its files were found moved to {@code directory} by a move that a crash had cut short. */
    synchronized void moved(Path directory) {
        this.directory = directory;
    }

    /** The factory of the embedder's store its pieces are kept in; empty for files. */
    Optional<PieceStore.Factory> store() {
        return store;
    }

    synchronized Path directoryForSession() {
        return directory;
    }

    TorrentFiles fileLayout() {
        return files;
    }

    private void setPhase(Phase next) {
        phase = next;
        updateReported();
    }

    /** Tells subscribers of a change of the state reported. Holding this. */
    private void updateReported() {
        TorrentState now = stateOf(phase, null);
        if (!now.getClass().equals(reported.getClass()) || now instanceof TorrentState.Failed) {
            if (!now.equals(reported)) {
                session.events().publish(new SessionEvent.StateChanged(this, reported, now));
            }
            reported = now;
        }
    }

    private void requireNotRemoved() {
        if (phase instanceof Phase.Removed) {
            throw new IllegalStateException("the torrent " + name + " was removed from its session");
        }
    }

    @Override
    public String toString() {
        return "TorrentHandle[" + name + ", " + infoHash.hex() + "]";
    }
}
