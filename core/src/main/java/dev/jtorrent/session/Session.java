package dev.jtorrent.session;

import dev.jtorrent.budget.SessionBudgets;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.InvalidTorrentException;
import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.peer.ConnectionTarget;
import dev.jtorrent.peer.Handshaker;
import dev.jtorrent.storage.ChannelOpener;
import dev.jtorrent.storage.FileState;
import dev.jtorrent.storage.FileStorage;
import dev.jtorrent.storage.PieceChecker;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.storage.Storage;
import dev.jtorrent.storage.StorageException;
import dev.jtorrent.storage.StorageMove;
import dev.jtorrent.swarm.DownloadOptions;
import dev.jtorrent.swarm.PieceRecorder;
import dev.jtorrent.swarm.PieceSet;
import dev.jtorrent.swarm.Swarm;
import dev.jtorrent.swarm.SwarmConfig;
import dev.jtorrent.tracker.TrackerTiers;
import dev.jtorrent.wire.PeerId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A BitTorrent client: one listen socket, one peer id, one pool of disk threads, and any number of torrents, each
 * with a {@link TorrentHandle}. Incoming connections are routed to a torrent by the info hash in their handshake.
 * Thread-safe.
 *
 * <pre>{@code
 * try (Session session = Session.start(SessionConfig.builder().port(0).build())) {
 *     TorrentHandle handle = session.add(Torrent.load(Path.of("debian.torrent")),
 *             AddOptions.builder().downloadDirectory(Path.of("downloads")).build());
 *     handle.completion().join();
 * }
 * }</pre>
 *
 * <p>Adding is quick: {@link #add(Torrent, AddOptions)} returns a handle at once, and the torrent checks its data
 * in the background, one torrent at a time across the session, as Transmission and qBittorrent do. {@link
 * #subscribe} tells a listener what happens to every torrent.
 */
public final class Session implements AutoCloseable {
    /** Events waiting for one subscriber at most; past it, the newest are dropped and counted. */
    public static final int EVENT_QUEUE_LIMIT = 4096;
    private static final System.Logger LOG = System.getLogger(Session.class.getName());
    private final SessionConfig config;
    /** How torrent data and resume files are opened: the real disk, or a faulty one in tests. */
    private final ChannelOpener opener;
    private final PeerId peerId = PeerId.random("-JT0010-");
    private final ServerSocketChannel listener;
    /** Where {@link #listener} is bound; kept, since a closed channel no longer says. */
    private final InetSocketAddress listening;
    private final Handshaker handshaker;
    private final ExecutorService diskPool;
    /** Checks the data of added torrents one at a time, on {@link #diskPool}. */
    private final CheckQueue checks;
    /** The running swarms, by info hash, for incoming connections. */
    private final Map<InfoHash, Swarm> swarms = new ConcurrentHashMap<>();
    /** Every torrent in the session, in the order they were added. Guarded by itself. */
    private final Map<InfoHash, TorrentHandle> handles = new LinkedHashMap<>();
    private final EventHub events = new EventHub(EVENT_QUEUE_LIMIT);
    /** Connections, memory and rates, shared by all the torrents of the session. */
    private final SessionBudgets budgets;
    /** Takes incoming connections from {@link #listener}, backing off when it fails. */
    private final AcceptLoop acceptLoop;
    private final SplittableRandom random = new SplittableRandom();
    private volatile boolean closed;

    private Session(SessionConfig config, ServerSocketChannel listener, InetSocketAddress listening,
                    ChannelOpener opener) {
        this.config = config;
        this.opener = opener;
        this.listener = listener;
        this.listening = listening;
        this.budgets = config.budgets();
        this.handshaker = new Handshaker(peerId, config.bindAddress(), config.swarm().maxPeers(), budgets.download());
        int diskThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.diskPool = Executors.newFixedThreadPool(diskThreads, runnable -> {
            Thread thread = new Thread(runnable, "disk");
            thread.setDaemon(true);
            return thread;
        });
        this.checks = new CheckQueue(diskPool, diskThreads);
        this.acceptLoop = new AcceptLoop(listener::accept,
                channel -> Thread.ofVirtual().name("incoming").start(() -> handshaker.accept(channel, swarms::get)),
                () -> closed, Thread::sleep, message -> LOG.log(System.Logger.Level.WARNING, message));
    }

    /**
     * Opens the listen socket and starts accepting connections.
     *
     * @throws IOException if the address and port cannot be listened on (the message says which)
     */
    public static Session start(SessionConfig config) throws IOException {
        return start(config, ChannelOpener.DEFAULT);
    }

    /** A session whose disk is simulated by {@code opener}: for tests of full disks and power cuts. */
    static Session start(SessionConfig config, ChannelOpener opener) throws IOException {
        Objects.requireNonNull(config, "config");
        ServerSocketChannel listener = ServerSocketChannel.open();
        InetSocketAddress listening;
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(config.bindAddress().orElse(null), config.port()), 128);
            listening = (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            listener.close();
            throw new IOException("cannot listen on " + config.bindAddress().map(a -> a.getHostAddress() + ":")
                    .orElse("port ") + config.port() + ": " + e.getMessage(), e);
        }
        Session session = new Session(config, listener, listening, opener);
        Thread.ofVirtual().name("listener").start(session.acceptLoop::run);
        return session;
    }

    /** The port it listens on: the configured one, or the one the system picked for port 0. */
    public int port() {
        return listening.getPort();
    }

    /**
     * The settings it was started with; the limits changed since ({@link #setDownloadLimit} and the others) are
     * not in it.
     */
    public SessionConfig config() {
        return config;
    }

    /** Payload bytes a second that all torrents download at most now, together; 0 for no limit. */
    public long downloadLimit() {
        return budgets.download().bytesPerSecond();
    }

    /**
     * Changes the session-wide download limit (at the start, {@link SessionConfig#downloadLimit()}) at once, for the
     * running torrents too; each torrent's own limit still applies within it. Each connection's reader keeps the wait
     * it was given at the old rate, and reads at the new rate from its next block on: lowered, the limit holds after
     * one more block of each connection.
     *
     * @param bytesPerSecond payload bytes a second, over all torrents; 0 for no limit
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     */
    public void setDownloadLimit(long bytesPerSecond) {
        budgets.download().setBytesPerSecond(SessionConfig.Builder.notNegative("downloadLimit", bytesPerSecond));
    }

    /** Payload bytes a second that all torrents upload at most now, together; 0 for no limit. */
    public long uploadLimit() {
        return budgets.upload().bytesPerSecond();
    }

    /**
     * Changes the session-wide upload limit (at the start, {@link SessionConfig#uploadLimit()}) at once, for the
     * running torrents too; each torrent's own limit still applies within it. A torrent waiting to send its next
     * block asks again at least once a second while it has peers, so a changed limit holds within about a second.
     *
     * @param bytesPerSecond payload bytes a second, over all torrents; 0 for no limit
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     */
    public void setUploadLimit(long bytesPerSecond) {
        budgets.upload().setBytesPerSecond(SessionConfig.Builder.notNegative("uploadLimit", bytesPerSecond));
    }

    /** Peer connections the session keeps at most now, over all its torrents, outgoing attempts included. */
    public int maxConnections() {
        return (int) budgets.connections().limit();
    }

    /**
     * Changes the most peer connections the session keeps (at the start, {@link SessionConfig#maxConnections()}) at
     * once. Raised, torrents that waited for a connection try again at once. Lowered below the connections open now,
     * it closes none of them: no connection is admitted, incoming or outgoing, until enough have ended by themselves
     * to be under the new limit; meanwhile, as whenever the session is full, a torrent holding more than its fair
     * part gives up its least useful peer once a second while another torrent waits for one. (libtorrent instead
     * disconnects peers at once, spread over its torrents, to get under a lowered {@code connections_limit}.)
     *
     * @param connections at least 1
     * @throws IllegalArgumentException if {@code connections} is under 1
     */
    public void setMaxConnections(int connections) {
        budgets.connections().setLimit(SessionConfig.Builder.atLeastOne("maxConnections", connections));
    }

    /** Outgoing connection attempts in progress at most now, over all torrents. */
    public int maxHalfOpen() {
        return (int) budgets.halfOpen().limit();
    }

    /**
     * Changes the most outgoing connection attempts in progress at once (at the start, {@link
     * SessionConfig#maxHalfOpen()}), as {@link #setMaxConnections} does for connections: lowered, no attempt under
     * way is stopped, and none starts until fewer than the new limit are under way.
     *
     * @param attempts at least 1
     * @throws IllegalArgumentException if {@code attempts} is under 1
     */
    public void setMaxHalfOpen(int attempts) {
        budgets.halfOpen().setLimit(SessionConfig.Builder.atLeastOne("maxHalfOpen", attempts));
    }

    PeerId peerId() {
        return peerId;
    }

    /** How many accepts on the listen socket have failed so far; for tests. */
    long acceptFailures() {
        return acceptLoop.failures();
    }

    /** The budgets the torrents share; for tests. */
    SessionBudgets budgets() {
        return budgets;
    }

    /** What answers and dials connections, with the pools of their buffers; for tests. */
    Handshaker handshaker() {
        return handshaker;
    }

    EventHub events() {
        return events;
    }

    /** A torrent's swarm stopped: incoming connections for it are refused from now on. */
    void swarmStopped(Swarm swarm) {
        swarms.remove(swarm.infoHash(), swarm);
    }

    /**
     * Adds a torrent and returns its handle at once. Unless {@code options} say paused, it then checks the data
     * already in its directory (after the checks of torrents added before it) and starts: it connects to peers and
     * announces to its trackers. {@link TorrentHandle#checked()} completes when the check is done.
     *
     * @throws IllegalStateException if a torrent of the same info hash is in the session, or the session is closed
     */
    public TorrentHandle add(Torrent torrent, AddOptions options) {
        Objects.requireNonNull(torrent, "torrent");
        Objects.requireNonNull(options, "options");
        TorrentHandle handle = new TorrentHandle(this, torrent.infoHash(), torrent.name(), Optional.of(torrent),
                options.downloadDirectory().orElse(config.downloadDirectory()), options);
        register(handle);
        if (!options.paused()) {
            activate(handle, null, options.trustData(), false);
        }
        return handle;
    }

    /**
     * Reads a {@code .torrent} file and adds it, as {@link #add(Torrent, AddOptions)}.
     *
     * @throws IOException             if the file cannot be read
     * @throws InvalidTorrentException if it is not a valid torrent
     */
    public TorrentHandle addTorrentFile(Path file, AddOptions options) throws IOException, InvalidTorrentException {
        return add(Torrent.load(Objects.requireNonNull(file, "file")), options);
    }

    /**
     * Adds the torrent whose metainfo ({@code .torrent} file contents) is {@code metainfo}, as {@link
     * #add(Torrent, AddOptions)}.
     *
     * @throws InvalidTorrentException if it is not a valid torrent
     */
    public TorrentHandle add(byte[] metainfo, AddOptions options) throws InvalidTorrentException {
        return add(Torrent.parse(Objects.requireNonNull(metainfo, "metainfo")), options);
    }

    /**
     * Adds a torrent from a magnet link. Its handle is {@link TorrentState.WaitingForMetadata waiting for
     * metadata}, named by the link's display name until the metadata arrives.
     *
     * @throws IllegalArgumentException if the link has no v1 info hash ({@code urn:btih}): v2-only links are not
     *                                  supported yet
     * @throws IllegalStateException    if a torrent of the same info hash is in the session
     */
    public TorrentHandle add(MagnetLink magnet, AddOptions options) {
        Objects.requireNonNull(magnet, "magnet");
        InfoHash infoHash = magnet.infoHash().orElseThrow(() -> new IllegalArgumentException(
                "the magnet link has no BitTorrent v1 info hash (urn:btih); v2-only links are not supported yet"));
        return addWithoutMetadata(infoHash, magnet.displayName().orElse(infoHash.hex()), options);
    }

    /**
     * Adds a torrent known only by its info hash; its handle is {@link TorrentState.WaitingForMetadata waiting for
     * metadata}.
     *
     * @throws IllegalStateException if a torrent of the same info hash is in the session
     */
    public TorrentHandle add(InfoHash infoHash, AddOptions options) {
        Objects.requireNonNull(infoHash, "infoHash");
        return addWithoutMetadata(infoHash, infoHash.hex(), options);
    }

    private TorrentHandle addWithoutMetadata(InfoHash infoHash, String name, AddOptions options) {
        Objects.requireNonNull(options, "options");
        TorrentHandle handle = new TorrentHandle(this, infoHash, name, Optional.empty(),
                options.downloadDirectory().orElse(config.downloadDirectory()), options);
        register(handle);
        return handle;
    }

    private void register(TorrentHandle handle) {
        synchronized (handles) {
            if (closed) {
                throw new IllegalStateException("the session is closed");
            }
            if (handles.containsKey(handle.infoHash())) {
                throw new IllegalStateException("the torrent " + handle.name() + " (" + handle.infoHash().hex()
                        + ") is already in the session");
            }
            handles.put(handle.infoHash(), handle);
        }
        events.publish(new SessionEvent.TorrentAdded(handle));
    }

    /** Every torrent in the session, in the order they were added. */
    public List<TorrentHandle> torrents() {
        synchronized (handles) {
            return List.copyOf(handles.values());
        }
    }

    /** The torrent of {@code infoHash}, if it is in the session. */
    public Optional<TorrentHandle> find(InfoHash infoHash) {
        Objects.requireNonNull(infoHash, "infoHash");
        synchronized (handles) {
            return Optional.ofNullable(handles.get(infoHash));
        }
    }

    /**
     * Removes a torrent: stops it as {@link TorrentHandle#pause()} does, forgets its resume data, and with {@code
     * deleteData} deletes its files (only the files of the torrent, and then the directories of it left empty), or
     * for a torrent kept in an embedder's store, has its {@link PieceStore.Factory#delete} delete its pieces. The
     * handle stops working.
     *
     * @throws IllegalArgumentException if the handle is of another session
     * @throws IllegalStateException    if it was already removed
     * @throws IOException              if its files (or its store's pieces) cannot all be deleted (the torrent is
     *                                  removed all the same)
     */
    public void remove(TorrentHandle handle, boolean deleteData) throws IOException {
        Objects.requireNonNull(handle, "handle");
        synchronized (handles) {
            if (handles.get(handle.infoHash()) != handle) {
                if (handle.removed()) {
                    throw new IllegalStateException("the torrent " + handle.name() + " was already removed");
                }
                throw new IllegalArgumentException("the torrent " + handle.name() + " is not in this session");
            }
            handles.remove(handle.infoHash());
        }
        handle.dispose();
        swarms.remove(handle.infoHash());
        resumeFile(handle.infoHash()).ifPresent(ResumeFile::delete);
        events.publish(new SessionEvent.TorrentRemoved(handle.infoHash(), handle.name()));
        if (deleteData && handle.torrent().isPresent()) {
            Torrent torrent = handle.torrent().get();
            if (handle.store().isPresent()) {
                PieceStoreStorage.delete(handle.store().get(), torrent);
                return;
            }
            try (FileStorage storage = FileStorage.open(handle.directoryForSession(), torrent.info(),
                    torrent.infoHash(), opener)) {
                storage.deleteFiles();
            }
        }
    }

    /**
     * Tells {@code listener} of every event from now on, on a thread of its own (see {@link SessionListener}).
     * Close the subscription to stop.
     */
    public Subscription subscribe(SessionListener listener) {
        return events.subscribe(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Checks a torrent's data in the background, then starts it.
     *
     * @param memory    what it had when it was paused, used as resume data is; null to use the resume file
     * @param trustData take every piece as present without a check
     * @param fullCheck check every piece, whatever resume data says
     */
    void activate(TorrentHandle handle, ResumeData memory, boolean trustData, boolean fullCheck) {
        Thread thread = Thread.ofVirtual().name("start-" + handle.name()).unstarted(() -> {
            try {
                start(handle, memory, trustData, fullCheck);
            } catch (InterruptedException e) {
                handle.startFailed("interrupted while checking", e);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot start " + handle.name(), e);
                handle.startFailed(StorageException.reason(e), e);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot start " + handle.name(), e);
                handle.startFailed("internal error: " + e, e);
            }
        });
        handle.activating(thread);
        thread.start();
    }

    private void start(TorrentHandle handle, ResumeData memory, boolean trustData, boolean fullCheck)
            throws IOException, InterruptedException {
        Torrent torrent = handle.torrent().orElseThrow();
        if (handle.store().isPresent()) {
            startInStore(handle, torrent, handle.store().get(), trustData);
            return;
        }
        finishMove(handle, torrent);
        DownloadOptions wanted = handle.downloadOptions();
        FileStorage storage = FileStorage.open(handle.directoryForSession(), torrent.info(), torrent.infoHash(),
                wanted.filePriorities(), opener);
        TorrentRuntime runtime;
        PieceSet verified;
        Optional<String> startNote;
        try {
            Optional<ResumeFile> resume = resumeFile(torrent.infoHash());
            PieceSet unchecked = new PieceSet(torrent.info().pieceCount());
            if (trustData) {
                verified = PieceSet.all(torrent.info().pieceCount());
                unchecked = verified.copy();
                startNote = Optional.empty();
            } else {
                PieceMap map = PieceMap.of(torrent.info());
                List<FileState> now = storage.fileStates();
                ResumeCheck.Outcome start = fullCheck
                        ? ResumeCheck.checkAll(torrent.info().pieceCount(), Optional.empty())
                        : memory != null
                        ? ResumeCheck.of(memory, torrent.infoHash(), storage.root().toString(), map, now,
                                Path.of("memory"))
                        : resume.isPresent()
                        ? resumeCheck(resume.get(), torrent, storage.root(), map, now)
                        : ResumeCheck.checkAll(torrent.info().pieceCount(), Optional.empty());
                verified = start.trusted();
                BitSet toCheck = start.toCheck();
                toCheck.and(ResumeCheck.readable(map, now, storage.parkedSpans()));
                if (!toCheck.isEmpty()) {
                    checks.check(new PieceChecker(storage, map, torrent.info()::pieceHash), toCheck,
                            handle.checkProgress(), handle::startChecking).stream().forEach(verified::add);
                } else {
                    handle.checkProgress().set(torrent.info().totalLength());
                }
                startNote = memory != null ? Optional.empty() : start.note();
            }
            LOG.log(System.Logger.Level.DEBUG, "{0}: {1} of {2} pieces on disk at the start ({3})", torrent.name(),
                    verified.count(), torrent.info().pieceCount(), startNote.orElse(trustData ? "taken on trust"
                            : "checked"));
            runtime = launch(handle, torrent, storage, verified, unchecked, resume, wanted);
        } catch (IOException | InterruptedException | RuntimeException e) {
            storage.close();
            throw e;
        }
        run(handle, runtime, verified, startNote);
    }

    /**
     * Starts a torrent kept in an embedder's store: no resume data, no files; the pieces the store has are checked
     * unless {@code trustData} (see {@link PieceStore}).
     */
    private void startInStore(TorrentHandle handle, Torrent torrent, PieceStore.Factory factory, boolean trustData)
            throws IOException, InterruptedException {
        DownloadOptions wanted = handle.downloadOptions();
        PieceStoreStorage storage = PieceStoreStorage.open(factory, torrent);
        StoreStart start;
        TorrentRuntime runtime;
        try {
            start = StoreStart.of(storage, torrent, trustData, checks, handle);
            runtime = launch(handle, torrent, storage, start.verified(), start.unchecked(), PieceRecorder.NONE,
                    () -> { }, wanted, TorrentRuntime.Snapshot.NONE);
        } catch (IOException | InterruptedException | RuntimeException e) {
            storage.close();
            throw e;
        }
        run(handle, runtime, start.verified(), Optional.empty());
    }

    /**
     * The check is done and the runtime made: runs it, unless the torrent is to stay paused after a recheck, when
     * it closes the runtime's storage and keeps what it found.
     */
    private void run(TorrentHandle handle, TorrentRuntime runtime, PieceSet verified, Optional<String> startNote)
            throws IOException {
        if (!handle.runAfterCheck()) {
            handle.checkedWhilePaused(verified, runtime.closeUnstarted(verified));
            return;
        }
        // Running before the handle says so: whoever waits on checked() may connect to it at once.
        handle.listen(runtime, verified);
        swarms.put(runtime.swarm().infoHash(), runtime.swarm());
        runtime.swarm().start();
        runtime.announcer().start();
        if (!runtime.swarm().completion().isDone()) {
            runtime.swarm().completion().thenRun(runtime.announcer()::completed);
        }
        if (!handle.started(runtime, startNote)) {
            runtime.stop(); // paused or removed meanwhile
            swarmStopped(runtime.swarm());
        }
    }

    private TorrentRuntime launch(TorrentHandle handle, Torrent torrent, FileStorage storage, PieceSet verified,
                                  PieceSet unchecked, Optional<ResumeFile> resume, DownloadOptions wanted) {
        PieceRecorder recorder = resume.<PieceRecorder>map(file -> (sequence, pieces) -> file.save(sequence,
                        ResumeData.of(torrent.infoHash(), storage.root().toString(), pieces, storage.fileStates())))
                .orElse(PieceRecorder.NONE);
        return launch(handle, torrent, storage, verified, unchecked, recorder, () -> createEmptyFiles(storage), wanted,
                pieces -> ResumeData.of(torrent.infoHash(), storage.root().toString(), pieces, storage.fileStates()));
    }

    /**
     * The swarm and announcer of a torrent whose data is in {@code storage}, not started yet.
     *
     * @param onComplete what to do once every wanted piece is ours
     * @param snapshot   what the torrent keeps when it stops, to start again from
     */
    private TorrentRuntime launch(TorrentHandle handle, Torrent torrent, Storage storage, PieceSet verified,
                                  PieceSet unchecked, PieceRecorder recorder, Runnable onComplete,
                                  DownloadOptions wanted, TorrentRuntime.Snapshot snapshot) {
        SwarmConfig swarmConfig = config.swarm().withListenPort(port()).withUploadLimit(handle.uploadLimit())
                .withDownloadLimit(handle.downloadLimit());
        Swarm swarm = new Swarm(torrent.infoHash(), torrent.info(), peerId, swarmConfig, storage, verified,
                unchecked, diskPool, this::connectInBackground, onComplete, recorder, random.split(), wanted, budgets);
        ownAddresses().forEach(swarm::addOwnAddress);
        Announcer announcer = new Announcer(TrackerTiers.of(torrent.trackerTiers(), config.tracker(), random.split()),
                AnnouncedTorrent.of(swarm, (url, message) ->
                        events.publish(new SessionEvent.TrackerFailed(handle, url, message))), AnnouncePolicy.DEFAULT, port(), random.nextInt(), config.bindAddress());
        return new TorrentRuntime(swarm, announcer, storage, snapshot, wanted);
    }

    /**
     * Moves a stopped torrent's files from {@code from} to {@code to}, journalled in the resume directory if there
     * is one (see {@link StorageMove}).
     *
     * @param memory what the torrent had at {@code from}, if known
     * @return the same for {@code to}, to start from there without a check
     */
    Optional<ResumeData> moveFiles(TorrentHandle handle, Path from, Path to, Optional<ResumeData> memory)
            throws IOException {
        Torrent torrent = handle.torrent().orElseThrow();
        Files.createDirectories(to);
        try (FileStorage source = FileStorage.open(from, torrent.info(), torrent.infoHash(), opener);
             FileStorage target = FileStorage.open(to, torrent.info(), torrent.infoHash(), opener)) {
            StorageMove.move(source, target, moveJournal(torrent.infoHash()));
            resumeFile(torrent.infoHash()).ifPresent(ResumeFile::delete); // it names the old directory
            if (memory.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(ResumeData.of(torrent.infoHash(), target.root().toString(),
                    PieceSet.fromBitfield(memory.get().bitfield(), torrent.info().pieceCount()),
                    target.fileStates()));
        }
    }

    /** A move of this torrent's files that a crash cut short is finished before it starts, where it was going. */
    private void finishMove(TorrentHandle handle, Torrent torrent) throws IOException {
        Optional<Path> journal = moveJournal(torrent.infoHash());
        if (journal.isEmpty()) {
            return;
        }
        Optional<StorageMove.Journal> unfinished = StorageMove.unfinished(journal.get());
        if (unfinished.isEmpty()) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "{0}: finishing the move of its files from {1} to {2}", torrent.name(),
                unfinished.get().from(), unfinished.get().to());
        try (FileStorage source = FileStorage.open(unfinished.get().from(), torrent.info(), torrent.infoHash(),
                opener);
             FileStorage target = FileStorage.open(unfinished.get().to(), torrent.info(), torrent.infoHash(),
                     opener)) {
            StorageMove.resume(source, target, journal.get());
        }
        handle.moved(unfinished.get().to());
    }

    private Optional<Path> moveJournal(InfoHash infoHash) {
        return config.resumeDirectory().map(dir -> dir.resolve(infoHash.hex() + ".move"));
    }

    private Optional<ResumeFile> resumeFile(InfoHash infoHash) {
        return config.resumeDirectory().map(dir -> new ResumeFile(dir.resolve(infoHash.hex() + ".resume"), opener));
    }

    /** What the resume file lets us skip checking; any problem with it only means checking more. */
    private static ResumeCheck.Outcome resumeCheck(ResumeFile file, Torrent torrent, Path root, PieceMap map,
                                                   List<FileState> now) throws IOException {
        int pieceCount = torrent.info().pieceCount();
        Optional<ResumeData> data;
        try {
            data = file.load();
        } catch (ResumeData.InvalidResumeDataException e) {
            return ResumeCheck.checkAll(pieceCount, Optional.of("resume file " + file.path() + " not used ("
                    + e.getMessage() + "): checked the data"));
        } catch (IOException e) {
            return ResumeCheck.checkAll(pieceCount, Optional.of("cannot read resume file " + file.path() + " ("
                    + StorageException.reason(e) + "): checked the data"));
        }
        if (data.isEmpty()) {
            return ResumeCheck.checkAll(pieceCount, Optional.empty());
        }
        return ResumeCheck.of(data.get(), torrent.infoHash(), root.toString(), map, now, file.path());
    }

    /**
     * The addresses trackers may list us at, which the swarm never dials: the listen address, and when that is the
     * wildcard, every address of this machine's interfaces too, since a tracker lists us at whichever one our
     * announce came from. (A connection to ourselves at an address not here, behind a NAT, ends at the handshake,
     * which carries our own peer id.)
     */
    private List<InetSocketAddress> ownAddresses() {
        List<InetSocketAddress> own = new ArrayList<>();
        own.add(listening);
        if (listening.getAddress().isAnyLocalAddress()) {
            try {
                NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                        .forEach(address -> own.add(new InetSocketAddress(address, port())));
            } catch (SocketException e) {
                // No interfaces to list: the handshake still ends a connection to ourselves.
            }
        }
        return own;
    }

    /** Connecting and the handshake block for seconds; never on a swarm's thread. */
    private void connectInBackground(InetSocketAddress address, ConnectionTarget swarm) {
        Thread.ofVirtual().name("connect-" + address).start(() -> handshaker.connect(address, swarm));
    }

    private static void createEmptyFiles(FileStorage storage) {
        try {
            storage.createEmptyFiles();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops listening, then stops every torrent, all at once: each tells its trackers {@code stopped} (2 s at
     * most), forces its files and saves its resume data. Returns within about 2 s unless a disk hangs, and then
     * within 30 s. Subscribers get the events already queued, then their subscriptions end. Idempotent.
     */
    @Override
    public void close() {
        List<TorrentHandle> all;
        synchronized (handles) {
            if (closed) {
                return;
            }
            closed = true;
            all = List.copyOf(handles.values());
        }
        try {
            listener.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
        try (ExecutorService stopping = Executors.newVirtualThreadPerTaskExecutor()) {
            for (TorrentHandle handle : all) {
                stopping.execute(handle::pause);
            }
        }
        events.close();
        diskPool.shutdown();
    }
}
