package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.ChannelOpener;
import dev.jtorrent.storage.FileState;
import dev.jtorrent.storage.FileStorage;
import dev.jtorrent.storage.PieceChecker;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.storage.StorageException;
import dev.jtorrent.swarm.DownloadOptions;
import dev.jtorrent.swarm.PieceRecorder;
import dev.jtorrent.swarm.PieceSet;
import dev.jtorrent.swarm.Swarm;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running client: one listen socket, one peer id, one disk pool, any number of torrents. Incoming connections
 * are routed to a torrent by the info hash in their handshake.
 */
public final class Session implements AutoCloseable {
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
    private final Map<InfoHash, Swarm> swarms = new ConcurrentHashMap<>();
    private final Map<InfoHash, TorrentHandle> handles = new ConcurrentHashMap<>();
    private final SplittableRandom random = new SplittableRandom();
    private volatile boolean closed;

    private Session(SessionConfig config, ServerSocketChannel listener, InetSocketAddress listening,
                    ChannelOpener opener) {
        this.config = config;
        this.opener = opener;
        this.listener = listener;
        this.listening = listening;
        this.handshaker = new Handshaker(peerId, config.bindAddress(), config.swarm().maxPeers());
        int diskThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.diskPool = Executors.newFixedThreadPool(diskThreads, runnable -> {
            Thread thread = new Thread(runnable, "disk");
            thread.setDaemon(true);
            return thread;
        });
        this.checks = new CheckQueue(diskPool, diskThreads);
    }

    /** Opens the listen socket and starts accepting connections. */
    public static Session start(SessionConfig config) throws IOException {
        return start(config, ChannelOpener.DEFAULT);
    }

    /** A session whose disk is simulated by {@code opener}: for tests of full disks and power cuts. */
    static Session start(SessionConfig config, ChannelOpener opener) throws IOException {
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
        Thread.ofVirtual().name("listener").start(session::acceptLoop);
        return session;
    }

    public int port() {
        return listening.getPort();
    }

    public PeerId peerId() {
        return peerId;
    }

    /** What answers and dials connections, with the pools of their buffers; for tests. */
    Handshaker handshaker() {
        return handshaker;
    }

    /**
     * Adds a torrent whose files are (or will be) under {@code directory}: checks the data already there, after the
     * checks of torrents added before it (see {@link CheckQueue}), then starts the swarm and the announces.
     *
     * @param checked receives the bytes checked so far, for a progress display
     */
    public TorrentHandle add(Torrent torrent, Path directory, AtomicLong checked)
            throws IOException, InterruptedException {
        return add(torrent, directory, checked, false);
    }

    /**
     * Adds a torrent, as {@link #add(Torrent, Path, AtomicLong)}; with {@code trustData} the data is not checked
     * first but taken as complete, and each piece is hashed before it is first sent (a corrupt one is refused).
     */
    public TorrentHandle add(Torrent torrent, Path directory, AtomicLong checked, boolean trustData)
            throws IOException, InterruptedException {
        return add(torrent, directory, checked, trustData, DownloadOptions.ALL);
    }

    /**
     * Adds a torrent, as {@link #add(Torrent, Path, AtomicLong, boolean)}, downloading only the files that
     * {@code options} want, in the order it asks.
     *
     * @throws IllegalArgumentException if the options do not give one priority for each of the torrent's files
     */
    public TorrentHandle add(Torrent torrent, Path directory, AtomicLong checked, boolean trustData,
                             DownloadOptions options) throws IOException, InterruptedException {
        if (swarms.containsKey(torrent.infoHash())) {
            throw new IllegalStateException("the torrent " + torrent.name() + " is already in the session");
        }
        FileStorage storage = FileStorage.open(directory, torrent.info(), torrent.infoHash(),
                options.prioritiesFor(torrent.info().files().size()), opener);
        Swarm swarm;
        Optional<String> startNote;
        try {
            Optional<ResumeFile> resume = config.resumeDirectory()
                    .map(dir -> new ResumeFile(dir.resolve(torrent.infoHash().hex() + ".resume"), opener));
            PieceSet verified;
            PieceSet unchecked = new PieceSet(torrent.info().pieceCount());
            if (trustData) {
                verified = PieceSet.all(torrent.info().pieceCount());
                unchecked = verified.copy();
                startNote = Optional.empty();
            } else {
                PieceMap map = PieceMap.of(torrent.info());
                List<FileState> now = storage.fileStates();
                ResumeCheck.Outcome start = resume.isPresent()
                        ? resumeCheck(resume.get(), torrent, storage.root(), map, now)
                        : ResumeCheck.checkAll(torrent.info().pieceCount(), Optional.empty());
                verified = start.trusted();
                BitSet toCheck = start.toCheck();
                toCheck.and(ResumeCheck.readable(map, now, storage.parkedSpans()));
                if (!toCheck.isEmpty()) {
                    checks.check(new PieceChecker(storage, map, torrent.info()::pieceHash), toCheck, checked)
                            .stream().forEach(verified::add);
                } else {
                    checked.set(torrent.info().totalLength());
                }
                startNote = start.note();
            }
            LOG.log(System.Logger.Level.DEBUG, "{0}: {1} of {2} pieces on disk at the start ({3})", torrent.name(),
                    verified.count(), torrent.info().pieceCount(), startNote.orElse(trustData ? "taken on trust"
                            : "checked"));
            PieceRecorder recorder = resume.<PieceRecorder>map(file -> (sequence, pieces) -> file.save(sequence,
                            ResumeData.of(torrent.infoHash(), storage.root().toString(), pieces, storage.fileStates())))
                    .orElse(PieceRecorder.NONE);
            swarm = new Swarm(torrent.infoHash(), torrent.info(), peerId,
                    config.swarm().withListenPort(port()), storage, verified, unchecked, diskPool,
                    this::connectInBackground,
                    () -> createEmptyFiles(storage), recorder, random.split(), options);
        } catch (IOException | InterruptedException | RuntimeException e) {
            storage.close();
            throw e;
        }
        ownAddresses().forEach(swarm::addOwnAddress);
        swarms.put(torrent.infoHash(), swarm);
        swarm.start();
        Announcer announcer = new Announcer(TrackerTiers.of(torrent.trackerTiers(), config.tracker(), random.split()),
                AnnouncedTorrent.of(swarm), AnnouncePolicy.DEFAULT, port(), random.nextInt(), config.bindAddress());
        announcer.start();
        if (!swarm.completion().isDone()) {
            swarm.completion().thenRun(announcer::completed);
        }
        TorrentHandle handle = new TorrentHandle(torrent, swarm, storage, announcer, startNote, () -> {
            swarms.remove(torrent.infoHash());
            handles.remove(torrent.infoHash());
        });
        handles.put(torrent.infoHash(), handle);
        return handle;
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
    private void connectInBackground(InetSocketAddress address, Swarm swarm) {
        Thread.ofVirtual().name("connect-" + address).start(() -> handshaker.connect(address, swarm));
    }

    private static void createEmptyFiles(FileStorage storage) {
        try {
            storage.createEmptyFiles();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel channel = listener.accept();
                Thread.ofVirtual().name("incoming").start(() -> handshaker.accept(channel, swarms::get));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /**
     * Stops listening, then stops every torrent still in the session, all at once: each tells its trackers
     * {@code stopped}, flushes its files and saves its resume data.
     */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
        try (ExecutorService stopping = Executors.newVirtualThreadPerTaskExecutor()) {
            for (TorrentHandle handle : List.copyOf(handles.values())) {
                stopping.execute(handle::stop);
            }
        }
        diskPool.shutdown();
    }
}
