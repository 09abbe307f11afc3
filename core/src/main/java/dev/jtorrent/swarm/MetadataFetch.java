package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.peer.BlockMemory;
import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.ConnectionTarget;
import dev.jtorrent.peer.DownloadLimit;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.PeerMessageValidator;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The search for the info dictionary of a torrent added by magnet link or info hash (BEP 9): the peers it is given
 * are dialled, peers that connect to us for the torrent are taken, and the dictionary is fetched over {@code
 * ut_metadata} from those that offer it and checked against the info hash ({@link MetadataPeers}, {@link
 * MetadataAssembly}). Its own virtual thread runs the logic; connections, dials and callers post to it. Once the
 * dictionary is in, {@link #result()} completes with it and with the peers found, and every connection is closed:
 * the torrent's swarm then dials those peers again, with the pieces known.
 *
 * <p>What a peer can make it queue is bounded: at most {@value #MAX_PENDING_PER_PEER} of a connection's events wait
 * for the thread at once, and a connection past that is closed (an honest peer sends a handful before the
 * metadata's pieces, and those come two at a time). Thread-safe.
 */
public final class MetadataFetch implements ConnectionTarget {
    private static final System.Logger LOG = System.getLogger(MetadataFetch.class.getName());
    /** Events of one connection waiting for the search's thread, at most. */
    static final int MAX_PENDING_PER_PEER = 256;
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final InfoHash infoHash;
    private final Connector connector;
    private final NanoClock clock;
    private final MetadataPeers peers;
    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Found> result = new CompletableFuture<>();
    private volatile boolean stopped;
    private volatile int connected;
    private volatile int known;
    private Thread thread;

    /**
     * What the search found.
     *
     * @param info  the info dictionary, its SHA-1 the info hash
     * @param peers where the torrent's swarm may find peers: those connected that can be dialled first, then the
     *              addresses known
     */
    public record Found(byte[] info, List<InetSocketAddress> peers) {
        public Found {
            info = info.clone();
            peers = List.copyOf(peers);
        }

        @Override
        public byte[] info() {
            return info.clone();
        }
    }

    /**
     * @param ourId      our peer id: of two connections to one peer, one dialled each way, the one the lower id dialled
     *                   is kept
     * @param listenPort where we take connections, said to peers
     * @param connector  dials peers in the background
     */
    public MetadataFetch(InfoHash infoHash, PeerId ourId, int listenPort, Connector connector) {
        this(infoHash, ourId, listenPort, connector, NanoClock.SYSTEM);
    }

    MetadataFetch(InfoHash infoHash, PeerId ourId, int listenPort, Connector connector, NanoClock clock) {
        this.infoHash = infoHash;
        this.connector = connector;
        this.clock = clock;
        this.peers = new MetadataPeers(infoHash, ourId, listenPort, address -> connector.connect(address, this));
    }

    /** Starts its thread. */
    public synchronized void start() {
        if (thread == null && !stopped) {
            thread = Thread.ofVirtual().name("metadata-" + infoHash.hex()).start(this::run);
        }
    }

    /** Completes with what was found once the info dictionary is in; never fails, and never completes if stopped. */
    public CompletableFuture<Found> result() {
        return result;
    }

    /** An address of ours, never dialled. */
    public void addOwnAddress(InetSocketAddress address) {
        post(() -> peers.addOwnAddress(address));
    }

    /**
     * Peers to dial, from the magnet link, a tracker or elsewhere; those the connector cannot reach (of a family we
     * are not bound to) are left out.
     */
    public void peersFound(Collection<InetSocketAddress> found) {
        List<InetSocketAddress> copy = found.stream().filter(connector::canReach).toList();
        post(() -> peers.peersFound(copy, clock.nanoTime()));
    }

    /** Peers connected now. */
    public int peers() {
        return connected;
    }

    /** Addresses known and not connected now. */
    public int knownPeers() {
        return known;
    }

    /** Stops the search: every connection is closed, and its thread ends. Idempotent. */
    public void stop() {
        stopped = true;
        inbox.add(() -> { });
    }

    @Override
    public InfoHash infoHash() {
        return infoHash;
    }

    @Override
    public PeerMessageValidator validator(Handshake theirs) {
        return PeerMessageValidator.beforeMetadata(theirs);
    }

    @Override
    public void accept(PeerConnection connection) {
        if (!post(() -> start(connection))) {
            connection.close(CloseReason.of(CloseReason.Kind.STOPPING, "the metadata search is over"));
        }
    }

    @Override
    public void connectFailed(InetSocketAddress address, String reason) {
        LOG.log(System.Logger.Level.DEBUG, "metadata of {0}: dialling {1} failed: {2}", infoHash, address, reason);
        post(() -> peers.failed(address, clock.nanoTime()));
    }

    private void start(PeerConnection connection) {
        if (!peers.accept(connection, clock.nanoTime())) {
            connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "no room, or already connected"));
            return;
        }
        AtomicInteger pending = new AtomicInteger();
        connection.start(event -> {
            if (event instanceof PeerEvent.Closed) {
                post(() -> peers.event(event, clock.nanoTime())); // never dropped: it frees the peer's place
            } else if (pending.incrementAndGet() > MAX_PENDING_PER_PEER) {
                connection.close(CloseReason.of(CloseReason.Kind.PROTOCOL_VIOLATION,
                        "it sent more than " + MAX_PENDING_PER_PEER + " messages faster than they could be read"));
            } else if (!post(() -> {
                pending.decrementAndGet();
                peers.event(event, clock.nanoTime());
            })) {
                connection.close(CloseReason.of(CloseReason.Kind.STOPPING, "the metadata search is over"));
            }
        }, BlockMemory.NONE, DownloadLimit.NONE); // piece data is never asked for before the metadata
    }

    /** Queues work for the thread; false once the search is over. */
    private boolean post(Runnable work) {
        if (stopped) {
            return false;
        }
        inbox.add(work);
        return true;
    }

    private void run() {
        long nextTick = clock.nanoTime();
        try {
            while (!stopped) {
                Runnable work = inbox.poll(Math.max(0, nextTick - clock.nanoTime()), TimeUnit.NANOSECONDS);
                if (work != null) {
                    work.run();
                    Runnable more;
                    while (!stopped && (more = inbox.poll()) != null) {
                        more.run();
                    }
                }
                long now = clock.nanoTime();
                if (now - nextTick >= 0) {
                    peers.tick(now);
                    nextTick = now + TICK_NANOS;
                }
                peers.pump(now);
                connected = peers.connected();
                known = peers.known();
                if (peers.info().isPresent()) {
                    result.complete(new Found(peers.info().get(), peers.peersForSwarm()));
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped = true;
            peers.closeAll(CloseReason.of(CloseReason.Kind.STOPPING, result.isDone()
                    ? "the metadata is in" : "the metadata search was stopped"));
            // What is still queued runs against closed peers: a connection is closed, not started, and none is dialled.
            Runnable left;
            while ((left = inbox.poll()) != null) {
                left.run();
            }
        }
    }
}
