package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.FileRename;
import dev.jtorrent.swarm.PeerSnapshot;
import dev.jtorrent.swarm.SwarmStats;
import dev.jtorrent.tracker.TrackerError;

import java.net.InetSocketAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

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
    /** Its trackers, as given and as edited since. */
    private final TorrentTrackers trackerList;
    /** Its dates and running times. */
    private final Activity activity;
    /** Where its record is kept between runs, if anywhere. */
    private final ResumeDirectory resume;
    /** Held while its record is written, so that two saves do not interleave. */
    private final ReentrantLock recordLock = new ReentrantLock();

    /** What a torrent's metadata brings: its files, where they are, and what can be done to them. */
    private record Contents(Torrent torrent, TorrentFiles files, Maintenance maintenance, FileNames names) {
    }

    /** The renamed files' paths its record kept, for its metadata: see {@link FileNames}. */
    private final SortedMap<Integer, List<String>> keptPaths;
    /**
     * The journal of a rename under way, or cut short by a crash: each file renamed, by index, with the path it
     * leaves. Empty when none is. Guarded by {@link #recordLock}.
     */
    private SortedMap<Integer, List<String>> renaming = new TreeMap<>();

    TorrentHandle(Session session, InfoHash infoHash, String displayName, Optional<Torrent> torrent,
                  Optional<MagnetLink> magnet, Path directory, AddOptions options) {
        this.infoHash = infoHash;
        this.displayName = displayName;
        this.magnet = magnet;
        this.options = options;
        this.session = session;
        this.store = options.storage();
        this.resume = session.resume();
        // A torrent in an embedder's store writes nothing to the resume directory, its record included.
        Optional<TorrentRecord> kept = store.isPresent() ? Optional.empty() : resume.savedRecord(infoHash);
        this.trackerList = kept.flatMap(TorrentRecord::trackers).map(tiers -> new TorrentTrackers(tiers, true))
                .orElseGet(() -> new TorrentTrackers(torrent.map(Torrent::trackerTiers).orElse(magnet
                        .map(link -> link.trackers().stream().map(List::of).toList()).orElse(List.of())), false));
        this.keptPaths = kept.map(TorrentRecord::paths).orElse(new TreeMap<>());
        kept.ifPresent(record -> renaming = new TreeMap<>(record.renaming()));
        this.activity = kept.map(record -> new Activity(record.added(), record.completed(), record.lastActivity(),
                record.downloading(), record.seeding())).orElseGet(() -> Activity.startingAt(Instant.now()));
        this.settings = new TorrentSettings(this::fileTable, options);
        this.events = new TorrentEvents(this, this::fileTable, session.events());
        this.lifecycle = new TorrentLifecycle(this, session, settings, events, directory, options.paused(),
                torrent.isPresent());
        kept.ifPresent(record -> lifecycle.keptTotals(new RunTotals(record.downloaded(), record.uploaded(),
                record.wasted(), null)));
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
        trackerList.metadataArrived(torrent.trackerTiers());
        FileNames names = new FileNames(torrent.info(), keptPaths);
        contents = new Contents(torrent, new TorrentFiles(names.layout(), wanted),
                new Maintenance(torrent, lifecycle, session.moves(), names::layout), names);
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
        TorrentStatus status = new TorrentStatus(infoHash, name, now.phase().state(stats, name),
                files == null ? 0 : files.wantedBytes(), files == null ? 0 : files.verifiedWantedBytes(),
                files == null ? 0 : files.verifiedPieces(), files == null ? 0 : files.pieceCount(),
                before.downloaded() + (stats == null ? 0 : stats.downloaded()),
                before.uploaded() + (stats == null ? 0 : stats.uploaded()),
                before.wasted() + (stats == null ? 0 : stats.wasted()),
                stats == null ? 0 : stats.downRate(), stats == null ? 0 : stats.upRate(), peers, knownPeers);
        activity.payload(status.downloaded() + status.uploaded(),
                status.downloadRate() >= 1 || status.uploadRate() >= 1, Instant.now());
        return status;
    }

    /**
     * When it was added and completed, when payload last moved, and how long it has downloaded and seeded: for
     * Transmission's and qBittorrent's dates and times. With a resume directory they survive a restart, as do the
     * totals of {@link #status()}: both are written when the torrent completes, is paused, or its session closes
     * (so a crash loses what happened since the last of these). A torrent kept in an embedder's {@link PieceStore}
     * writes nothing to the resume directory, and starts them afresh at each add.
     *
     * @throws IllegalStateException if the torrent was removed
     */
    public TorrentTimes times() {
        lifecycle.requireNotRemoved();
        status(); // looks at the payload moved, for the last activity
        return activity.times(System.nanoTime());
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

    /**
     * Which pieces are verified and on disk, as a BEP 3 bitfield (piece 0 is the high bit of the first byte, the
     * spare bits of the last byte are clear): what a user interface draws as the torrent's piece bar, and what
     * Transmission's RPC sends as {@code pieces}. Empty while it waits for metadata.
     */
    public byte[] verifiedPieces() {
        TorrentFiles files = fileTable();
        return files == null ? new byte[0] : files.verifiedBitfield();
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
        return Announcer.trackersOf(trackerList.tiers());
    }

    /**
     * Adds a tracker at the end of tier {@code tier} (BEP 12), or in a new last tier if {@code tier} is the count
     * of tiers; a running torrent announces to it at once. Kept across restarts with a resume directory, as every
     * edit of the trackers is (but not for a torrent in an embedder's {@link PieceStore}, which writes nothing
     * there).
     *
     * @param url an {@code http}, {@code https} or {@code udp} announce URL (white space around it is ignored)
     * @throws IllegalArgumentException if the URL is not a tracker's, is one of the torrent's already, there is no
     *                                  such tier, or the torrent has {@value TorrentTrackers#MAX_TRACKERS} trackers;
     *                                  the message says which, in one line
     * @throws IllegalStateException    if the torrent was removed
     */
    public void addTracker(String url, int tier) {
        lifecycle.requireNotRemoved();
        trackerList.add(url, tier);
        trackersEdited();
    }

    /** Adds a tracker in a tier of its own after the others, as Transmission's {@code trackerAdd} does. */
    public void addTracker(String url) {
        lifecycle.requireNotRemoved();
        trackerList.addTier(url);
        trackersEdited();
    }

    /**
     * Removes a tracker; a tier left empty goes. A running torrent stops announcing to it (it is not told {@code
     * stopped}).
     *
     * @return false if it was not one of the torrent's trackers
     * @throws IllegalStateException if the torrent was removed
     */
    public boolean removeTracker(String url) {
        lifecycle.requireNotRemoved();
        if (!trackerList.remove(Objects.requireNonNull(url, "url"))) {
            return false;
        }
        trackersEdited();
        return true;
    }

    /**
     * Puts {@code url} in the place of tracker {@code old}, in its tier: qBittorrent's {@code editTracker},
     * Transmission's {@code trackerReplace}.
     *
     * @throws IllegalArgumentException if {@code old} is not one of the torrent's trackers, or {@code url} is not a
     *                                  tracker's or is one already
     * @throws IllegalStateException    if the torrent was removed
     */
    public void replaceTracker(String old, String url) {
        lifecycle.requireNotRemoved();
        trackerList.replace(Objects.requireNonNull(old, "old"), url);
        trackersEdited();
    }

    /** The trackers now, as edited: what its announcer is made from at each start. */
    List<List<String>> trackerTiers() {
        return trackerList.tiers();
    }

    /**
     * The trackers changed: the running announcer takes them, and the record keeps them. Edits racing each other
     * each hand over the list as it is then, one at a time, so the last handed over is the latest.
     */
    private void trackersEdited() {
        // Not under the list's lock: the lifecycle takes that one inside its own (metadataArrived).
        TorrentPhase phase = lifecycle.now().phase();
        synchronized (trackerList) {
            List<List<String>> tiers = trackerList.tiers();
            if (phase instanceof TorrentPhase.Running running) {
                running.runtime().announcer().setTrackers(tiers);
            } else if (phase instanceof TorrentPhase.WaitingForMetadata waiting) {
                waiting.search().setTrackers(tiers);
            }
        }
        saveRecord();
    }

    /** Its dates and running times, for its events. */
    Activity activity() {
        return activity;
    }

    /**
     * Writes its record (dates, times, totals, edited trackers) to the resume directory, if the session has one; a
     * failure is logged, and only means those start afresh at the next add.
     */
    void saveRecord() {
        recordLock.lock();
        try {
            writeRecord();
        } catch (IOException e) {
            System.getLogger(TorrentHandle.class.getName()).log(System.Logger.Level.WARNING, name()
                    + ": cannot keep its dates, totals and trackers: " + e.getMessage());
        } finally {
            recordLock.unlock();
        }
    }

    /** Holding {@link #recordLock}: writes its record as it is now, unless it was removed. */
    private void writeRecord() throws IOException {
        if (lifecycle.removed() || store.isPresent()) {
            return; // its record is forgotten with it; a torrent in a store keeps none
        }
        TorrentTimes times = activity.times(System.nanoTime());
        TorrentLifecycle.Now now = lifecycle.now();
        SwarmStats stats = now.phase() instanceof TorrentPhase.Running running ? running.runtime().stats() : null;
        RunTotals totals = stats == null ? now.before() : now.before().plus(stats);
        Contents known = contents;
        resume.saveRecord(new TorrentRecord(infoHash, times.added(), times.completed(), times.lastActivity(),
                times.downloading(), times.seeding(), totals.downloaded(), totals.uploaded(), totals.wasted(),
                trackerList.edited() ? Optional.of(trackerList.tiers()) : Optional.empty(),
                known == null ? keptPaths : known.names().renamed(), renaming));
    }

    /**
     * Announces to every tracker now, and on the DHT if the session runs it and the torrent is public, as
     * Transmission's {@code torrent-reannounce} and qBittorrent's {@code torrents/reannounce} do: for peers now
     * rather than at the trackers' next interval. A tracker sent an announce less than a minute ago (or less than
     * its own {@code min interval}, if longer) is announced to once that gap has passed, and the DHT likewise once
     * a minute after its last lookup, so that a program calling this in a loop cannot make the torrent hammer its
     * trackers. A torrent waiting for its metadata asks its magnet link's trackers; a paused one does nothing.
     *
     * @throws IllegalStateException if the torrent was removed
     */
    public void reannounce() {
        lifecycle.requireNotRemoved();
        TorrentPhase phase = lifecycle.now().phase();
        if (phase instanceof TorrentPhase.Running running) {
            running.runtime().reannounce();
        } else if (phase instanceof TorrentPhase.WaitingForMetadata waiting) {
            waiting.search().reannounce();
        }
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
        saveRecord();
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
     * behind jtorrent's back. A running torrent stops for the check and goes on after it (a torrent being checked
     * does not count against the session's queue, so if the queue filled meanwhile it waits for its turn); a paused
     * one stays paused with what the check found.
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

    /**
     * Whether it runs and is stalled by the session's stalled rule ({@link Session#queueStalledEnabled()}): no
     * payload has moved either way for {@link Session#queueStalledAfter()}, so it no longer counts against its
     * queue. Transmission's {@code isStalled}; always false while the rule is off, and for a torrent that does not
     * run. Its idle time counts from the start of its run, at the resolution of the queue's looks (a second).
     *
     * @throws IllegalStateException if the torrent was removed
     */
    public boolean stalled() {
        lifecycle.requireNotRemoved();
        return session.queue().stalled(this);
    }

    /**
     * How much longer it may seed without uploading before its idle limit ({@link SeedLimits}) pauses it; zero once
     * reached. Empty unless it runs as a seed with an idle limit in force. Transmission's {@code etaIdle}.
     *
     * @throws IllegalStateException if the torrent was removed
     */
    public Optional<Duration> untilIdleLimit() {
        lifecycle.requireNotRemoved();
        return session.queue().untilIdleLimit(this);
    }

    /**
     * Whether a seed limit paused it ({@link SessionEvent.SeedLimitReached}) and it has not run since: its seeding
     * is done, as Transmission's {@code isFinished} says. A resume clears it once the torrent runs again.
     *
     * @throws IllegalStateException if the torrent was removed
     */
    public boolean seedLimitReached() {
        lifecycle.requireNotRemoved();
        return session.queue().seedLimitReached(this);
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

    /**
     * Renames a file or a folder of the torrent, on disk and for good: Transmission's {@code torrent-rename-path},
     * qBittorrent's {@code renameFile} and {@code renameFolder}. {@code path} is as {@link FileStatus#path()} shows
     * it, the torrent's name first ({@code "Album/CD1/01.flac"}, {@code "Album/CD1"}, or {@code "Album"} for its top
     * folder, or its one file); {@code newName} replaces its last name. Each file is renamed on its own, atomically
     * and never over anything already there; the files of a folder keep their place below it, and the old folders
     * left empty go. Files not created yet just have their new paths. The torrent's {@link #name()} stays its
     * metadata's. A running torrent stops for the rename and goes on after it (its state {@link
     * TorrentState.Moving} meanwhile), a paused one stays paused; its data is not checked again. With a resume
     * directory, the new paths are kept across restarts, and a rename that a crash cut short is finished at the
     * next start.
     *
     * @return completes once the files are renamed; fails, with the files as they were, if one cannot be (a file is
     *         in the way on disk, say)
     * @throws IllegalArgumentException      if {@code newName} is not one valid file name here (no separator, not
     *                                       {@code .} or {@code ..}, nothing the path sanitiser would change),
     *                                       {@code path} is no file or folder of the torrent, or another of its files
     *                                       is at the new path
     * @throws IllegalStateException         if the torrent has no metadata yet, or was removed
     * @throws UnsupportedOperationException if it is kept in an embedder's {@link PieceStore}: it has no files
     */
    public CompletableFuture<Void> renamePath(String path, String newName) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(newName, "newName");
        Contents now = requireMetadata("renamed");
        if (store.isPresent()) {
            throw new UnsupportedOperationException("the torrent " + name() + " is kept in a store of the program's"
                    + " own (AddOptions.storage), not in files: there is nothing to rename");
        }
        now.names().plan(path, newName); // refused now rather than through the future, if it can be
        return now.maintenance().rename(directory -> renameFiles(now, directory, path, newName));
    }

    /**
     * The rename itself, the torrent stopped: the new paths and the journal are recorded first, then each file is
     * renamed, then the journal is cleared. A file that cannot be renamed undoes those renamed before it.
     */
    private void renameFiles(Contents now, Path directory, String path, String newName) throws IOException {
        FileNames.Plan plan = now.names().plan(path, newName);
        if (plan.isEmpty()) {
            return;
        }
        // Nothing of anyone else's at the new path, nor (for a folder) inside it: it is never overwritten, nor
        // written into later by a file not created yet.
        if (!FileRename.free(directory, plan.target())) {
            throw new IOException("cannot rename " + path + " to " + String.join("/", plan.target())
                    + ": something is there already, and is not overwritten");
        }
        journal(now, plan, plan.from());
        List<Integer> done = new ArrayList<>();
        try {
            for (Map.Entry<Integer, List<String>> file : plan.from().entrySet()) {
                if (FileRename.rename(directory, file.getValue(), plan.to().get(file.getKey()))) {
                    done.add(file.getKey());
                }
            }
        } catch (IOException e) {
            for (int index : done.reversed()) {
                try {
                    FileRename.rename(directory, plan.to().get(index), plan.from().get(index));
                } catch (IOException undo) {
                    e.addSuppressed(undo);
                }
            }
            journal(now, new FileNames.Plan(plan.target(), plan.to(), plan.from()), new TreeMap<>());
            throw e;
        }
        FileRename.removeEmptyDirectories(directory, plan.from().values());
        journal(now, new FileNames.Plan(plan.target(), plan.to(), plan.to()), new TreeMap<>());
    }

    /** The files take the paths of {@code plan}, with {@code journal} as the rename under way; both recorded. */
    private void journal(Contents now, FileNames.Plan plan, SortedMap<Integer, List<String>> journal)
            throws IOException {
        recordLock.lock();
        try {
            now.names().apply(plan);
            now.files().laidOut(now.names().layout());
            renaming = new TreeMap<>(journal);
            writeRecord();
        } finally {
            recordLock.unlock();
        }
    }

    /**
     * Before a start: finishes a rename that a crash cut short (its record's journal), each file moved to its new
     * path, or left where it is if the move was done.
     */
    void finishRename() throws IOException {
        Contents now = contents;
        recordLock.lock();
        try {
            if (now == null || renaming.isEmpty()) {
                return;
            }
            SortedMap<Integer, List<String>> paths = now.names().renamed();
            List<dev.jtorrent.metainfo.FileEntry> files = now.names().layout().files();
            for (Map.Entry<Integer, List<String>> file : renaming.entrySet()) {
                if (file.getKey() < files.size()) {
                    FileRename.finish(lifecycle.directory(), file.getValue(), files.get(file.getKey()).path());
                }
            }
            FileRename.removeEmptyDirectories(lifecycle.directory(), renaming.values());
            System.getLogger(TorrentHandle.class.getName()).log(System.Logger.Level.INFO, "{0}: finished renaming"
                    + " {1} files, which a crash had cut short ({2} renamed in all)", name(), renaming.size(),
                    paths.size());
            renaming = new TreeMap<>();
            writeRecord();
        } finally {
            recordLock.unlock();
        }
    }

    /** Where its files are under its directory: its info dictionary, with the paths of renamed files. */
    dev.jtorrent.metainfo.InfoDictionary layout() {
        Contents now = contents;
        if (now == null) {
            throw new IllegalStateException("the torrent " + name() + " has no metadata yet");
        }
        return now.names().layout();
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
