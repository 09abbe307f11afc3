package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.swarm.PeerSnapshot;
import dev.jtorrent.swarm.SwarmStats;
import dev.jtorrent.tracker.TrackerError;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A torrent in a {@link Session}, from {@link Session#add}: its status, its files, peers and trackers, and what can
 * be done to it. Thread-safe. Every method but {@link #infoHash()}, {@link #name()} and {@link #torrent()} throws
 * {@link IllegalStateException} once the torrent is removed from its session.
 *
 * <p>A torrent moves through the states of {@link TorrentState}: added from a {@code .torrent} it is {@link
 * TorrentState.Queued queued}, then {@link TorrentState.Checking checks} the data already in its directory, then is
 * {@link TorrentState.Downloading downloading} or {@link TorrentState.Seeding seeding}, unless the session's queue
 * has it wait for its turn first ({@link TorrentState.QueuedToDownload}, {@link TorrentState.QueuedToSeed}); added
 * from a magnet link it is {@link TorrentState.WaitingForMetadata waiting for metadata} first.
 */
public final class TorrentHandle {
    private final InfoHash infoHash;
    /** Its name until its metadata is known: the magnet link's display name, or the info hash. */
    private final String displayName;
    /** The magnet link it was added from, if it was. */
    private final Optional<MagnetLink> magnet;
    private final AddOptions options;
    private final Session session;
    /** Where its pieces are kept when the embedder keeps them; empty for files in its directory. */
    private final Optional<PieceStore.Factory> store;
    private final TorrentSettings settings;
    private final TorrentEvents events;
    /** Its phase, and the lock that guards it. */
    private final TorrentLifecycle lifecycle;
    /** What its metadata brings; null until it is known, then set once. */
    private volatile Contents contents;

    /** What a torrent's metadata brings: its files, and what can be done to them. */
    private record Contents(Torrent torrent, TorrentFiles files, Maintenance maintenance) {
    }

    TorrentHandle(Session session, InfoHash infoHash, String displayName, Optional<Torrent> torrent,
                  Optional<MagnetLink> magnet, Path directory, AddOptions options) {
        this.infoHash = infoHash;
        this.displayName = displayName;
        this.magnet = magnet;
        this.options = options;
        this.session = session;
        this.store = options.storage();
        this.settings = new TorrentSettings(this::fileTable, options);
        this.events = new TorrentEvents(this, this::fileTable, session.events());
        this.lifecycle = new TorrentLifecycle(this, session, settings, events, directory, options.paused(),
                torrent.isPresent());
        torrent.ifPresent(this::metadataArrived);
    }

    /**
     * Its metadata is known: from now on it has files. Called once, as it is made, or by its lifecycle under its
     * lock before the torrent leaves {@link TorrentPhase.WaitingForMetadata}. A magnet link's {@code so} (BEP 53) picks the files
     * wanted, unless the options gave priorities.
     */
    void metadataArrived(Torrent torrent) {
        AddOptions wanted = options;
        if (options.filePriorities().isEmpty() && magnet.isPresent() && !magnet.get().selectOnly().isEmpty()) {
            List<FilePriority> priorities = new ArrayList<>();
            for (int i = 0; i < torrent.info().contentFiles().size(); i++) {
                priorities.add(magnet.get().selects(i) ? FilePriority.NORMAL : FilePriority.SKIP);
            }
            wanted = options.withFilePriorities(priorities);
        }
        contents = new Contents(torrent, new TorrentFiles(torrent.info(), wanted),
                new Maintenance(torrent, lifecycle, session.moves()));
        events.metadataKnown();
    }

    /** The options it was added with. */
    AddOptions options() {
        return options;
    }

    /** Its files, with their priorities and progress; null while it has no metadata. */
    TorrentFiles fileTable() {
        Contents now = contents;
        return now == null ? null : now.files();
    }

    /** The magnet link it was added from, if it was: the session's search for its metadata starts from it. */
    Optional<MagnetLink> magnet() {
        return magnet;
    }

    public InfoHash infoHash() {
        return infoHash;
    }

    /** The torrent's name: from its metadata, else the magnet link's display name, else the info hash in hex. */
    public String name() {
        Contents now = contents;
        return now == null ? displayName : now.torrent().name();
    }

    /** The torrent's metadata; empty while it waits for it. */
    public Optional<Torrent> torrent() {
        Contents now = contents;
        return now == null ? Optional.empty() : Optional.of(now.torrent());
    }

    /**
     * The directory its files are in; for a torrent kept in an embedder's {@link PieceStore}, the directory it
     * would have used, which holds nothing of it.
     */
    public Path directory() {
        lifecycle.requireNotRemoved();
        return lifecycle.directory();
    }

    /** What it is doing now. */
    public TorrentStatus status() {
        TorrentLifecycle.Now now = lifecycle.now();
        SwarmStats stats = now.phase() instanceof TorrentPhase.Running running ? running.runtime().stats() : null;
        RunTotals before = now.before();
        TorrentFiles files = fileTable();
        String name = name();
        int peers = stats != null ? stats.peers() : 0;
        int knownPeers = stats != null ? stats.knownPeers() : 0;
        if (now.phase() instanceof TorrentPhase.WaitingForMetadata waiting) {
            peers = waiting.search().peers();
            knownPeers = waiting.search().knownPeers();
        }
        return new TorrentStatus(infoHash, name, now.phase().state(stats, name),
                files == null ? 0 : files.wantedBytes(), files == null ? 0 : files.verifiedWantedBytes(),
                files == null ? 0 : files.verifiedPieces(), files == null ? 0 : files.pieceCount(),
                before.downloaded() + (stats == null ? 0 : stats.downloaded()),
                before.uploaded() + (stats == null ? 0 : stats.uploaded()),
                before.wasted() + (stats == null ? 0 : stats.wasted()),
                stats == null ? 0 : stats.downRate(), stats == null ? 0 : stats.upRate(), peers, knownPeers);
    }

    /**
     * The statistics of its swarm while it runs, else of the last one (zeros before the first): the figures
     * {@link #status()} is made of, with some more; for the session's tests.
     */
    SwarmStats stats() {
        TorrentLifecycle.Now now = lifecycle.now();
        if (now.phase() instanceof TorrentPhase.Running running) {
            return running.runtime().stats();
        }
        TorrentFiles files = fileTable();
        return now.before().last() != null ? now.before().last() : SwarmStats.initial(0,
                files == null ? 0 : files.pieceCount(), torrent().map(t -> t.info().totalLength()).orElse(0L));
    }

    /**
     * What resume data did for the start, for people, when there is something to say: "resumed 120 of 256 pieces
     * without a check", "resume file … not used (not bencoded …): checked the data". Empty when there was none, or
     * the torrent has not started yet.
     */
    public Optional<String> startNote() {
        return lifecycle.startNote();
    }

    /**
     * Completes when every piece of the files not skipped is verified on disk; fails with the reason if the torrent
     * stops on an error (a disk that cannot be written, for one). A torrent that is complete when added completes it
     * after its check. It stays complete if more files are wanted later.
     */
    public CompletableFuture<Void> completion() {
        return events.completion();
    }

    /**
     * Completes once the torrent's metadata is known: at once for a torrent added from its .torrent (or whose
     * metadata a resume directory kept), and for one added from a magnet link once its metadata is fetched, before
     * its data is checked. Fails if the torrent is removed first, or its metadata is not a valid torrent.
     */
    public CompletableFuture<TorrentHandle> metadata() {
        return events.metadata();
    }

    /**
     * Completes once the torrent knows which pieces it has (its data is checked, or trusted) and has started, or
     * waits for its turn in the session's queue ({@link TorrentState.QueuedToDownload}, {@link
     * TorrentState.QueuedToSeed}); fails if the check fails. For a torrent added paused or without metadata, that is after {@link #resume()} or
     * once its metadata arrives.
     */
    public CompletableFuture<TorrentHandle> checked() {
        return events.checked();
    }

    /** Its files, with how much of each is verified and its priority; empty while it waits for metadata. */
    public List<FileStatus> files() {
        lifecycle.requireNotRemoved();
        TorrentFiles files = fileTable();
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
        lifecycle.requireNotRemoved();
        if (fileTable() == null) {
            throw new IllegalStateException("the torrent " + name() + " has no metadata yet: its files are unknown");
        }
        settings.setFilePriority(index, priority);
    }

    /**
     * Whether pieces are picked in order (within a window, the rarest first inside it), for playing a file while it
     * downloads; at once if the torrent runs.
     *
     * @throws IllegalStateException if the torrent was removed
     */
    public void setSequential(boolean value) {
        lifecycle.requireNotRemoved();
        settings.setSequential(value);
    }

    /** Whether pieces are picked in order; see {@link #setSequential}. */
    public boolean sequential() {
        lifecycle.requireNotRemoved();
        return settings.sequential();
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
        lifecycle.requireNotRemoved();
        settings.setUploadLimit(bytesPerSecond);
    }

    /** The upload limit in payload bytes a second; 0 for none. */
    public long uploadLimit() {
        lifecycle.requireNotRemoved();
        return settings.uploadLimit();
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
        lifecycle.requireNotRemoved();
        settings.setDownloadLimit(bytesPerSecond);
    }

    /** The download limit in payload bytes a second; 0 for none. */
    public long downloadLimit() {
        lifecycle.requireNotRemoved();
        return settings.downloadLimit();
    }

    /**
     * Peers to connect to, found some other way than by the trackers (by hand, or from another program): to get the
     * metadata from while the torrent waits for it, and its data once it runs (or once its turn in the queue comes,
     * while it waits for it). Ignored while it is paused.
     */
    public void addPeer(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved() || address.getPort() == 0) {
            throw new IllegalArgumentException("a peer needs a resolved address and a port: " + address);
        }
        TorrentPhase phase = lifecycle.now().phase();
        if (phase instanceof TorrentPhase.Running running) {
            running.runtime().swarm().peersFound(List.of(address));
        } else if (phase instanceof TorrentPhase.WaitingForMetadata waiting) {
            waiting.search().peersFound(List.of(address));
        } else if (phase instanceof TorrentPhase.Waiting) {
            lifecycle.peerForStart(address);
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
        return PeerStatuses.of(snapshots, fileTable().pieceCount());
    }

    /** The trackers, in BEP 12 order, each with its last result; empty for a torrent without trackers. */
    public List<TrackerStatus> trackers() {
        TorrentPhase phase = lifecycle.now().phase();
        if (phase instanceof TorrentPhase.Running running) {
            return running.runtime().announcer().trackers();
        }
        if (phase instanceof TorrentPhase.WaitingForMetadata waiting) {
            return waiting.search().trackers();
        }
        return Announcer.trackersOf(torrent().map(Torrent::trackerTiers)
                .orElse(magnet.map(link -> link.trackers().stream().map(List::of).toList()).orElse(List.of())));
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

    /** The runtime while it runs, else null; the caller then talks to it holding no lock. */
    private TorrentRuntime runtime() {
        return lifecycle.now().phase() instanceof TorrentPhase.Running running ? running.runtime() : null;
    }

    /**
     * Stops the torrent, keeping it in the session: closes its connections, tells its trackers {@code stopped}
     * (waiting 2 s for them at most), forces its data to disk, saves its resume data and closes its files. A
     * torrent still waiting for its check is taken out of the queue. Does nothing to a paused torrent.
     */
    public void pause() {
        lifecycle.pause();
        session.queue().update(); // its place in its queue may be free
    }

    /**
     * Starts a paused torrent, or one stopped by an error: it checks what changed on disk while it was stopped
     * (files whose size or time differ are checked again, as at a start from resume data), then goes on. A torrent
     * whose storage failed while it ran (its state {@link TorrentState.Failed} and not {@link
     * TorrentState.Failed#retrying() retrying}: a disk error, or its {@link PieceStore}'s) is stopped first, as
     * {@link #pause()} stops it, then started the same way, so that resuming it tries again, as "start" does in
     * Transmission or qBittorrent; its {@link #completion()} stays failed, so watch its {@link #status()} or the
     * session's events to see it finish. Does nothing to a running torrent, nor to one paused by a full disk,
     * which tries again by itself. Once checked, it waits for its turn in the session's queue (see {@link
     * #queuePosition()}) unless it is {@link #setForceStart force-started}. A seed resumed past its ratio limit has
     * its ratio limit turned off ({@link SeedLimits.Mode#UNLIMITED}), as Transmission does when a user starts it
     * again, or it would be paused again at once.
     */
    public void resume() {
        lifecycle.requireNotRemoved();
        session.queue().resumedByHand(this);
        lifecycle.resume();
    }

    /**
     * Checks every piece of the data again, ignoring what resume data says, as at a first start; for data changed
     * behind jtorrent's back. A running torrent stops for the check and goes on after it; a paused one stays paused
     * with what the check found.
     *
     * @return completes when the check is done; fails if it could not be done, with a {@link
     *         java.util.concurrent.CancellationException} if the torrent was paused or asked to check again before
     *         it was done, and with an {@link IllegalStateException} if it was removed
     * @throws IllegalStateException if the torrent has no metadata yet, or was removed
     */
    public CompletableFuture<Void> recheck() {
        return requireMetadata("checked").maintenance().recheck();
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
        Contents now = requireMetadata("moved");
        if (store.isPresent()) {
            throw new UnsupportedOperationException("the torrent " + name() + " is kept in a store of the program's"
                    + " own (AddOptions.storage), not in files: there is nothing to move");
        }
        return now.maintenance().move(directory);
    }

    /**
     * Its place in the session's queue, 0 first: unique and without gaps over the session's torrents, in the order
     * they were added unless moved ({@link #moveQueueTo}, or {@link AddOptions#queuePosition()}), and closing up
     * when a torrent is removed. A paused torrent keeps its place. When the session's download or seed queue is on
     * and full, the torrents waiting for it ({@link TorrentState.QueuedToDownload}, {@link TorrentState.QueuedToSeed})
     * start in this order as room frees up. Not kept by the session across restarts: a program that wants it kept
     * saves it, and gives it back at the next add.
     *
     * @throws IllegalStateException if the torrent was removed
     */
    public int queuePosition() {
        lifecycle.requireNotRemoved();
        return session.queue().position(this);
    }

    /**
     * Moves it to {@code position} in the queue; the torrents between its old and new places move one place towards
     * its old one. A torrent that runs keeps running wherever it moves, as in Transmission: moves decide which
     * waiting torrent starts next.
     *
     * @throws IndexOutOfBoundsException if {@code position} is not in 0 to the number of torrents less one
     * @throws IllegalStateException     if the torrent was removed
     */
    public void moveQueueTo(int position) {
        lifecycle.requireNotRemoved();
        session.queue().move(this, position);
    }

    /** Moves it to the top of the queue (position 0); see {@link #moveQueueTo}. */
    public void moveQueueToTop() {
        moveQueueTo(0);
    }

    /** Moves it one place up the queue, unless it is at the top; see {@link #moveQueueTo}. */
    public void moveQueueUp() {
        lifecycle.requireNotRemoved();
        session.queue().moveBy(this, -1);
    }

    /** Moves it one place down the queue, unless it is at the bottom; see {@link #moveQueueTo}. */
    public void moveQueueDown() {
        lifecycle.requireNotRemoved();
        session.queue().moveBy(this, 1);
    }

    /** Moves it to the bottom of the queue; see {@link #moveQueueTo}. */
    public void moveQueueToBottom() {
        lifecycle.requireNotRemoved();
        session.queue().moveBy(this, Integer.MAX_VALUE);
    }

    /**
     * Whether it runs whatever the session's queues say (qBittorrent's force start, Transmission's "start now"); it
     * then does not count against its queue either. A waiting torrent forced starts at once; a paused one still
     * needs {@link #resume()}. Taken back while it runs, it keeps running and counts again. Not kept by the session
     * across restarts: see {@link AddOptions#forceStart()}.
     *
     * @throws IllegalStateException if the torrent was removed
     */
    public void setForceStart(boolean value) {
        lifecycle.requireNotRemoved();
        session.queue().setForced(this, value);
    }

    /** Whether it is force-started; see {@link #setForceStart}. */
    public boolean forceStart() {
        lifecycle.requireNotRemoved();
        return session.queue().forced(this);
    }

    /** When it stops seeding: the session's limits unless set otherwise; see {@link SeedLimits}. */
    public SeedLimits seedLimits() {
        lifecycle.requireNotRemoved();
        return session.queue().seedLimits(this);
    }

    /**
     * Sets when it stops seeding, at once: a seed already past a new limit is paused now. Not kept by the session
     * across restarts: see {@link AddOptions#seedLimits()}.
     *
     * @throws IllegalStateException if the torrent was removed
     */
    public void setSeedLimits(SeedLimits limits) {
        Objects.requireNonNull(limits, "limits");
        lifecycle.requireNotRemoved();
        session.queue().setSeedLimits(this, limits);
    }

    private Contents requireMetadata(String what) {
        lifecycle.requireNotRemoved();
        Contents now = contents;
        if (now == null) {
            throw new IllegalStateException("the torrent " + name() + " has no metadata yet: its files cannot be "
                    + what);
        }
        return now;
    }

    // For the session.

    /** Its phase and the changes of it, for the session to start it. */
    TorrentLifecycle lifecycle() {
        return lifecycle;
    }

    /** What it was set to download, and at what rates, for the session to make its swarm. */
    TorrentSettings settings() {
        return settings;
    }

    /** What it tells the world, for the session to hook its runs to. */
    TorrentEvents events() {
        return events;
    }

    /** The factory of the embedder's store its pieces are kept in; empty for files. */
    Optional<PieceStore.Factory> store() {
        return store;
    }

    @Override
    public String toString() {
        return "TorrentHandle[" + name() + ", " + infoHash.hex() + "]";
    }
}
