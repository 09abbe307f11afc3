package dev.jtorrent.testkit;

import dev.jtorrent.swarm.PieceRecorder;
import dev.jtorrent.swarm.PieceSet;
import dev.jtorrent.swarm.SwarmConfig;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole swarms in memory: jtorrent peers ({@link SimPeer}) and scripted ones ({@link ScriptedPeer}) on one
 * {@link SimNetwork}, run by one {@link Simulation}. Each host gets an address of its own (10.0.0.1, 10.0.0.2, ...:
 * bans are by IP). Nothing here opens a socket or starts a thread.
 */
public final class SimSwarm {
    /** How long a simulated disk takes for a job: an SSD's hash-and-write of a piece, roughly. */
    public static final Duration DISK_LATENCY = Duration.ofMillis(2);
    private static final int PORT = 6881;

    private final Simulation sim;
    private final SimNetwork network;
    private final List<SimPeer> peers = new ArrayList<>();
    private final List<InetSocketAddress> addresses = new ArrayList<>();

    public SimSwarm(long seed) {
        this.sim = new Simulation(seed);
        this.network = new SimNetwork(sim);
    }

    public Simulation sim() {
        return sim;
    }

    /** A jtorrent peer with every piece. */
    public SimPeer seed(SimTorrent torrent, LinkProfile link) {
        return peer(torrent, PieceSet.all(torrent.info().pieceCount()), link, SwarmConfig.DEFAULT,
                PieceRecorder.NONE);
    }

    /** A jtorrent peer with no piece yet. */
    public SimPeer leecher(SimTorrent torrent, LinkProfile link) {
        return peer(torrent, new PieceSet(torrent.info().pieceCount()), link, SwarmConfig.DEFAULT,
                PieceRecorder.NONE);
    }

    /** A jtorrent peer that starts with {@code have}, with these settings, recording its pieces to {@code recorder}. */
    public SimPeer peer(SimTorrent torrent, PieceSet have, LinkProfile link, SwarmConfig config,
                        PieceRecorder recorder) {
        SimPeer peer = new SimPeer(network, torrent, nextAddress(), link, config, have, DISK_LATENCY, recorder);
        peers.add(peer);
        peer.start();
        return peer;
    }

    /** A peer the test scripts; it listens, and dials whoever the test says. */
    public ScriptedPeer scripted(SimTorrent torrent, LinkProfile link, ScriptedPeer.Script script) {
        ScriptedPeer peer = new ScriptedPeer(network, torrent, nextAddress(), link, script);
        peer.listen();
        return peer;
    }

    /** A peer the test scripts, at an address the test chooses (an IPv6 one, say); it listens. */
    public ScriptedPeer scriptedAt(InetSocketAddress address, SimTorrent torrent, LinkProfile link,
                                   ScriptedPeer.Script script) {
        addresses.add(address);
        ScriptedPeer peer = new ScriptedPeer(network, torrent, address, link, script);
        peer.listen();
        return peer;
    }

    /** Tells every jtorrent peer the address of every host, as a tracker would. */
    public void introduceAll() {
        for (SimPeer peer : peers) {
            peer.peersFound(addresses.stream().filter(a -> !a.equals(peer.address())).toList());
        }
    }

    public List<SimPeer> peers() {
        return List.copyOf(peers);
    }

    /** Runs until every jtorrent peer is complete, for {@code limit} of simulated time at most; returns whether. */
    public boolean runUntilAllComplete(Duration limit) {
        return sim.runUntil(() -> peers.stream().allMatch(SimPeer::isComplete), limit);
    }

    private InetSocketAddress nextAddress() {
        int host = addresses.size() + 1;
        try {
            InetAddress ip = InetAddress.getByAddress(new byte[] {10, 0, (byte) (host >> 8), (byte) host});
            InetSocketAddress address = new InetSocketAddress(ip, PORT);
            addresses.add(address);
            return address;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
