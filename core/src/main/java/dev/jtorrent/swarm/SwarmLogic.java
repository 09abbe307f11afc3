package dev.jtorrent.swarm;

import dev.jtorrent.budget.SessionBudgets;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.ConnectionTarget;
import dev.jtorrent.peer.DownloadLimit;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.storage.FilePriority;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.storage.Storage;
import dev.jtorrent.wire.PeerId;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * One torrent's swarm logic: it takes {@link SwarmEvent}s and the time, and answers with actions on its edges:
 * messages queued on connections, connections dialled through the {@link Connector}, jobs on the disk pool. It runs
 * on one thread at a time and holds no lock; the loop that feeds it, the clock, the sockets and the disk are at its
 * edge (see {@link Swarm}). Each concern has a class of its own: {@link Admission} (which connections stay) and
 * {@link Membership} (peers joining and leaving), {@link PeerMessages} (with {@link PeerExchange}: BEP 11),
 * {@link Requests} (requests, endgame, snubbing), {@link Uploads}, {@link Trust} (trust and bans) and
 * {@link PieceCommit} (written, forced, shared, recorded); this class routes events between them and keeps the
 * {@link SwarmState} and the statistics.
 *
 * <p>It keeps time only while it needs to ({@link Timekeeper}): once a second while peers are connected, whose
 * timers, rates and upload slots depend on it; without peers, only when something is due at a set time (a record of
 * new pieces, a retry after a full disk, a peer address to try again).
 */
public final class SwarmLogic {
    private static final System.Logger LOG = System.getLogger(SwarmLogic.class.getName());

    private final InfoDictionary info;
    private final NanoClock clock;
    private final SwarmInbox inbox;
    private final Runnable onComplete;
    private final PiecePicker picker;
    private final PieceBuffers buffers;
    private final Peers peers = new Peers();
    private final Totals totals = new Totals();
    private final Uploads uploads;
    /** Shared by the connections' readers, which stop reading past it. */
    private final DownloadLimit downloadLimit;
    private final Requests requests;
    private final Trust trust;
    private final PieceCommit commit;
    private final Admission admission;
    private final PeerMessages messages;
    private final Membership members;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private volatile SwarmStats stats;
    private final Health health;
    private final DiskWork disk;
    /** Which files are wanted (see {@link DownloadOptions}). */
    private final FileSelection selection;
    /** What each turn and each tick does, and when the next tick is due. */
    private final Timekeeper time;

    /**
     * @param verified   pieces already ours: checked on disk, or taken on trust
     * @param unchecked  the pieces among {@code verified} taken on trust; each is hashed before it is first sent
     * @param recorder   where the pieces that are ours are recorded (resume data)
     * @param onComplete runs once every piece is ours
     * @param random     the picker's and the choker's randomness
     * @param options    which files to download, and whether in order
     */
    public SwarmLogic(InfoDictionary info, PeerId ourId, SwarmConfig config, Storage storage, PieceSet verified,
                      PieceSet unchecked, PieceRecorder recorder, Runnable onComplete, RandomGenerator random,
                      DownloadOptions options, SessionBudgets budgets, SwarmEdges edges) {
        this(info, ourId, config, storage, verified, unchecked, recorder, onComplete, random, options, budgets, edges,
                new KnownPeers());
    }

