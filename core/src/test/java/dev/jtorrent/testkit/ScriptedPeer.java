package dev.jtorrent.testkit;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.peer.BlockMemory;
import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A peer the test scripts instead of jtorrent's logic: it answers each event of each of its connections as its
 * {@link Script} says, well-behaved or not, and downloads nothing (piece data sent to it is dropped). Its
 * connections are the same {@link SimConnection}s as a {@link SimPeer}'s.
 */
public final class ScriptedPeer implements SimHost {
    /** What a scripted peer does; what it sends on a connection is flushed after each call. */
    public interface Script {
        /** A connection, either way, has completed both handshakes. */
        default void connected(ScriptedPeer peer, SimConnection connection) {
        }

        /**
         * Something arrived on a connection, or it ended ({@link PeerEvent.Closed}). Never a
         * {@link PeerEvent.Burst}: the peer hands a burst's events over one by one, in order.
         */
        void received(ScriptedPeer peer, SimConnection connection, PeerEvent event);

        /** Whether its handshake offers BEP 10's extension protocol, so that extended messages may pass both ways. */
        default boolean extensionProtocol() {
            return false;
        }
    }

    private final SimNetwork network;
    private final SimTorrent torrent;
    private final InetSocketAddress address;
    private final LinkProfile link;
    private final PeerId id;
    private final Script script;
    private final List<SimConnection> connections = new ArrayList<>();

    ScriptedPeer(SimNetwork network, SimTorrent torrent, InetSocketAddress address, LinkProfile link, Script script) {
        this.network = network;
        this.torrent = torrent;
        this.address = address;
        this.link = link;
        this.id = PeerId.random("-XX0000-", network.sim().split());
        this.script = script;
    }

    /**
     * A seed that has every piece, unchokes whoever connects and answers every request, with the data of the pieces
     * that {@code corrupt} names altered in one byte of each block: a liar, or (corrupting none) an honest seed.
     */
    public static Script seeding(SimTorrent torrent, IntPredicate corrupt) {
        return new Script() {
            @Override
            public void connected(ScriptedPeer peer, SimConnection connection) {
                connection.send(new Message.HaveAll());
                connection.send(new Message.Unchoke());
            }

            @Override
            public void received(ScriptedPeer peer, SimConnection connection, PeerEvent event) {
                if (event instanceof PeerEvent.Received(var c, Message.Request r)) {
                    ByteBuffer data = ByteBuffer.allocate(r.length()).put(torrent.block(r.piece(), r.begin(), r.length()));
                    if (corrupt.test(r.piece())) {
                        data.put(0, (byte) (data.get(0) ^ 0x5a));
                    }
                    connection.send(new Message.Piece(r.piece(), r.begin(), data.flip()));
                }
            }
        };
    }

    /** The simulation it runs in: for scripts that act at set times. */
    public Simulation sim() {
        return network.sim();
    }

    void listen() {
        network.listen(this);
    }

    /** Opens a connection to {@code to}. */
    public void connect(InetSocketAddress to) {
        network.connect(this, to, this::start, reason -> { });
    }

    /** Its connections so far, open or closed. */
    public List<SimConnection> connections() {
        return List.copyOf(connections);
    }

    private void start(SimConnection connection) {
        connections.add(connection);
        connection.start(event -> {
            deliver(connection, event);
            connection.flush(); // once per burst, as a swarm flushes once per turn
        }, BlockMemory.NONE);
        script.connected(this, connection);
        connection.flush();
    }

    /** Hands the script an event, or each event of a burst in turn: no script cares how input was batched. */
    private void deliver(SimConnection connection, PeerEvent event) {
        if (event instanceof PeerEvent.Burst burst) {
            burst.events().forEach(each -> deliver(connection, each));
        } else {
            script.received(this, connection, event);
        }
    }

    @Override
    public void incoming(SimConnection connection) {
        start(connection);
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public Handshake handshake() {
        return Handshake.of(torrent.infoHash(), id).withFast(true).withExtensionProtocol(script.extensionProtocol());
    }

    @Override
    public InfoDictionary info() {
        return torrent.info();
    }

    @Override
    public LinkProfile link() {
        return link;
    }

    @Override
    public String toString() {
        return "ScriptedPeer[" + address + "]";
    }
}
