package dev.jtorrent.swarm;

import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.ConnectionTarget;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.wire.PeerId;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Which connections a swarm keeps, and which peers it dials: the peer limit and the half-open limit, bans, duplicates
 * and ourselves; at the limit a new peer takes the place of one idle too long; an address that ends badly is backed
 * off ({@link KnownPeers}). Swarm thread only, but for {@link #addOwnAddress}.
 */
final class Admission {
    private static final System.Logger LOG = System.getLogger(Admission.class.getName());
    private final KnownPeers known;
    private final Peers peers;
    private final SwarmConfig config;
    private final PeerId ourId;
    private final Connector connector;
    private final ConnectionTarget swarm;
    /** Closes a peer's connection with the reason and forgets it at once, to make room. */
    private final BiConsumer<Peer, CloseReason> evict;
    /** This torrent's hold on the session's connection budgets. */
    private final ConnectionSlots slots;
    /** Addresses that are ours; guarded by itself, as the session adds to it from its own thread. */
    private final List<InetSocketAddress> ownAddresses = new ArrayList<>();

    Admission(KnownPeers known, Peers peers, SwarmConfig config, PeerId ourId, Connector connector, ConnectionTarget swarm,
              BiConsumer<Peer, CloseReason> evict, ConnectionSlots slots) {
        this.slots = slots;
        this.known = known;
        this.peers = peers;
        this.config = config;
        this.ourId = ourId;
        this.connector = connector;
        this.swarm = swarm;
        this.evict = evict;
    }

    /**
     * Whether a connection that completed its handshakes may join (making room for it if a peer has been idle long
     * enough); if not, it is closed with the reason. Nothing joins a swarm that has failed.
     */
    boolean admit(PeerConnection connection, boolean failed, long now) {
        if (!slots.admit(connection.outgoing(), now)) {
            refuse(connection, CloseReason.of(CloseReason.Kind.NOT_WANTED, "the session's connection limit is reached"),
                    now);
            return false;
        }
        if (connection.remote().peerId().equals(ourId)) {
            known.ownAddress(connection.address());
            connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "connected to ourselves"));
            slots.closed();
            return false;
        }
        Peer same = peers.withPeerId(connection.remote().peerId());
        if (same != null && same.connection.outgoing() != connection.outgoing()
                && SimultaneousOpen.keeps(ourId, connection)) {
            evict.accept(same, CloseReason.of(CloseReason.Kind.NOT_WANTED,
                    "connected twice at once; keeping the connection the lower peer id dialled"));
            same = null;
        } else if (same != null && same.connection.isClosed()) {
            // Its old connection is over, its end not yet handled: a magnet link's search on the other side closes
            // its connections as the metadata comes, and its swarm dials at once. Refused, the new connection would
            // leave the peer to wait out its back-off before it tried again.
            evict.accept(same, CloseReason.of(CloseReason.Kind.NETWORK_ERROR,
                    "its connection had ended; a new one from the peer takes its place"));
            same = null;
        }
        boolean duplicate = same != null;
        // An incoming peer's address has an ephemeral port: worth checking against bans, not worth remembering.
        boolean allowed = connection.outgoing() ? known.mayConnect(connection.address())
                : !known.isBanned(connection.address());
        if (!duplicate && allowed && !failed && peers.size() >= config.maxPeers()) {
            evictAnIdlePeer(now);
        }
        if (duplicate || peers.size() >= config.maxPeers() || failed || !allowed) {
            refuse(connection, duplicate ? CloseReason.of(CloseReason.Kind.NOT_WANTED, "already connected to this peer")
                    : !allowed ? CloseReason.of(CloseReason.Kind.BANNED, "the peer's address is banned")
                    : CloseReason.of(CloseReason.Kind.NOT_WANTED, "no room for another peer"), now);
            slots.closed();
            return false;
        }
        if (connection.outgoing()) {
            known.connected(connection.address());
        }
        return true;
    }

    /**
     * Closes a connection that does not join. One we dialled gives its address back, as a connection that ended
     * normally does: marked connected (or left connecting), with no connection to report its end, the address would
     * never be dialled again. That is what a dial that crossed the peer's own dial to us did: its connection was
     * refused as a duplicate, and once we dropped the peer's (two seeds), we could not redial it when we wanted more.
     */
    private void refuse(PeerConnection connection, CloseReason reason, long now) {
        connection.close(reason);
        if (connection.outgoing()) {
            known.disconnected(connection.address(), now);
        }
    }

    /**
     * At the connection limit, a new peer takes the place of the one idle longest: interest on neither side for
     * {@link SwarmConfig#idleToEvict()}. Without this, peers that connect and then do nothing (fifty of them, or
     * a flood) would hold every slot for good; libtorrent likewise drops its least useful peer to make room.
     */
    private void evictAnIdlePeer(long now) {
        Peer idlest = null;
        for (Peer peer : peers.all()) {
            if (peer.idleFor(config.idleToEvict().toNanos(), now)
                    && (idlest == null || peer.idleSinceNanos < idlest.idleSinceNanos)) {
                idlest = peer;
            }
        }
        if (idlest != null) {
            evict.accept(idlest, CloseReason.of(CloseReason.Kind.NOT_WANTED, "idle, making room for a new peer"));
        }
    }

    /** A connection ended; only addresses we connected to are worth trying again (an incoming peer's is ephemeral). */
    void left(PeerConnection connection, CloseReason reason, long now) {
        slots.closed();
        if (connection.outgoing()) {
            if (reason.kind() == CloseReason.Kind.PROTOCOL_VIOLATION) {
                known.failed(connection.address(), now);
            } else {
                known.disconnected(connection.address(), now);
            }
        }
    }

    /**
     * Peers named by a tracker or another source: remembered, less our own addresses and those the connector cannot
     * reach (of a family we are not bound to).
     */
    void found(List<InetSocketAddress> addresses) {
        List<InetSocketAddress> reachable = addresses.stream().filter(connector::canReach).toList();
        if (reachable.size() < addresses.size()) {
            LOG.log(System.Logger.Level.DEBUG, "skipped {0} peers of an address family we are not bound to",
                    addresses.size() - reachable.size());
        }
        known.add(reachable.stream().filter(a -> !isOwn(a)).toList());
    }

    void connectFailed(InetSocketAddress address, long now) {
        known.failed(address, now);
        slots.attemptFailed();
    }

    /** The session gave back a slot while this torrent waited: it may ask again at once. */
    void budgetRoom() {
        slots.mayRetry();
    }

    /**
     * The peer to drop so that another torrent of the session gets its fair part of the connections, or null: while
     * the session is full and another torrent waits, a torrent over its fair part drops its least useful peer (no
     * interest either way first, then the slowest).
     */
    Peer peerToShed(long now) {
        if (peers.isEmpty() || !slots.overFairPart(now)) {
            return null;
        }
        Peer least = null;
        for (Peer peer : peers.all()) {
            if (least == null || usefulness(peer) < usefulness(least)) {
                least = peer;
            }
        }
        return least;
    }

    /** What a peer gives and takes, for choosing one to drop: bytes a second both ways, interest counting most. */
    private static double usefulness(Peer peer) {
        int interest = (peer.amInterested ? 1 : 0) + (peer.peerInterested ? 1 : 0);
        return interest * 1e15 + peer.download.rate() + peer.upload.rate();
    }

    /** Gives every slot back to the session: the swarm stopped. */
    void leaveBudget() {
        slots.leave();
    }

    /**
     * Connects to known peers while there is room. Seeds connect too, as libtorrent's do: some clients (Transmission)
     * never dial peers a tracker lists on loopback or the LAN, and a seed that waits would never reach them.
     */
    void connectMore(long now) {
        int room = connectRoom();
        if (room <= 0 || known.nextAttempt() > now || slots.askAgainAt() > now) {
            return;
        }
        // The session's slots first: an address taken and then refused would wait out a back-off for nothing.
        int taken = 0;
        while (taken < room && slots.takeAttempt(now)) {
            taken++;
        }
        List<InetSocketAddress> addresses = known.takeForConnecting(taken, now);
        for (int unused = taken - addresses.size(); unused > 0; unused--) {
            slots.attemptFailed();
        }
        for (InetSocketAddress address : addresses) {
            connector.connect(address, swarm);
        }
    }

    /**
     * Peers whose connection ended normally may be dialled again at once: we dropped seeds when we wanted nothing
     * more from them, and want more now.
     */
    void retryDisconnected(long now) {
        known.retryDisconnected(now);
    }

    /** When a known peer may be tried (again), if a connection can be attempted at all; else never. */
    long nextAttempt() {
        // Refused by the session: a slot given back wakes the swarm, and at worst it asks again a second on.
        return connectRoom() > 0 ? Math.max(known.nextAttempt(), slots.askAgainAt()) : Long.MAX_VALUE;
    }

    /** How many more connections may be attempted now: within both the peer limit and the half-open limit. */
    private int connectRoom() {
        return Math.min(config.maxPeers() - peers.size(), config.maxHalfOpen() - known.connecting());
    }

    /** Addresses that are ours (our listen address), never to be connected to. */
    void addOwnAddress(InetSocketAddress address) {
        synchronized (ownAddresses) {
            ownAddresses.add(address);
        }
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

    /** Outgoing connections being made. */
    int connecting() {
        return known.connecting();
    }

    int knownCount() {
        return known.size();
    }
}
