package dev.jtorrent.swarm;

import dev.jtorrent.budget.SessionBudgets;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.peer.ConnectionTarget;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.storage.FilePriority;
import dev.jtorrent.storage.Storage;
import dev.jtorrent.wire.PeerId;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * One torrent's swarm, as a session runs it: its {@link SwarmLogic} on a thread of its own, which takes
 * {@link SwarmEvent}s from a {@link SwarmQueue}, so there are no locks around the picker or the peer states
 * (DESIGN.md, principle 2); sockets and the disk are worked by other threads that only post events. What the
 * connections' readers post is bounded, and a reader waits for room.
 *
 * <p>The thread is a virtual thread. It waits for the next event with a timeout only while something is due at a
 * set time (see {@link SwarmLogic#turn}): a torrent without peers and with nothing due costs no thread and no CPU.
 *
 * <p>A piece counts as ours only once its hash passed and its bytes were forced to disk (see {@link PieceCommit}).
 */
public final class Swarm implements ConnectionTarget {
    private static final int MAX_EVENTS_PER_TURN = 256;

    private final InfoDictionary info;
    private final InfoHash infoHash;
    private final PeerId ourId;
    private final NanoClock clock = NanoClock.SYSTEM;
    private final SwarmQueue queue = new SwarmQueue(SwarmQueue.DEFAULT_BOUND);
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final SwarmLogic logic;

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
        this(infoHash, info, ourId, config, storage, verified, unchecked, diskPool, connector, onComplete, recorder,
                random, options, SessionBudgets.unlimited());
    }

    /**
     * A swarm as above that shares {@code budgets} (connections, memory, rates) with the other torrents of its
     * session; its own limits in {@code config} apply within them.
     */
    public Swarm(InfoHash infoHash, InfoDictionary info, PeerId ourId, SwarmConfig config, Storage storage,
                 PieceSet verified, PieceSet unchecked, ExecutorService diskPool, Connector connector,
                 Runnable onComplete, PieceRecorder recorder, RandomGenerator random, DownloadOptions options,
                 SessionBudgets budgets) {
        this.info = info;
        this.infoHash = infoHash;
        this.ourId = ourId;
        this.logic = new SwarmLogic(info, ourId, config, storage, verified, unchecked, recorder, onComplete, random,
                options, budgets, new SwarmEdges(clock, queue, diskPool, connector, this));
    }

    @Override
    public InfoHash infoHash() {
        return infoHash;
    }

    @Override
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
        logic.onPieceDone(Objects.requireNonNull(listener));
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
        return logic.completion();
    }

    /**
     * Changes which files are wanted, on the swarm's thread: newly skipped files are no longer fetched (pieces
     * under way are finished), and newly wanted ones are, their bytes kept in the parts file moved into place first.
     *
     * @param priorities one for each of the torrent's files, pad files included
     * @throws IllegalArgumentException unless there is one priority for each file
     */
    public void setFilePriorities(List<FilePriority> priorities) {
        queue.post(new SwarmEvent.PrioritiesChanged(logic.checkedPriorities(priorities)));
    }

    /** Turns sequential picking (in order within a window: see {@link PiecePicker}) on or off, on the swarm's thread. */
    public void setSequential(boolean sequential) {
        queue.post(new SwarmEvent.SequentialChanged(sequential));
    }

    /**
     * Changes the torrent's own upload and download limits, in payload bytes a second (0 for none), on the swarm's
     * thread: blocks waiting to be sent go at the new upload rate, and each connection's reader reads at the new
     * download rate from its next block.
     *
     * @throws IllegalArgumentException if either is negative
     */
    public void setLimits(long upload, long download) {
        queue.post(new SwarmEvent.LimitsChanged(upload, download));
    }

    public SwarmStats stats() {
        return logic.stats();
    }

    /** Peers to connect to, from a tracker or elsewhere. */
    public void peersFound(List<InetSocketAddress> addresses) {
        queue.post(new SwarmEvent.PeersFound(List.copyOf(addresses)));
    }

    /**
     * The peers connected now, as the swarm's thread sees them; completes with none if the swarm has stopped.
     */
    public CompletableFuture<List<PeerSnapshot>> peers() {
        CompletableFuture<List<PeerSnapshot>> answer = new CompletableFuture<>();
        queue.post(new SwarmEvent.PeersQuery(answer));
        if (stopped.isDone()) {
            answer.complete(List.of()); // the queue is closed, and nobody takes the query
        }
        return answer;
    }

    /** Addresses that are ours (our listen address), never to be connected to. */
    public void addOwnAddress(InetSocketAddress address) {
        logic.addOwnAddress(address);
    }

    /** Runs the once-a-second work as if the clock read {@code nanos}; for tests of what happens seconds later. */
    void tickAt(long nanos) {
        queue.post(new SwarmEvent.Tick(nanos));
    }

    @Override
    public void accept(PeerConnection connection) {
        queue.post(new SwarmEvent.Connected(connection));
    }

    @Override
    public void connectFailed(InetSocketAddress address, String reason) {
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

    /**
     * The loop: a turn of the logic's timed work, then a wait for events (no longer than the logic allows), then
     * the events queued, until a stop.
     */
    private void run() {
        try {
            while (true) {
                long wait = logic.turn(clock.nanoTime());
                SwarmEvent event = wait == Long.MAX_VALUE ? queue.take() : queue.poll(Math.max(1, wait));
                // Drain what is queued, but never so long that ticks (timeouts, rates) are starved.
                for (int handled = 0; event != null; ) {
                    if (event instanceof SwarmEvent.Stop) {
                        shutdown();
                        return;
                    }
                    logic.handle(event);
                    handled += event instanceof SwarmEvent.FromPeer(PeerEvent.Burst burst)
                            ? burst.events().size() : 1;
                    event = handled < MAX_EVENTS_PER_TURN ? queue.poll() : null;
                }
                logic.eventsHandled();
            }
        } catch (InterruptedException e) {
            shutdown();
        } catch (RuntimeException e) {
            logic.fail("internal error: " + e);
            shutdown();
            throw e;
        }
    }

    private void shutdown() {
        queue.close(); // no event is taken any more: readers must not wait for room
        logic.shutdown();
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
        return logic.shared().copy();
    }

    /** Pieces whose memory is held (being downloaded, hashed or written); for tests. */
    int piecesInMemory() {
        return logic.piecesInMemory();
    }

    @Override
    public String toString() {
        return logic.toString();
    }
}