    /**
     * As above, with the peer addresses known and banned before: those a {@link Swarm} kept while it slept.
     */
    SwarmLogic(InfoDictionary info, PeerId ourId, SwarmConfig config, Storage storage, PieceSet verified,
               PieceSet unchecked, PieceRecorder recorder, Runnable onComplete, RandomGenerator random,
               DownloadOptions options, SessionBudgets budgets, SwarmEdges edges, KnownPeers known) {
        this.info = info;
        this.clock = edges.clock();
        this.inbox = edges.inbox();
        this.onComplete = onComplete;
        Executor diskPool = edges.diskPool();
        Connector connector = edges.connector();
        ConnectionTarget swarm = edges.self();
        long now = clock.nanoTime();
        // The session gave back connections or memory while this swarm waited for some.
        Runnable wake = () -> inbox.post(new SwarmEvent.BudgetRoom());
        this.disk = new DiskWork(storage, info, diskPool, inbox::post, budgets.readCache(), clock);
        disk.trustUnchecked(unchecked);
        this.health = new Health(disk, info.pieceLength(), config.diskFullRetry().toNanos());
        int maxInProgress = (int) Math.max(4, Math.min(100_000, config.maxInFlightBytes() / info.pieceLength()));
        this.picker = new PiecePicker(info.pieceCount(), info::pieceSize, maxInProgress, random);
        this.buffers = new PieceBuffers(info.pieceLength(), info::pieceSize, maxInProgress, clock);
        buffers.useBudget(budgets.inFlight(), wake);
        PieceMap map = PieceMap.of(info);
        this.selection = new FileSelection(map, options.prioritiesFor(map.files().size()));
        selection.set(selection.priorities(), picker);
        picker.setSequential(options.sequential());
        // Shared by the connections' readers, which stop reading past it.
        this.downloadLimit = new DownloadLimit(config.downloadLimit(), now);
        PieceSet shared = verified.copy();
        for (int i = verified.next(0); i >= 0; i = verified.next(i + 1)) {
            picker.pieceVerified(i);
        }
        this.commit = new PieceCommit(info, picker, buffers, shared, disk, recorder,
                config.recordInterval().toNanos(), peers, totals, now);
        this.uploads = new Uploads(config.uploadSlots(), random, info, picker, shared, disk,
                new UploadLimit(config.uploadLimit(), now, budgets.upload()), clock);
        this.requests = new Requests(picker, buffers, peers, totals, info.pieceCount(),
                config.requestTimeoutSecs() * Timekeeper.TICK_NANOS, clock, health::running);
        this.trust = new Trust(known, peers);
        this.admission = new Admission(known, peers, config, ourId, connector, swarm, this::drop,
                new ConnectionSlots(budgets.connections(), budgets.halfOpen(), wake));
        PeerExchange pex = new PeerExchange(info, config, peers, this::peersExchanged);
        this.messages = new PeerMessages(info, picker, requests, uploads, peers, config.listenPort(), clock,
                new MetadataServer(info, config.metadata()), pex, this::drop);
        this.members = new Membership(info.pieceCount(), peers, admission, messages, requests, uploads, picker,
                buffers, commit, totals, downloadLimit, inbox, clock, health::failed);
        this.time = new Timekeeper(info.name(), peers, totals, health, admission, members, requests, uploads, commit,
                pex, downloadLimit, budgets.download(), this::publishStats, now);
        this.stats = SwarmStats.initial(verified.count(), info.pieceCount(), commit.bytesLeft());
        if (picker.isComplete()) {
            completion.complete(null);
        }
    }

    /**
     * Closes a peer's connection and forgets the peer at once (called once {@link #members} is made): Admission's way
     * to make room for a new connection, and PeerMessages' to drop a seed when we are one too.
     */
    private void drop(Peer peer, CloseReason reason) {
        members.evict(peer, reason);
    }

    /** Peers named in a {@code ut_pex} message, taken as a tracker's are (called once {@link #members} is made). */
    private void peersExchanged(List<InetSocketAddress> addresses) {
        admission.found(addresses);
        members.connectMore(clock.nanoTime());
    }

    /** Completes when every piece is ours; fails with the reason if the torrent stops on an error. */
    public CompletableFuture<Void> completion() {
        return completion;
    }

    /** The statistics as last published: at every tick, and at the end of every turn without peers. */
    public SwarmStats stats() {
        return stats;
    }

    /** Addresses that are ours (our listen address), never to be connected to. Any thread. */
    public void addOwnAddress(InetSocketAddress address) {
        admission.addOwnAddress(address);
    }

    /** See {@link Swarm#setFilePriorities}; any thread. */
    List<FilePriority> checkedPriorities(List<FilePriority> priorities) {
        return selection.checked(priorities);
    }

    /** See {@link Swarm#onPieceDone}. */
    void onPieceDone(IntConsumer listener) {
        commit.onPieceDone(listener);
    }

    /** See {@link Swarm#useDht}. */
    void useDht(DhtContact contact) {
        messages.useDht(contact);
    }

    /** The pieces ours and offered to peers; read it on the swarm's thread, or once it has ended. */
    PieceSet shared() {
        return commit.shared();
    }

    /** Pieces whose memory is held (being downloaded, hashed or written); for tests. */
    public int piecesInMemory() {
        return buffers.openCount();
    }

    /**
     * Whether nothing goes on that needs the swarm's thread: no peer, no connection being made, no piece in memory,
     * nothing written and not yet forced, no job on the disk pool, and downloading neither paused nor failed. If
     * {@link #turn} also found nothing due at a set time, only an event from outside can give it work: the loop may
     * {@link #sleep} (see {@link Swarm}).
     */
    boolean idle() {
        return peers.isEmpty() && admission.connecting() == 0 && buffers.openCount() == 0 && commit.settled()
                && health.state() instanceof SwarmState.Running && disk.idleOrTellWhen();
    }

