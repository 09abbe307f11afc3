package dev.jtorrent.testkit;

import dev.jtorrent.budget.SessionBudgets;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.peer.ConnectionTarget;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.storage.MemoryStorage;
import dev.jtorrent.swarm.DownloadOptions;
import dev.jtorrent.swarm.PieceRecorder;
import dev.jtorrent.swarm.PieceSet;
import dev.jtorrent.swarm.SwarmConfig;
import dev.jtorrent.swarm.SwarmEdges;
import dev.jtorrent.swarm.SwarmEvent;
import dev.jtorrent.swarm.SwarmInbox;
import dev.jtorrent.swarm.SwarmLogic;
import dev.jtorrent.swarm.SwarmStats;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.PeerMessageValidator;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * A jtorrent peer in a {@link Simulation}: jtorrent's own {@link SwarmLogic}, with the simulated clock, a disk in
 * memory whose jobs take {@code diskLatency}, and connections on the {@link SimNetwork}. Its events are tasks of
 * the simulation, and its loop is too: after the events of one instant it runs a turn ({@link SwarmLogic#turn}),
 * and it wakes again when the turn says, as a swarm's thread would.
 */
public final class SimPeer implements SimHost, ConnectionTarget, SwarmInbox {
    private final Simulation sim;
    private final SimNetwork network;
    private final SimTorrent torrent;
    private final InetSocketAddress address;
    private final LinkProfile link;
    private final PeerId id;
    private final MemoryStorage storage;
    private final SwarmLogic logic;
    private boolean turnScheduled;
    /** Counts the wake-ups scheduled; only the last one counts, as a new turn replaces the wait of the one before. */
    private long wakeups;
    private boolean stopped;

    /**
     * @param have     the pieces it starts with, written to its disk
     * @param recorder where it records the pieces that are its own
     */
    SimPeer(SimNetwork network, SimTorrent torrent, InetSocketAddress address, LinkProfile link, SwarmConfig config,
            PieceSet have, Duration diskLatency, PieceRecorder recorder) {
        this.sim = network.sim();
        this.network = network;
        this.torrent = torrent;
        this.address = address;
        this.link = link;
        this.id = PeerId.random("-JT0010-", sim.split());
        this.storage = torrent.storageWith(have);
        SwarmEdges edges = new SwarmEdges(sim.clock(), this, sim.executor(diskLatency),
                (to, target) -> network.connect(this, to, target::accept,
                        reason -> target.connectFailed(to, reason)), this);
        this.logic = new SwarmLogic(torrent.info(), id, config.withListenPort(address.getPort()), storage, have,
                new PieceSet(torrent.info().pieceCount()), recorder, () -> { }, sim.split(), DownloadOptions.ALL,
                SessionBudgets.unlimited(), edges);
        logic.addOwnAddress(address); // as a session does: a peer that names us back is not dialled
    }

    /** Starts listening and runs the swarm's first turn. */
    void start() {
        network.listen(this);
        sim.schedule(0, this::turn);
    }

    /** Peers to connect to, as a tracker would name them. */
    public void peersFound(List<InetSocketAddress> peers) {
        post(new SwarmEvent.PeersFound(List.copyOf(peers)));
    }

    /** Stops the swarm now: it closes its connections and records its pieces, as a session's stop does. */
    public void stop() {
        if (!stopped) {
            network.stopListening(this);
            logic.shutdown();
            stopped = true;
        }
    }

    public SwarmStats stats() {
        return logic.stats();
    }

    public boolean isComplete() {
        return logic.completion().isDone() && !logic.completion().isCompletedExceptionally();
    }

    /** Its data: what it has written and forced, read back. */
    public byte[] content() {
        return torrent.read(storage);
    }

    public SwarmLogic logic() {
        return logic;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public Handshake handshake() {
        return Handshake.of(torrent.infoHash(), id).withExtensionProtocol(true).withFast(true);
    }

    @Override
    public InfoDictionary info() {
        return torrent.info();
    }

    @Override
    public PeerMessageValidator validator(Handshake theirs) {
        return PeerMessageValidator.of(torrent.info(), theirs);
    }

    @Override
    public InfoHash infoHash() {
        return torrent.infoHash();
    }

    @Override
    public LinkProfile link() {
        return link;
    }

    @Override
    public void incoming(SimConnection connection) {
        accept(connection);
    }

    @Override
    public void accept(PeerConnection connection) {
        post(new SwarmEvent.Connected(connection));
    }

    @Override
    public void connectFailed(InetSocketAddress to, String reason) {
        post(new SwarmEvent.ConnectFailed(to, reason));
    }

    @Override
    public void post(SwarmEvent event) {
        sim.schedule(0, () -> deliver(event));
    }

    @Override
    public void putFromReader(PeerEvent event) {
        post(new SwarmEvent.FromPeer(event));
    }

    private void deliver(SwarmEvent event) {
        if (stopped) {
            return;
        }
        logic.handle(event);
        if (!turnScheduled) {
            // After every event of this instant, as a swarm's loop drains its queue before its turn.
            turnScheduled = true;
            sim.schedule(0, this::turn);
        }
    }

    private void turn() {
        turnScheduled = false;
        if (stopped) {
            return;
        }
        logic.eventsHandled();
        long wait = logic.turn(sim.now());
        long wakeup = ++wakeups;
        if (wait != Long.MAX_VALUE) {
            sim.schedule(Math.max(1, wait), () -> {
                if (wakeup == wakeups) {
                    turn();
                }
            });
        }
    }

    @Override
    public String toString() {
        return "SimPeer[" + address + "]";
    }
}
