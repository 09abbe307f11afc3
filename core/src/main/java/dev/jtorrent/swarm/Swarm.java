package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.storage.FilePriority;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.storage.Storage;
import dev.jtorrent.wire.ExtensionHandshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.ProtocolException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * One torrent's swarm: the peers, what to request from whom, what to send, and the pieces' way from the network
 * to the disk. A single thread owns all of it and takes {@link SwarmEvent}s from a queue, so there are no locks
 * around the picker or the peer states (DESIGN.md, principle 2); sockets and the disk are worked by other threads
 * that only post events. What the connections' readers post is bounded, and a reader waits for room ({@link
 * SwarmQueue}).
 *
 * <p>The thread is a virtual thread, and the swarm keeps time only while it needs to: once a second ({@link #tick})
 * while peers are connected, whose timers, rates and upload slots depend on it; without peers, only when something
 * is due at a set time (a record of new pieces, a retry after a full disk, a peer address to try again). A torrent
 * with none of these waits for its next event without a timeout, and costs no thread and no CPU.
 *
 * <p>A piece counts as ours only once its hash passed and its bytes were forced to disk: the pieces written while
 * one force runs are forced together by the next, and only then offered to peers with {@code have}, counted
 * towards completion and recorded in resume data.
 */
public final class Swarm {
    private static final System.Logger LOG = System.getLogger(Swarm.class.getName());
    private static final long TICK_NANOS = 1_000_000_000L;
    /** A time that never comes: nothing is due. */
    private static final long NEVER = Long.MAX_VALUE;
    private static final int MAX_EVENTS_PER_TURN = 256;
    private static final int TRUST_MAX = 8;
    private static final int TRUST_BAN = -7;
    /** Trust a peer loses for each failed piece it sent blocks of. */
    private static final int TRUST_PENALTY = 2;
    /**
     * Uploads waiting for the disk for one peer at most, told to peers as {@code reqq}; requests past this are
     * rejected (BEP 6) or dropped. libtorrent and Transmission take 2000. At 500 a libtorrent leecher kept only
     * 8 MiB of requests in flight and downloaded from us at about 0.7x its speed from a libtorrent seeder.
     */
    static final int MAX_QUEUED_UPLOADS = 2000;

    private final InfoDictionary info;
    private final InfoHash infoHash;
    private final PeerId ourId;
    private final SwarmConfig config;
    private final DiskWork disk;
    private final Uploads uploads;
    private final Connector connector;
    private final Runnable onComplete;
    private final PieceRecorder recorder;
    private final PiecePicker picker;
    /** The pieces we offer peers: verified and forced to disk, as in the {@link #picker}; read by {@link Uploads}. */
    private final PieceSet shared;
    private final PieceBuffers buffers;
    /** Which files are wanted (see {@link DownloadOptions}). */
    private final FileSelection selection;
    private final DownloadLimit downloadLimit;
    private final KnownPeers known = new KnownPeers();
    private final SmartBan smartBan = new SmartBan();
    private final Map<PeerConnection, Peer> peers = new LinkedHashMap<>();
    private final SwarmQueue queue = new SwarmQueue(SwarmQueue.DEFAULT_BOUND);
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile IntConsumer pieceDone = piece -> { };
    private final RateMeter downRate = new RateMeter();
    private final RateMeter upRate = new RateMeter();
    private final List<Integer> written = new ArrayList<>();
    private final List<InetSocketAddress> ownAddresses = new ArrayList<>();
    private volatile SwarmStats stats;
    /** Whether a force of written pieces is running on the disk pool ({@link #maybeForce}). */
    private boolean forceRunning;
    private long wasted;
    private String error;
    /** Why downloading is paused (a full disk), or null; uploads go on meanwhile. */
    private String paused;
    private long pausedAt;
    /** Pieces became ours since the last record (true at first: the start's check is worth recording too). */
    private boolean unrecorded = true;
    private long lastRecord = System.nanoTime();
    private long recordSequence;

    /** A swarm that downloads the whole torrent, rarest first; see the constructor with {@link DownloadOptions}. */
    public Swarm(InfoHash infoHash, InfoDictionary info, PeerId ourId, SwarmConfig config, Storage storage,
                 PieceSet verified, PieceSet unchecked, ExecutorService diskPool, Connector connector,
                 Runnable onComplete, PieceRecorder recorder, RandomGenerator random) {
        this(infoHash, info, ourId, config, storage, verified, unchecked, diskPool, connector, onComplete, recorder,
                random, DownloadOptions.ALL);
    }

    /**
     * @param verified  pieces already ours: checked on disk, or taken on trust
     * @param unchecked the pieces among {@code verified} taken on trust; each is hashed before it is first sent
     * @param options   which files to download, and whether in order; the storage must have been opened with the
     *                  same file priorities
     * @throws IllegalArgumentException if the options do not give one priority for each of the torrent's files
     */
    public Swarm(InfoHash infoHash, InfoDictionary info, PeerId ourId, SwarmConfig config, Storage storage,
                 PieceSet verified, PieceSet unchecked, ExecutorService diskPool, Connector connector,
                 Runnable onComplete, PieceRecorder recorder, RandomGenerator random, DownloadOptions options) {
        this.info = info;
        this.infoHash = infoHash;
        this.ourId = ourId;
        this.config = config;
        this.disk = new DiskWork(storage, info, diskPool, queue::post);
        disk.trustUnchecked(unchecked);
        this.connector = connector;
        this.onComplete = onComplete;
        this.recorder = recorder;
        int maxInProgress = (int) Math.max(4, Math.min(100_000, config.maxInFlightBytes() / info.pieceLength()));
        this.picker = new PiecePicker(info.pieceCount(), info::pieceSize, maxInProgress, random);
        this.buffers = new PieceBuffers(info.pieceLength(), info::pieceSize, maxInProgress);
        this.shared = verified.copy();
        this.uploads = new Uploads(config.uploadSlots(), random, info, picker, shared, disk,
                new UploadLimit(config.uploadLimit(), System.nanoTime()));
        this.downloadLimit = new DownloadLimit(config.downloadLimit(), System.nanoTime());
        PieceMap map = PieceMap.of(info);
        this.selection = new FileSelection(map, options.prioritiesFor(map.files().size()));
        selection.set(selection.priorities(), picker);
        picker.setSequential(options.sequential());
        for (int i = verified.next(0); i >= 0; i = verified.next(i + 1)) {
            picker.pieceVerified(i);
        }
        this.stats = SwarmStats.initial(verified.count(), info.pieceCount(), bytesLeft());
        if (picker.isComplete()) {
            completion.complete(null);
        }
    }

    public InfoHash infoHash() {
        return infoHash;
    }

    public InfoDictionary info() {
        return info;
    }

    public PeerId ourId() {
        return ourId;
    }

    /**
     * Has {@code listener} told, on the swarm's thread, of each piece as it becomes ours (verified and forced to
     * disk); it must be quick. Call it before {@link #start()}.
     */
    public void onPieceDone(IntConsumer listener) {
        this.pieceDone = Objects.requireNonNull(listener);
    }

    /** Starts the swarm's thread. */
    public void start() {
        Thread.ofVirtual().name("swarm-" + info.name()).start(this::run);
    }

    /**
     * Completes when every wanted piece is verified on disk: the whole torrent, or the pieces of the files not
     * skipped. It stays complete if files are wanted later (the swarm then downloads them, and seeds meanwhile).
     */
    public CompletableFuture<Void> completion() {
        return completion;
    }

    /**
     * Changes which files are wanted, on the swarm's thread: newly skipped files are no longer fetched (pieces
     * under way are finished), and newly wanted ones are, their bytes kept in the parts file moved into place first.
     *
     * @param priorities one for each of the torrent's files, pad files included
     * @throws IllegalArgumentException unless there is one priority for each file
     */
    public void setFilePriorities(List<FilePriority> priorities) {
        queue.post(new SwarmEvent.PrioritiesChanged(selection.checked(priorities)));
    }

    /** Turns sequential picking (in order within a window: see {@link PiecePicker}) on or off, on the swarm's thread. */
    public void setSequential(boolean sequential) {
        queue.post(new SwarmEvent.SequentialChanged(sequential));
    }

    public SwarmStats stats() {
        return stats;
    }

    /** Peers to connect to, from a tracker or elsewhere. */
    public void peersFound(List<InetSocketAddress> addresses) {
        queue.post(new SwarmEvent.PeersFound(List.copyOf(addresses)));
    }

    /** Addresses that are ours (our listen address), never to be connected to. */
    public void addOwnAddress(InetSocketAddress address) {
        synchronized (ownAddresses) {
            ownAddresses.add(address);
        }
    }

    /** Runs the once-a-second work as if the clock read {@code nanos}; for tests of what happens seconds later. */
    void tickAt(long nanos) {
        queue.post(new SwarmEvent.Tick(nanos));
    }

    /** A connection, either way, that completed both handshakes for this torrent. */
    public void accept(PeerConnection connection) {
        queue.post(new SwarmEvent.Connected(connection));
    }

    void connectFailed(InetSocketAddress address, String reason) {
        queue.post(new SwarmEvent.ConnectFailed(address, reason));
    }

    /** Stops the swarm: closes every connection and waits (bounded) for pieces being written. */
    public void stop() {
        queue.post(new SwarmEvent.Stop());
        try {
            stopped.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the swarm's thread is virtual, so a stuck disk cannot keep the process alive through it
        }
    }

    private void run() {
        long nextTick = System.nanoTime();
        try {
            while (true) {
                long now = System.nanoTime();
                if (now >= nextTick) {
                    tick(now);
                }
                // Blocks held back by an upload limit go when it allows, without waiting for the next tick.
                long untilDeferred = uploads.sendDeferred(now);
                flushSends();
                nextTick = nextTick(now, nextTick);
                if (peers.isEmpty()) {
                    publishStats(now); // no tick may come to publish what this turn changed
                }
                long wait = Math.min(nextTick == NEVER ? Long.MAX_VALUE : nextTick - now, untilDeferred);
                SwarmEvent event = wait == Long.MAX_VALUE ? queue.take() : queue.poll(Math.max(1, wait));
                // Drain what is queued, but never so long that ticks (timeouts, rates) are starved.
                for (int handled = 0; event != null; ) {
                    if (event instanceof SwarmEvent.Stop) {
                        shutdown();
                        return;
                    }
                    handle(event);
                    handled += event instanceof SwarmEvent.Burst burst ? burst.events().size() : 1;
                    event = handled < MAX_EVENTS_PER_TURN ? queue.poll() : null;
                }
                maybeForce();
            }
        } catch (InterruptedException e) {
            shutdown();
        } catch (RuntimeException e) {
            fail("internal error: " + e);
            shutdown();
            throw e;
        }
    }

    /** Hands each peer's writer what this turn queued for it, in one piece (see {@link PeerConnection#flush}). */
    private void flushSends() {
        for (PeerConnection connection : peers.keySet()) {
            connection.flush();
        }
    }

    private void handle(SwarmEvent event) {
        switch (event) {
            case SwarmEvent.Connected e -> connected(e.connection());
            case SwarmEvent.Received e -> {
                try {
                    received(e.connection(), e.message());
                } catch (RuntimeException failure) {
                    // One peer's message must never take the torrent down; the peer goes, the swarm stays.
                    e.connection().close("protocol violation: " + failure.getMessage());
                }
            }
            case SwarmEvent.BlockArrived e -> blockArrived(e.connection(), e.block(), e.accepted());
            case SwarmEvent.Burst e -> e.events().forEach(this::handle);
            case SwarmEvent.Closed e -> closed(e.connection(), e.reason());
            case SwarmEvent.ConnectFailed e -> known.failed(e.address(), System.nanoTime());
            case SwarmEvent.PieceWritten e -> {
                pieceWritten(e.piece(), e.senders());
                if (e.digests() != null) {
                    judge(e.piece(), smartBan.piecePassed(e.piece(), e.digests()));
                }
            }
            case SwarmEvent.PieceFailed e -> {
                pieceFailed(e.piece(), e.senders());
                for (InetSocketAddress liar : smartBan.pieceFailed(e.piece(), e.blocks())) {
                    ban(liar, "sent two different versions of a block of piece " + e.piece());
                }
            }
            case SwarmEvent.PiecesDurable e -> piecesDurable(e.pieces());
            case SwarmEvent.DiskFailed e -> fail(e.message());
            case SwarmEvent.OutOfSpace e -> outOfSpace(e.pieces(), e.forcing(), e.message());
            case SwarmEvent.RecordFailed e -> {
                // Not a reason to stop: the data is safe, and a restart without resume data only checks more.
                LOG.log(System.Logger.Level.WARNING, "{0}: {1}", info.name(), e.message());
                unrecorded = true;
            }
            case SwarmEvent.UploadRefused e -> {
                if (e.problem() != null) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: {1}", info.name(), e.problem());
                }
                Peer peer = peers.get(e.connection());
                if (peer != null) {
                    uploads.refused(peer, e.block());
                }
            }
            case SwarmEvent.UploadReady e -> {
                Peer peer = peers.get(e.connection());
                if (peer != null) {
                    uploads.ready(peer, e.block(), e.data());
                } else {
                    e.data().release(); // the peer is gone
                }
            }
            case SwarmEvent.UploadRoom e -> {
                Peer peer = peers.get(e.connection());
                if (peer != null) {
                    uploads.serve(peer);
                }
            }
            case SwarmEvent.PeersFound e -> {
                known.add(e.peers().stream().filter(a -> !isOwn(a)).toList());
                connectMore(System.nanoTime());
            }
            case SwarmEvent.PrioritiesChanged e -> prioritiesChanged(e.priorities());
            case SwarmEvent.SequentialChanged e -> picker.setSequential(e.sequential());
            case SwarmEvent.Tick e -> tick(e.nanos());
            case SwarmEvent.Stop e -> throw new IllegalStateException("handled by the loop");
        }
    }

    // ---- connections -------------------------------------------------------------------------------------

    private void connected(PeerConnection connection) {
        if (connection.remote().peerId().equals(ourId)) {
            known.ownAddress(connection.address());
            connection.close("connected to ourselves");
            return;
        }
        boolean duplicate = peers.keySet().stream().anyMatch(c -> c.remote().peerId().equals(connection.remote().peerId()));
        // An incoming peer's address has an ephemeral port: worth checking against bans, not worth remembering.
        boolean allowed = connection.outgoing() ? known.connected(connection.address())
                : !known.isBanned(connection.address());
        if (!duplicate && allowed && error == null && peers.size() >= config.maxPeers()) {
            evictAnIdlePeer();
        }
        if (duplicate || peers.size() >= config.maxPeers() || error != null || !allowed) {
            connection.close(duplicate ? "already connected to this peer"
                    : !allowed ? "the peer's address is banned" : "no room for another peer");
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "{0}: connected ({1}, fast {2}, extensions {3})", connection,
                connection.outgoing() ? "outgoing" : "incoming", connection.remote().supportsFast(),
                connection.remote().supportsExtensionProtocol());
        long now = System.nanoTime();
        Peer peer = new Peer(connection, info.pieceCount(), now,
                () -> queue.post(new SwarmEvent.UploadRoom(connection)));
        peers.put(connection, peer);
        connection.start(queue::putFromReader, buffers, downloadLimit);
        if (connection.remote().supportsExtensionProtocol()) {
            connection.send(extensionHandshake());
        }
        if (peer.supportsFast() && shared.isComplete()) {
            connection.send(new Message.HaveAll());
        } else if (peer.supportsFast() && shared.isEmpty()) {
            connection.send(new Message.HaveNone());
        } else if (!shared.isEmpty()) {
            connection.send(new Message.Bitfield(shared.toBitfield()));
        }
    }

    /**
     * At the connection limit, a new peer takes the place of the one idle longest: interest on neither side for
     * {@link SwarmConfig#idleToEvict()}. Without this, peers that connect and then do nothing (fifty of them, or
     * a flood) would hold every slot for good; libtorrent likewise drops its least useful peer to make room.
     */
    private void evictAnIdlePeer() {
        long now = System.nanoTime();
        Peer idlest = null;
        for (Peer peer : peers.values()) {
            boolean idle = !peer.amInterested && !peer.peerInterested
                    && now - peer.idleSinceNanos >= config.idleToEvict().toNanos();
            if (idle && (idlest == null || peer.idleSinceNanos < idlest.idleSinceNanos)) {
                idlest = peer;
            }
        }
        if (idlest != null) {
            idlest.connection.close("idle, making room for a new peer");
            closed(idlest.connection, "idle, making room for a new peer");
        }
    }

    private void closed(PeerConnection connection, String reason) {
        Peer peer = peers.remove(connection);
        connection.flush(); // closed: what was queued for it is dropped, and lent memory goes back
        if (peer == null) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: closed: {1}", connection, reason);
            return;
        }
        countUploaded(peer);
        LOG.log(System.Logger.Level.DEBUG, "{0}: closed: {1} (received {2} bytes, sent {3})", connection, reason,
                Long.toString(peer.download.total()), Long.toString(peer.upload.total()));
        picker.peerLost(peer.pieces);
        peer.requests.keySet().forEach(picker::requestDropped);
        peer.requests.clear();
        if (error == null) {
            uploads.left(peer, peers.values(), System.nanoTime());
        }
        // Only addresses we connected to are worth trying again; an incoming peer's port is ephemeral.
        if (connection.outgoing()) {
            long now = System.nanoTime();
            if (reason.startsWith("protocol violation")) {
                known.failed(connection.address(), now);
            } else {
                known.disconnected(connection.address(), now);
            }
        }
        requestFromAll();
    }

    /**
     * Connects to known peers while there is room. Seeds connect too, as libtorrent's do: some clients (Transmission)
     * never dial peers a tracker lists on loopback or the LAN, and a seed that waits would never reach them.
     */
    private void connectMore(long now) {
        if (error != null) {
            return;
        }
        int room = connectRoom();
        if (room > 0) {
            for (InetSocketAddress address : known.takeForConnecting(room, now)) {
                connector.connect(address, this);
            }
        }
    }

    /** How many more connections may be attempted now: within both the peer limit and the half-open limit. */
    private int connectRoom() {
        return Math.min(config.maxPeers() - peers.size(), config.maxHalfOpen() - known.connecting());
    }

    /**
     * Our own listen address, as a tracker may list it back to us: on our port, the address we listen on, or when
     * that is the wildcard, any loopback address or either wildcard (a dual-stack listener's is IPv6's {@code ::},
     * which a tracker lists as IPv4's {@code 0.0.0.0}).
     */
    private boolean isOwn(InetSocketAddress address) {
        InetAddress host = address.getAddress();
        synchronized (ownAddresses) {
            for (InetSocketAddress own : ownAddresses) {
                if (own.getPort() == address.getPort() && (own.getAddress().equals(host)
                        || own.getAddress().isAnyLocalAddress()
                        && (host.isLoopbackAddress() || host.isAnyLocalAddress()))) {
                    return true;
                }
            }
            return false;
        }
    }

    // ---- messages ------------------------------------------------------------------------------------------

    private void received(PeerConnection connection, Message message) {
        Peer peer = peers.get(connection);
        if (peer == null) {
            return;
        }
        // The extension handshake may come before the bitfield (libtorrent sends it first); keep-alives count not.
        if (!(message instanceof Message.Extended) && !(message instanceof Message.KeepAlive)) {
            peer.messages++;
        }
        switch (message) {
            case Message.KeepAlive m -> {
                // only keeps the connection open
            }
            case Message.Choke m -> {
                peer.peerChoking = true;
                if (!peer.supportsFast()) {
                    // Without the fast extension a choke discards every request in flight (BEP 3).
                    peer.requests.keySet().forEach(picker::requestDropped);
                    peer.requests.clear();
                }
            }
            case Message.Unchoke m -> {
                peer.peerChoking = false;
                request(peer);
            }
            case Message.Interested m -> {
                peer.peerInterested = true;
                peer.idleSinceNanos = System.nanoTime();
                uploads.interested(peer, peers.values());
            }
            case Message.NotInterested m -> {
                peer.peerInterested = false;
                peer.idleSinceNanos = System.nanoTime();
                uploads.notInterested(peer, peers.values(), System.nanoTime());
            }
            case Message.Have m -> {
                if (!peer.pieces.has(m.piece())) {
                    peer.pieces.add(m.piece());
                    picker.peerHas(m.piece());
                    if (!closeIfBothSeeds(peer)) {
                        updateInterest(peer);
                    }
                }
            }
            case Message.Bitfield m -> pieces(peer, PieceSet.fromBitfield(m.bits(), info.pieceCount()));
            case Message.HaveAll m -> pieces(peer, PieceSet.all(info.pieceCount()));
            case Message.HaveNone m -> pieces(peer, new PieceSet(info.pieceCount()));
            case Message.Request m ->
                    uploads.request(peer, new BlockRef(m.piece(), m.begin(), m.length()), System.nanoTime());
            case Message.Cancel m -> uploads.cancelled(peer, new BlockRef(m.piece(), m.begin(), m.length()));
            case Message.Reject m -> {
                BlockRef block = new BlockRef(m.piece(), m.begin(), m.length());
                if (peer.requests.remove(block) != null) {
                    picker.requestDropped(block);
                }
            }
            case Message.AllowedFast m -> {
                peer.allowedFast.add(m.piece());
                request(peer);
            }
            case Message.Suggest m -> {
                // Rarest first knows better than a peer's suggestion for the whole swarm; ignored.
            }
            case Message.Port m -> {
                // No DHT yet.
            }
            case Message.Extended m -> extended(peer, m);
            case Message.Piece m -> throw new IllegalStateException("piece data arrives as BlockArrived");
        }
    }

    /**
     * A bitfield or have-all: normally the first message (BEP 3, 6), but aria2 sends a bitfield mid-connection in
     * place of many haves, so a later one adds pieces as haves would (never removes any).
     */
    private void pieces(Peer peer, PieceSet pieces) {
        for (int i = pieces.next(0); i >= 0; i = pieces.next(i + 1)) {
            if (!peer.pieces.has(i)) {
                peer.pieces.add(i);
                picker.peerHas(i);
            }
        }
        if (!closeIfBothSeeds(peer)) {
            updateInterest(peer);
        }
    }

    /** Two seeds have nothing to trade; the connection slot is better spent on a leecher. */
    private boolean closeIfBothSeeds(Peer peer) {
        if (peer.pieces.isComplete() && picker.isComplete()) {
            peer.connection.close("both sides are seeds");
            return true;
        }
        return false;
    }

    private void extended(Peer peer, Message.Extended message) {
        if (message.extendedId() != ExtensionHandshake.ID) {
            // BEP 10: a peer sends only the messages we named in our handshake, and we named none yet.
            peer.connection.close("protocol violation: an extension message with id " + message.extendedId()
                    + ", which we never offered");
            return;
        }
        try {
            ExtensionHandshake handshake = ExtensionHandshake.from(message);
            handshake.requestQueue().ifPresent(q -> peer.peerQueue = Math.max(1, Math.min(q, Peer.MAX_REQUESTS)));
        } catch (ProtocolException e) {
            peer.connection.close("protocol violation: " + e.getMessage());
        }
    }

    private void updateInterest(Peer peer) {
        boolean interesting = picker.isInteresting(peer.pieces);
        if (interesting != peer.amInterested) {
            peer.amInterested = interesting;
            peer.idleSinceNanos = System.nanoTime();
            peer.connection.send(interesting ? new Message.Interested() : new Message.NotInterested());
        }
        if (interesting) {
            request(peer);
        }
    }

    // ---- downloading ---------------------------------------------------------------------------------------

    private void request(Peer peer) {
        if (!peer.amInterested || error != null || paused != null || peer.snubbed) {
            return;
        }
        PieceSet candidates = peer.pieces;
        if (peer.peerChoking) {
            if (peer.allowedFast.isEmpty()) {
                return;
            }
            candidates = new PieceSet(info.pieceCount());
            for (int piece : peer.allowedFast) {
                if (peer.pieces.has(piece)) {
                    candidates.add(piece);
                }
            }
        }
        int target = peer.pipelineTarget();
        int room = target - peer.requests.size();
        // Top the pipeline up in batches: one write of many requests costs the writer thread and the kernel far
        // less than a write per arriving block, and a quarter of the pipeline is still in flight meanwhile.
        if (room <= 0 || (room < target / 4 && !peer.requests.isEmpty())) {
            return;
        }
        // In endgame a peer is given blocks already asked of others only once its own queue has run dry (as in
        // libtorrent): the peer that finishes first takes over the stragglers, and a single fast peer does not make
        // every arriving block scan all the blocks in flight for nothing.
        if (!peer.requests.isEmpty() && picker.isEndgame()) {
            return;
        }
        long now = System.nanoTime();
        for (BlockRef block : picker.pick(peer, candidates, room, peer.requests::containsKey)) {
            buffers.open(block.piece());
            peer.requests.put(block, now);
            peer.connection.send(new Message.Request(block.piece(), block.begin(), block.length()));
        }
    }

    private void requestFromAll() {
        for (Peer peer : peers.values()) {
            request(peer);
        }
    }

    private void blockArrived(PeerConnection connection, BlockRef block, boolean accepted) {
        Peer peer = peers.get(connection);
        Long sent = peer == null ? null : peer.requests.remove(block);
        if (!accepted) {
            wasted += block.length();
            if (sent != null) {
                // Asked of this peer but its data could not be taken (the piece was reset meanwhile): ask again,
                // or the block would stay "requested" from nobody until endgame.
                picker.requestDropped(block);
            }
            if (peer != null) {
                request(peer);
            }
            return;
        }
        if (peer != null) {
            peer.download.add(block.length());
            peer.lastBlockNanos = System.nanoTime();
            peer.snubbed = false;
            peer.blockReceived();
        }
        downRate.add(block.length());
        if (sent == null && peer != null) {
            // Asked of this peer, then given up on (snubbed, choked, cancelled in endgame), and still wanted: keep
            // it, and treat it like an answered request. Data never asked of this peer does not get this far.
            picker.requestDropped(block);
        }
        boolean pieceDone = picker.blockReceived(block);
        if (picker.isEndgame()) {
            cancelElsewhere(block, peer);
        }
        if (pieceDone) {
            verify(block.piece());
        }
        if (peer != null) {
            request(peer);
        }
    }

    /** Endgame: the block arrived, so the same request to other peers is cancelled. */
    private void cancelElsewhere(BlockRef block, Peer receiver) {
        for (Peer other : peers.values()) {
            if (other != receiver && other.requests.remove(block) != null) {
                picker.requestDropped(block);
                other.connection.send(new Message.Cancel(block.piece(), block.begin(), block.length()));
            }
        }
    }

    private void verify(int piece) {
        PieceBuffers.PieceBuffer buffer = buffers.get(piece);
        if (buffer != null) {
            disk.verifyAndWrite(buffer, info.pieceHash(piece), smartBan.remembers(piece));
        }
    }

    private void pieceWritten(int piece, Set<PeerConnection> senders) {
        for (PeerConnection sender : senders) {
            Peer peer = peers.get(sender);
            if (peer != null) {
                peer.trust = Math.min(TRUST_MAX, peer.trust + 1);
            }
        }
        written.add(piece);
        // Its data is in the file now: the memory can go back to the pool while the force is still to come.
        buffers.release(piece);
    }

    private void pieceFailed(int piece, Set<PeerConnection> senders) {
        picker.pieceFailed(piece);
        buffers.release(piece);
        wasted += info.pieceSize(piece);
        for (PeerConnection sender : senders) {
            Peer peer = peers.get(sender);
            // A sole sender is certainly the liar; several senders share the suspicion (libtorrent's rule).
            int trust = peer == null ? 0 : peer.trust - TRUST_PENALTY;
            if (peer != null) {
                peer.trust = trust;
            }
            if (senders.size() == 1 || trust <= TRUST_BAN) {
                ban(sender.address(), "sent data that failed the hash check of piece " + piece);
            }
        }
        requestFromAll();
    }

    /**
     * Smart ban's verdict on the senders of a piece that failed and has now passed: a peer whose block differed from
     * the good one is banned; one whose blocks all matched gets back the trust it lost for the piece's failures.
     */
    private void judge(int piece, SmartBan.Verdict verdict) {
        for (InetSocketAddress liar : verdict.liars()) {
            ban(liar, "sent a bad block of piece " + piece + " (found when the piece passed)");
        }
        for (Peer peer : peers.values()) {
            Integer failures = verdict.cleared().get(peer.connection.address());
            if (failures != null) {
                peer.trust = Math.min(TRUST_MAX, peer.trust + failures * TRUST_PENALTY);
            }
        }
    }

    /** Bans the IP of {@code address} (see {@link KnownPeers}) and closes every connection from it. */
    private void ban(InetSocketAddress address, String reason) {
        known.ban(address);
        for (PeerConnection connection : peers.keySet()) {
            if (connection.address().getAddress().equals(address.getAddress())) {
                connection.close(reason);
            }
        }
    }

    /**
     * Forces what was written as soon as the last force is done: one force at a time, each taking every piece
     * written meanwhile, so a piece waits about one {@code fsync} before peers hear of it, and a fast download
     * forces in large batches on its own.
     */
    private void maybeForce() {
        if (forceRunning || written.isEmpty()) {
            return;
        }
        List<Integer> batch = List.copyOf(written);
        written.clear();
        forceRunning = true;
        disk.force(batch);
    }

    private void piecesDurable(List<Integer> pieces) {
        forceRunning = false;
        boolean wasComplete = picker.isComplete();
        for (int piece : pieces) {
            picker.pieceVerified(piece);
            shared.add(piece);
            pieceDone.accept(piece);
            for (Peer peer : peers.values()) {
                peer.connection.send(new Message.Have(piece));
            }
        }
        for (Peer peer : List.copyOf(peers.values())) {
            if (!closeIfBothSeeds(peer)) {
                updateInterest(peer);
            }
        }
        unrecorded = true;
        if (picker.isComplete() && !wasComplete) {
            finish();
        }
        long now = System.nanoTime();
        maybeRecord(now);
        publishStats(now);
    }

    /** Records the pieces that are ours, now and then while downloading, and at once when complete. */
    private void maybeRecord(long now) {
        if (now >= recordDue()) {
            unrecorded = false;
            lastRecord = now;
            disk.record(recorder, ++recordSequence, shared.copy());
        }
    }

    /**
     * When the pieces that became ours since the last record are to be recorded: {@link SwarmConfig#recordInterval}
     * after it, or at once when the download is complete; never while nothing is new, after a disk error, or without
     * a recorder.
     */
    private long recordDue() {
        if (!unrecorded || error != null || recorder == PieceRecorder.NONE) {
            return NEVER;
        }
        return picker.isComplete() ? lastRecord : lastRecord + config.recordInterval().toNanos();
    }

    /** BEP 10, with BEP 21's {@code upload_only} once we seed, so that other seeds need not stay connected. */
    private Message.Extended extensionHandshake() {
        return ExtensionHandshake.of(Map.of())
                .withClient("jtorrent")
                .withRequestQueue(MAX_QUEUED_UPLOADS)
                .withListenPort(config.listenPort() > 0 ? config.listenPort() : 1)
                .withUploadOnly(picker.isComplete())
                .toMessage();
    }

    /**
     * New file priorities: the picker takes them at once, the storage moves bytes into or out of the parts file on the
     * disk pool, in order with the writes, and interest in each peer follows. Wanting nothing more completes the
     * download; wanting more after it was complete downloads again (the completion stays complete).
     */
    private void prioritiesChanged(List<FilePriority> priorities) {
        boolean wasComplete = picker.isComplete();
        selection.set(priorities, picker);
        disk.filePrioritiesChanged(priorities);
        if (picker.isComplete() && !wasComplete) {
            finish();
        } else if (!picker.isComplete() && wasComplete) {
            sayWhetherUploadOnly();
            // The seeds we dropped when we wanted nothing more have what we want now.
            long now = System.nanoTime();
            known.retryDisconnected(now);
            connectMore(now);
        }
        for (Peer peer : List.copyOf(peers.values())) {
            updateInterest(peer);
        }
        publishStats(System.nanoTime());
    }

    /** An extension handshake may be sent again at any time (BEP 10): it says whether we are upload_only (BEP 21). */
    private void sayWhetherUploadOnly() {
        for (Peer peer : peers.values()) {
            if (peer.connection.remote().supportsExtensionProtocol()) {
                peer.connection.send(extensionHandshake());
            }
        }
    }

    private void finish() {
        try {
            onComplete.run();
            sayWhetherUploadOnly();
            // Whoever waits on the completion reads the stats next: they must already say complete.
            publishStats(System.nanoTime());
            completion.complete(null);
        } catch (RuntimeException e) {
            fail("cannot finish the download: " + e.getMessage());
        }
    }

    private void fail(String message) {
        if (error == null) {
            error = message;
            for (Peer peer : List.copyOf(peers.values())) {
                peer.connection.close("stopping: " + message);
            }
            completion.completeExceptionally(new IOException(message));
        }
    }

    // ---- time ----------------------------------------------------------------------------------------------

    /** Counts as uploaded what the peer's writer has written to its socket since the last count. */
    private void countUploaded(Peer peer) {
        long written = peer.connection.takePayloadWritten();
        peer.upload.add(written);
        upRate.add(written);
    }

    private void tick(long now) {
        long timeout = TimeUnit.SECONDS.toNanos(config.requestTimeoutSecs());
        for (Peer peer : peers.values()) {
            peer.connection.checkTimers(now);
            peer.download.update(now);
            peer.secondPassed();
            countUploaded(peer);
            peer.upload.update(now);
            if (!peer.requests.isEmpty() && now - peer.lastBlockNanos > timeout && !peer.snubbed
                    && !downloadLimit.holdingBack(now)) {
                // Snubbed: its requests go to others; it gets new ones once it delivers again.
                peer.snubbed = true;
                dropRequests(peer);
            }
        }
        if (paused != null && now - pausedAt >= config.diskFullRetry().toNanos()) {
            retryAfterFullDisk(now);
        }
        downRate.update(now);
        upRate.update(now);
        uploads.tick(now, peers.values());
        maybeRecord(now);
        connectMore(now);
        requestFromAll();
        publishStats(now);
    }

    /**
     * When {@link #tick} is next due, given that it was due at {@code scheduled}: a second after the last while
     * peers are connected; without peers, when the first thing waiting for a time is due (see {@link
     * #firstDeadline}), and never if nothing is.
     */
    private long nextTick(long now, long scheduled) {
        if (peers.isEmpty()) {
            return firstDeadline();
        }
        return scheduled > now ? Math.min(scheduled, now + TICK_NANOS) : now + TICK_NANOS;
    }

    /**
     * What a swarm without peers waits for the time of: new pieces to record, a retry after a full disk (once a
     * second at most, as at every tick), and the first known peer that may be tried (again) while a connection can
     * be attempted; {@link #NEVER} if none. The rest comes as events: connections and their failures, the disk's
     * results, peers found, a stop.
     */
    private long firstDeadline() {
        long due = recordDue();
        if (paused != null) {
            due = Math.min(due, pausedAt + Math.max(config.diskFullRetry().toNanos(), TICK_NANOS));
        }
        if (error == null && connectRoom() > 0) {
            due = Math.min(due, known.nextAttempt());
        }
        return due;
    }

    /** Takes back every request in flight to a peer, so that others can be asked, and tells it when it listens. */
    private void dropRequests(Peer peer) {
        for (BlockRef block : peer.requests.keySet()) {
            picker.requestDropped(block);
            if (peer.supportsFast()) {
                peer.connection.send(new Message.Cancel(block.piece(), block.begin(), block.length()));
            }
        }
        peer.requests.clear();
    }

    /**
     * The disk is full: the pieces that did not reach it are fetched again later, and downloading pauses until
     * there is room (libtorrent turns such a torrent upload-only; Transmission stops it). Nothing on disk is
     * touched: a piece is written whole or does not count, so a write cut short by the full disk leaves nothing
     * that is counted.
     */
    private void outOfSpace(List<Integer> pieces, boolean forcing, String message) {
        if (forcing) {
            forceRunning = false;
        }
        for (int piece : pieces) {
            picker.pieceFailed(piece);
            buffers.release(piece);
            wasted += info.pieceSize(piece);
        }
        if (paused == null) {
            paused = message + "; downloading paused until there is space";
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}", info.name(), paused);
            for (Peer peer : peers.values()) {
                dropRequests(peer);
            }
        }
        pausedAt = System.nanoTime();
        publishStats(pausedAt);
    }

    /** Downloads again once the disk has room for a few pieces, or if its free space cannot be known. */
    private void retryAfterFullDisk(long now) {
        OptionalLong free = disk.usableSpace();
        if (free.isPresent() && free.getAsLong() < 4L * info.pieceLength()) {
            pausedAt = now;
            return;
        }
        LOG.log(System.Logger.Level.INFO, "{0}: trying to download again after a full disk", info.name());
        paused = null;
        requestFromAll();
    }

    /**
     * Publishes the statistics. Without peers nothing moves, and the rates are 0 at once: no tick would come to
     * update them as they decay.
     */
    private void publishStats(long now) {
        boolean moving = !peers.isEmpty();
        stats = new SwarmStats(downRate.total(), upRate.total(), wasted, moving ? downRate.rate() : 0,
                moving ? upRate.rate() : 0, peers.size(), known.size(), picker.haveCount(), info.pieceCount(),
                bytesLeft(), picker.isComplete(), error, paused);
    }

    private long bytesLeft() {
        return picker.wantedBytesLeft();
    }

    private void shutdown() {
        queue.close(); // no event is taken any more: readers must not wait for room
        for (Peer peer : List.copyOf(peers.values())) {
            countUploaded(peer);
            LOG.log(System.Logger.Level.DEBUG, "{0}: closing: shutting down (received {1} bytes, sent {2})",
                    peer.connection, Long.toString(peer.download.total()), Long.toString(peer.upload.total()));
            peer.connection.close("shutting down");
            peer.connection.flush();
        }
        peers.clear();
        if (!written.isEmpty()) {
            try {
                disk.forceNow();
                piecesDurable(List.copyOf(written));
                written.clear();
            } catch (IOException e) {
                error = e.getMessage();
            }
        }
        // Even after a disk error: the pieces recorded were forced before it, and are still ours.
        try {
            disk.recordNow(recorder, ++recordSequence, shared);
        } catch (IOException | RuntimeException e) {
            if (error == null) {
                error = "cannot save resume data: " + e.getMessage();
            }
        }
        publishStats(System.nanoTime());
        stopped.complete(null);
    }

    /**
     * The pieces verified and forced to disk, once the swarm has stopped ({@link #stop()} returned): what a
     * torrent paused in memory starts again from.
     *
     * @throws IllegalStateException while the swarm runs
     */
    public PieceSet verifiedPieces() {
        if (!stopped.isDone()) {
            throw new IllegalStateException("the swarm of " + info.name() + " still runs");
        }
        return shared.copy();
    }

    /** Pieces whose memory is held (being downloaded, hashed or written); for tests. */
    int piecesInMemory() {
        return buffers.openCount();
    }

    @Override
    public String toString() {
        return "Swarm[" + info.name() + ", " + peers.values().stream().map(Peer::toString)
                .collect(Collectors.joining(", ")) + "]";
    }
}
