package dev.jtorrent.swarm;

import dev.jtorrent.budget.SessionBudgets;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.ConnectionTarget;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.storage.FilePriority;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.storage.Storage;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.PeerMessageValidator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * One torrent's swarm, as a session runs it: its {@link SwarmLogic} on a thread of its own, which takes
 * {@link SwarmEvent}s from a {@link SwarmQueue}, so there are no locks around the picker or the peer states
 * (DESIGN.md, principle 2); sockets and the disk are worked by other threads that only post events. What the
 * connections' readers post is bounded, and a reader waits for room.
 *
 * <p><b>A swarm sleeps while it has nothing to do.</b> Most torrents of a large session have no peer most of the
 * time, and a logic holds a picker, buffers, maps of peers, budget shares and a thread. So a swarm starts asleep,
 * holding only what it must keep: the pieces that are ours, the file priorities, the peers known and banned, and its
 * totals. What needs the logic wakes it: a connection, peers found, new file priorities. When its logic is
 * {@link SwarmLogic#idle idle}, with nothing due at a set time, for {@link SwarmConfig#sleepAfter} (a peer that
 * comes back soon finds the read cache warm), the loop puts it back to sleep, under this object's lock and only with
 * an empty queue, so no event is lost between the two. While it sleeps, a swarm costs no thread
 * and no CPU, and a few hundred bytes.
 *
 * <p>The thread is a virtual thread. It waits for the next event with a timeout only while something is due at a
 * set time (see {@link SwarmLogic#turn}).
 *
 * <p>A piece counts as ours only once its hash passed and its bytes were forced to disk (see {@link PieceCommit}).
 */
public final class Swarm implements ConnectionTarget {
    private final InfoDictionary info;
    private final InfoHash infoHash;
    private final PeerId ourId;
    private final SwarmConfig config;
    private final Storage storage;
    private final ExecutorService diskPool;
    private final Connector connector;
    private final Runnable onComplete;
    private final PieceRecorder recorder;
    private final RandomGenerator random;
    private final SessionBudgets budgets;
    private final NanoClock clock = NanoClock.SYSTEM;
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final CompletableFuture<String> failure = new CompletableFuture<>();

    // Guarded by this.
    /** What the swarm keeps between spells. */
    private final SwarmKeep keep;
    /** The spell awake; null while the swarm sleeps. */
    private Spell awake;
    private boolean started;
    private boolean stopped;
    private int spells;

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
        this.config = config;
        this.storage = storage;
        this.diskPool = diskPool;
        this.connector = connector;
        this.onComplete = onComplete;
        this.recorder = recorder;
        this.random = random;
        this.budgets = budgets;
        this.keep = new SwarmKeep(info, config, verified, unchecked, options);
        if (keep.resting().complete()) {
            completion.complete(null);
        }
    }

    @Override
    public InfoHash infoHash() {
        return infoHash;
    }

    /** The torrent's info dictionary. */
    public InfoDictionary info() {
        return info;
    }

    @Override
    public boolean isPrivate() {
        return info.isPrivate();
    }

    @Override
    public PeerMessageValidator validator(Handshake theirs) {
        return PeerMessageValidator.of(info, theirs);
    }

    public PeerId ourId() {
        return ourId;
    }

    /**
     * Has {@code listener} told, on the swarm's thread, of each piece as it becomes ours (verified and forced to
     * disk); it must be quick. Call it before {@link #start()}.
     */
    public synchronized void onPieceDone(IntConsumer listener) {
        keep.onPieceDone(Objects.requireNonNull(listener));
    }

    /**
     * Has the swarm's peers told of the session's DHT node, and their nodes told to it (BEP 5's {@code PORT}); see
     * {@link DhtContact}. Call it before {@link #start()}; without it, the swarm says nothing of a DHT.
     */
    public synchronized void useDht(DhtContact contact) {
        keep.useDht(Objects.requireNonNull(contact));
    }

    /**
     * Starts the swarm, asleep: it wakes when there is something to do. What it starts from is recorded at once on
     * the disk pool, as the start's check is worth keeping.
     */
    public void start() {
        PieceSet start;
        synchronized (this) {
            if (started) {
                throw new IllegalStateException("the swarm of " + info.name() + " was started already");
            }
            started = true;
            start = keep.verified().copy();
        }
        if (recorder != PieceRecorder.NONE && !diskPool.isShutdown()) {
            diskPool.execute(() -> record(1, start));
        }
    }

    /** Records {@code pieces} while no spell is awake to; a failure is only logged, as a spell's would be. */
    private void record(long sequence, PieceSet pieces) {
        try {
            recorder.record(sequence, pieces);
        } catch (IOException | RuntimeException e) {
            // Not a reason to stop: the next record, or a check at the next start, makes up for it.
            System.getLogger(Swarm.class.getName()).log(System.Logger.Level.WARNING,
                    "{0}: cannot save resume data: {1}", info.name(), e.getMessage());
        }
    }

    /**
     * Completes when every wanted piece is verified on disk: the whole torrent, or the pieces of the files not
     * skipped. It stays complete if files are wanted later (the swarm then downloads them, and seeds meanwhile).
     */
    public CompletableFuture<Void> completion() {
        return completion;
    }

    /**
     * Completes with the reason if the swarm stops on an error (a disk that cannot be written): whether or not the
     * download was complete, unlike {@link #completion()}. The torrent must be started again with a new swarm.
     */
    public CompletableFuture<String> failure() {
        return failure;
    }

    /**
     * Changes which files are wanted, on the swarm's thread: newly skipped files are no longer fetched (pieces
     * under way are finished), and newly wanted ones are, their bytes kept in the parts file moved into place first.
     * Wakes the swarm, whose logic does that.
     *
     * @param priorities one for each of the torrent's files, pad files included
     * @throws IllegalArgumentException unless there is one priority for each file
     */
    public void setFilePriorities(List<FilePriority> priorities) {
        FilePriority.checkCount(PieceMap.of(info), priorities);
        List<FilePriority> next = List.copyOf(priorities);
        synchronized (this) {
            Spell spell = wake();
            if (spell != null) {
                // The logic woke with the priorities of before, and moves from them to these.
                spell.queue().post(new SwarmEvent.PrioritiesChanged(next));
                keep.setPriorities(next);
            }
        }
    }

    /** Turns sequential picking (in order within a window: see {@link PiecePicker}) on or off, on the swarm's thread. */
    public synchronized void setSequential(boolean sequential) {
        keep.setSequential(sequential);
        if (awake != null) {
            awake.queue().post(new SwarmEvent.SequentialChanged(sequential));
        }
    }

    /**
     * Changes the torrent's own upload and download limits, in payload bytes a second (0 for none), on the swarm's
     * thread: blocks waiting to be sent go at the new upload rate, and each connection's reader reads at the new
     * download rate from its next block. A swarm asleep keeps them for its next spell.
     *
     * @throws IllegalArgumentException if either is negative
     */
    public synchronized void setLimits(long upload, long download) {
        SwarmEvent event = new SwarmEvent.LimitsChanged(upload, download);
        keep.setLimits(upload, download);
        if (awake != null) {
            awake.queue().post(event);
        }
    }

    /** The statistics, over every spell awake since the start. */
    public SwarmStats stats() {
        synchronized (this) {
            if (awake != null) {
                return keep.withEarlier(awake.logic().stats());
            }
        }
        return keep.resting();
    }

    /** Peers to connect to, from a tracker or elsewhere. Wakes the swarm. */
    public void peersFound(List<InetSocketAddress> addresses) {
        if (addresses.isEmpty()) {
            return;
        }
        SwarmEvent event = new SwarmEvent.PeersFound(List.copyOf(addresses));
        synchronized (this) {
            Spell spell = wake();
            if (spell != null) {
                spell.queue().post(event);
            }
        }
    }

    /**
     * The peers connected now, as the swarm's thread sees them; completes with none if the swarm sleeps or has
     * stopped.
     */
    public CompletableFuture<List<PeerSnapshot>> peers() {
        CompletableFuture<List<PeerSnapshot>> answer = new CompletableFuture<>();
        Spell spell;
        synchronized (this) {
            spell = awake;
            if (spell == null) {
                answer.complete(List.of());
                return answer;
            }
            spell.queue().post(new SwarmEvent.PeersQuery(answer));
        }
        if (spell.ended().isDone()) {
            answer.complete(List.of()); // the queue is closed, and nobody takes the query
        }
        return answer;
    }

    /**
     * Closes the connections to the peers at the addresses {@code unwanted} matches, for {@code reason}: for a block
     * list set while they are connected. Nothing if the swarm sleeps (it has no connections then).
     */
    public synchronized void closePeers(Predicate<InetSocketAddress> unwanted, String reason) {
        if (awake != null) {
            awake.queue().post(new SwarmEvent.ClosePeers(unwanted, reason));
        }
    }

    /** Addresses that are ours (our listen address), never to be connected to. */
    public synchronized void addOwnAddress(InetSocketAddress address) {
        keep.addOwnAddress(Objects.requireNonNull(address));
        if (awake != null) {
            awake.logic().addOwnAddress(address);
        }
    }

    /** Runs the once-a-second work as if the clock read {@code nanos}; for tests of what happens seconds later. */
    synchronized void tickAt(long nanos) {
        Spell spell = wake();
        if (spell != null) {
            spell.queue().post(new SwarmEvent.Tick(nanos));
        }
    }

    /** A connection that finished its handshakes, for this torrent. Wakes the swarm; closed if it has stopped. */
    @Override
    public void accept(PeerConnection connection) {
        synchronized (this) {
            Spell spell = wake();
            if (spell != null) {
                spell.queue().post(new SwarmEvent.Connected(connection));
                return;
            }
        }
        connection.close(CloseReason.of(CloseReason.Kind.STOPPING, "the torrent stopped"));
    }

    @Override
    public synchronized void connectFailed(InetSocketAddress address, String reason) {
        // Only a spell awake dials out, and it stays awake until every attempt has ended.
        if (awake != null) {
            awake.queue().post(new SwarmEvent.ConnectFailed(address, reason));
        }
    }

    /**
     * Holding this: the spell awake, woken now if the swarm slept; null once it has stopped. A swarm may wake
     * before {@link #start()}: a connection can come as soon as the session knows the torrent.
     */
    private Spell wake() {
        if (stopped) {
            return null;
        }
        if (awake != null) {
            return awake;
        }
        SwarmQueue queue = new SwarmQueue(SwarmQueue.DEFAULT_BOUND);
        SwarmLogic logic = keep.newLogic(ourId, config, storage, recorder, onComplete, random, budgets,
                new SwarmEdges(clock, queue, diskPool, connector, this));
        logic.completion().whenComplete((done, failure) -> {
            if (failure == null) {
                completion.complete(null);
            } else {
                completion.completeExceptionally(failure);
            }
        });
        logic.failure().thenAccept(failure::complete);
        Spell spell = new Spell(logic, queue, clock, config.sleepAfter().toNanos());
        awake = spell;
        spells++;
        Thread.ofVirtual().name("swarm-" + info.name()).start(() -> spell.run(host));
        return spell;
    }

    /**
     * Stops the swarm: closes every connection and waits (bounded) for pieces being written, if it is awake; then
     * it never wakes again.
     */
    public void stop() {
        Spell spell;
        PieceSet last = null;
        long sequence = 0;
        boolean first;
        synchronized (this) {
            first = !stopped;
            stopped = true;
            spell = awake;
            if (first && spell == null) {
                last = keep.verified().copy();
                sequence = keep.nextRecordWhileAsleep();
            }
        }
        if (spell == null) {
            if (first && started && recorder != PieceRecorder.NONE) {
                record(sequence, last); // asleep, nothing was written since: no force is needed
            }
            return;
        }
        if (first) {
            spell.queue().post(new SwarmEvent.Stop());
        }
        try {
            spell.ended().get(30, TimeUnit.SECONDS); // a later call waits too, for the pieces it reads after
        } catch (Exception e) {
            // the swarm's thread is virtual, so a stuck disk cannot keep the process alive through it
        }
    }

    /** What a spell's loop asks of this swarm. */
    private final Spell.Host host = new Spell.Host() {
        /**
         * Puts an idle spell to sleep, unless an event came meanwhile (it is then handled first) or a stop is asked.
         * What the swarm keeps is taken from the logic under this swarm's lock, so a wake always starts from it.
         */
        @Override
        public boolean sleep(Spell spell) {
            synchronized (Swarm.this) {
                if (awake != spell || stopped || !spell.queue().isEmpty()) {
                    return false;
                }
                spell.queue().close();
                keep.keep(spell.logic());
                awake = null;
                return true;
            }
        }

        /** Also after an internal error: the swarm never wakes again, and a connection for it is closed. */
        @Override
        public void stopped(Spell spell) {
            synchronized (Swarm.this) {
                stopped = true;
                keep.stoppedWith(spell.logic().shared());
            }
        }
    };

    /**
     * The pieces verified and forced to disk, once the swarm has stopped ({@link #stop()} returned): what a
     * torrent paused in memory starts again from.
     *
     * @throws IllegalStateException while the swarm runs
     */
    public synchronized PieceSet verifiedPieces() {
        if (!stopped || awake != null && !awake.ended().isDone()) {
            throw new IllegalStateException("the swarm of " + info.name() + " still runs");
        }
        return keep.verified().copy();
    }

    /** Pieces whose memory is held (being downloaded, hashed or written); for tests. */
    int piecesInMemory() {
        Spell spell;
        synchronized (this) {
            spell = awake;
        }
        return spell == null ? 0 : spell.logic().piecesInMemory();
    }

    /** Whether the swarm is awake (see the class's comment); for tests. */
    synchronized boolean isAwake() {
        return awake != null;
    }

    /** How many times the swarm woke; for tests. */
    synchronized int spells() {
        return spells;
    }

    @Override
    public String toString() {
        Spell spell;
        synchronized (this) {
            spell = awake;
        }
        return spell != null ? spell.logic().toString() : "Swarm[" + info.name() + ", asleep]";
    }
}