    /**
     * Ends this logic's life while it is {@link #idle}: what the session lent the torrent goes back, and the
     * statistics are published for the last time. Nothing is closed, forced or recorded: being idle, nothing is
     * left to. Called on the swarm's thread; nothing is handled after it.
     */
    void sleep() {
        admission.leaveBudget();
        buffers.leaveBudget();
        disk.leaveBudget();
        publishStats(clock.nanoTime());
    }

    /** Which files are wanted now. */
    List<FilePriority> priorities() {
        return selection.priorities();
    }

    // ---- the loop's side -----------------------------------------------------------------------------------

    /**
     * What is due before the loop waits for events: the tick if its time has come, blocks held back by an upload
     * limit that it lets go now, and what this turn queued for each peer, handed to its writer. Returns how long
     * the loop may wait for the next event: {@link Long#MAX_VALUE} if nothing is due at a set time.
     */
    public long turn(long now) {
        return time.turn(now);
    }

    /** After the events of a turn: forces what they wrote, if no force is running. */
    public void eventsHandled() {
        commit.forceIfDue();
    }

    public void handle(SwarmEvent event) {
        switch (event) {
            case SwarmEvent.Connected e -> members.connected(e.connection());
            case SwarmEvent.FromPeer e -> handle(e.event());
            case SwarmEvent.ConnectFailed e -> {
                // The attempt's slot is free: the next known peer is dialled now, not at the next tick.
                long now = clock.nanoTime();
                LOG.log(System.Logger.Level.DEBUG, "{0}: dialling {1} failed: {2}", info.name(), e.address(),
                        e.reason());
                admission.connectFailed(e.address(), now);
                members.connectMore(now);
            }
            case SwarmEvent.DiskIdle e -> {
                // Nothing to do: the loop looks again at whether the swarm is idle.
            }
            case SwarmEvent.BudgetRoom e -> {
                admission.budgetRoom();
                members.connectMore(clock.nanoTime());
                requests.requestFromAll();
            }
            case SwarmEvent.PieceWritten e -> {
                commit.written(e.piece());
                trust.piecePassed(e.piece(), e.senders(), e.digests());
            }
            case SwarmEvent.PieceFailed e -> {
                commit.failed(e.piece());
                trust.pieceFailed(e.piece(), e.senders(), e.blocks());
                requests.requestFromAll();
            }
            case SwarmEvent.PiecesDurable e -> piecesDurable(e.pieces());
            case SwarmEvent.DiskFailed e -> fail(e.message());
            case SwarmEvent.OutOfSpace e -> outOfSpace(e.pieces(), e.forcing(), e.message());
            case SwarmEvent.RecordFailed e -> {
                // Not a reason to stop: the data is safe, and a restart without resume data only checks more.
                LOG.log(System.Logger.Level.WARNING, "{0}: {1}", info.name(), e.message());
                commit.recordFailed();
            }
            case SwarmEvent.UploadRefused e -> {
                if (e.problem() != null) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: {1}", info.name(), e.problem());
                }
                uploads.refused(peers.get(e.connection()), e.block());
            }
            case SwarmEvent.UploadReady e -> uploads.ready(peers.get(e.connection()), e.block(), e.data());
            case SwarmEvent.UploadRoom e -> uploads.serve(peers.get(e.connection()));
            case SwarmEvent.PeersFound e -> {
                admission.found(e.peers());
                members.connectMore(clock.nanoTime());
            }
            case SwarmEvent.PrioritiesChanged e -> prioritiesChanged(e.priorities());
            case SwarmEvent.SequentialChanged e -> picker.setSequential(e.sequential());
            case SwarmEvent.LimitsChanged e -> {
                long now = clock.nanoTime();
                uploads.setLimit(e.upload(), now);
                downloadLimit.setBytesPerSecond(e.download(), now);
            }
            case SwarmEvent.Tick e -> time.tick(e.nanos());
            case SwarmEvent.ClosePeers e -> members.closeWhere(e.unwanted(), e.reason());
            case SwarmEvent.PeersQuery e -> e.answer().complete(peers.all().stream().map(Peer::snapshot).toList());
            case SwarmEvent.Stop e -> throw new IllegalStateException("handled by the loop");
        }
    }

    private void handle(PeerEvent event) {
        switch (event) {
            case PeerEvent.Received e -> {
                // Per message: no lambda, which C1 (the launcher's compiler for downloads) would allocate each time.
                Peer peer = peers.get(e.connection());
                if (peer != null) {
                    messages.receivedFrom(peer, e.message());
                }
            }
            case PeerEvent.BlockArrived e -> {
                if (requests.blockArrived(e.connection(), e.block(), e.accepted())) {
                    commit.verify(e.block().piece(), trust.wantsDigests(e.block().piece()));
                }
            }
            case PeerEvent.Burst e -> e.events().forEach(this::handle);
            case PeerEvent.Closed e -> members.closed(e.connection(), e.reason());
        }
    }

    // ---- pieces --------------------------------------------------------------------------------------------

    private void piecesDurable(List<Integer> pieces) {
        boolean wasComplete = picker.isComplete();
        commit.durable(pieces);
        for (Peer peer : peers.snapshot()) {
            messages.piecesChanged(peer);
        }
        if (picker.isComplete() && !wasComplete) {
            finish();
        }
        long now = clock.nanoTime();
        commit.recordIfDue(now, health.failed());
        publishStats(now);
    }

    /**
     * New file priorities: the picker takes them at once, the storage moves bytes into or out of the parts file on the
     * disk pool, in order with the writes, and interest in each peer follows. Wanting nothing more completes the
     * download; wanting more after it was complete downloads again (the completion stays complete), from the seeds
     * it dropped then too.
     */
    private void prioritiesChanged(List<FilePriority> priorities) {
        boolean wasComplete = picker.isComplete();
        selection.set(priorities, picker);
        disk.filePrioritiesChanged(priorities);
        long now = clock.nanoTime();
        if (picker.isComplete() && !wasComplete) {
            finish();
        } else if (!picker.isComplete() && wasComplete) {
            messages.sayWhetherUploadOnly();
            admission.retryDisconnected(now);
            members.connectMore(now);
        }
        for (Peer peer : peers.snapshot()) {
            messages.piecesChanged(peer);
        }
        publishStats(now);
    }

    private void finish() {
        try {
            onComplete.run();
            messages.sayWhetherUploadOnly();
            // Whoever waits on the completion reads the stats next: they must already say complete.
            publishStats(clock.nanoTime());
            completion.complete(null);
        } catch (RuntimeException e) {
            fail("cannot finish the download: " + e.getMessage());
        }
    }

    /** Stops the torrent for good: a disk error, or one of ours. Every connection is closed. */
    public void fail(String message) {
        if (health.fail(message)) {
            for (Peer peer : peers.snapshot()) {
                peer.connection.close(CloseReason.of(CloseReason.Kind.STOPPING, "stopping: " + message));
            }
            publishStats(clock.nanoTime()); // whoever hears of the failure reads the stats next: they must say so
            completion.completeExceptionally(new IOException(message));
            failure.complete(message);
        }
    }

    /** Completes with the reason if the torrent stops on an error, complete or not. */
    public CompletableFuture<String> failure() {
        return failure;
    }

    /**
     * The disk is full: the pieces that did not reach it are fetched again later, and downloading pauses until
     * there is room (libtorrent turns such a torrent upload-only; Transmission stops it).
     */
    private void outOfSpace(List<Integer> pieces, boolean forcing, String message) {
        commit.outOfSpace(pieces, forcing);
        long now = clock.nanoTime();
        if (health.diskFull(message, now) && health.state() instanceof SwarmState.Paused paused) {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}", info.name(), paused.reason());
            requests.dropAll();
        }
        publishStats(now);
    }

    // ---- statistics ----------------------------------------------------------------------------------------

    /**
     * Publishes the statistics. Without peers nothing moves, and the rates are 0 at once: no tick would come to
     * update them as they decay.
     */
    private void publishStats(long now) {
        boolean moving = !peers.isEmpty();
        stats = new SwarmStats(totals.down.total(), totals.up.total(), totals.wasted(),
                moving ? totals.down.rate() : 0, moving ? totals.up.rate() : 0, peers.size(),
                admission.knownCount(), picker.haveCount(), info.pieceCount(), commit.bytesLeft(),
                picker.isComplete(), health.state());
    }

    /**
     * Closes every connection, and forces and records what was written, on this thread. Called once, as the swarm
     * stops; nothing is handled after it.
     */
    public void shutdown() {
        members.closeAll();
        String error = commit.stop(this::piecesDurable);
        if (error != null) {
            health.fail(error);
        }
        // What the session lent this torrent goes back; blocks still lent to connections are no longer counted.
        admission.leaveBudget();
        buffers.leaveBudget();
        disk.leaveBudget();
        publishStats(clock.nanoTime());
    }

    @Override
    public String toString() {
        return "Swarm[" + info.name() + ", " + peers.all().stream().map(Peer::toString)
                .collect(Collectors.joining(", ")) + "]";
    }
}
