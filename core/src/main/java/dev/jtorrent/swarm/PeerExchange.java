package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.wire.ExtensionHandshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PexCodec;
import dev.jtorrent.wire.PexMessage;
import dev.jtorrent.wire.ProtocolException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Peer exchange (BEP 11, {@code ut_pex}): each peer that offers it hears from us which peers we are connected to, and
 * we take the peers it names as candidates to dial, as we take a tracker's. A private torrent never exchanges peers
 * (BEP 27: its peers come from its tracker alone), nor one whose {@link SwarmConfig#pex()} is off; neither offers
 * {@code ut_pex} in its handshake. Swarm thread only.
 *
 * <p>Sending: a peer's first message goes at the first tick at least {@value #FIRST_DELAY_SECONDS} s after its
 * extension handshake (libtorrent's goes on its next 1-second tick) and lists the peers we are connected to; each
 * later one, at least {@value #INTERVAL_SECONDS} s after the one before, those we connected to and lost since
 * (libtorrent disconnects a peer that sends more than 6 in a minute). A message adds at most
 * {@value #MAX_ADDED_PER_MESSAGE} peers and drops as many, as BEP 11 asks; the rest go in later messages. Nothing is
 * sent while there is nothing to say. A peer we dialled is listed at the address we dialled, flagged
 * {@link PexMessage#REACHABLE}; one that dialled us at its IP and the listen port of its extension handshake
 * ({@code p}), and not at all before it gives one, since the port it came from is ephemeral. A seed is flagged
 * {@link PexMessage#SEED}. We never claim encryption or uTP, and the peer we send to is never listed to itself.
 *
 * <p>Receiving: a peer may send {@value #RECEIVE_BURST} messages at once, then one every
 * {@value #RECEIVE_INTERVAL_SECONDS} s on average, three times the rate BEP 11 allows it; one that sends faster
 * breaks the protocol and is disconnected, before its message is decoded, so a flood costs little and frees its slot.
 * Of each message at most {@value #MAX_TAKEN_PER_MESSAGE} added peers are taken (libtorrent takes 50 too), one per IP
 * (BEP 11: a single source must not choose all our candidates, and one host under many ports is not many peers),
 * skipping port 0, addresses no peer can have (unspecified, multicast, broadcast, {@code 0.0.0.0/8}) and, unless the
 * sender is itself on a local network, loopback and private addresses, so that a remote peer cannot turn us on our
 * own network (libtorrent's rule). Our own listen address is left out where every found peer is
 * ({@link Admission#found}). The dropped lists are read and ignored: that the sender lost a peer says nothing of
 * whether we can reach it, and forgetting addresses on one peer's word would let it erase what trackers told us.
 */
final class PeerExchange {
    private static final System.Logger LOG = System.getLogger(PeerExchange.class.getName());
    /** The id we give {@code ut_pex} in our handshake, as libtorrent does; peers send their messages with it. */
    static final int OUR_ID = 1;
    /** From a peer's handshake to its first message, at least; see the class comment. */
    static final int FIRST_DELAY_SECONDS = 1;
    /** Between two messages to a peer, at least: BEP 11's minute. */
    static final int INTERVAL_SECONDS = 60;
    /** Peers a message adds at most, and drops at most: BEP 11's 50. */
    static final int MAX_ADDED_PER_MESSAGE = 50;
    /** Messages a peer may send us at once; see the class comment. */
    static final int RECEIVE_BURST = 3;
    /** After its burst, a peer may send us one message per this many seconds on average. */
    static final int RECEIVE_INTERVAL_SECONDS = 20;
    /** Added peers taken from one message at most; see the class comment. */
    static final int MAX_TAKEN_PER_MESSAGE = 50;
    private static final long FIRST_DELAY_NANOS = TimeUnit.SECONDS.toNanos(FIRST_DELAY_SECONDS);
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(INTERVAL_SECONDS);
    private static final long RECEIVE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(RECEIVE_INTERVAL_SECONDS);

    private final boolean enabled;
    private final Peers peers;
    /** Takes the peers a message names: remembers them and dials while there is room. */
    private final Consumer<List<InetSocketAddress>> found;
    /** Listen ports that incoming peers gave or changed: such a peer is listed from then on, at that port. */
    private long listenPortChanges;

    PeerExchange(InfoDictionary info, SwarmConfig config, Peers peers, Consumer<List<InetSocketAddress>> found) {
        this.enabled = config.pex() && !info.isPrivate();
        this.peers = peers;
        this.found = found;
    }

    /** Whether peers are exchanged: offered in our handshake and taken from peers' messages. */
    boolean enabled() {
        return enabled;
    }

    /** Our handshake, offering {@code ut_pex} when peers are exchanged. */
    ExtensionHandshake offer(ExtensionHandshake handshake) {
        return enabled ? handshake.withMessage(PexMessage.EXTENSION_NAME, OUR_ID) : handshake;
    }

    /**
     * The peer's extension handshake: the id it wants our messages sent with, 0 for none (BEP 10); its first message
     * is due soon after the first handshake that offers one.
     *
     * @param listenPortChanged whether the handshake gave the peer's listen port, or another than before ({@link
     *                          PeerMessages} has taken it): one that dialled us is then listed at it
     */
    void handshake(Peer peer, ExtensionHandshake handshake, boolean listenPortChanged, long now) {
        if (!enabled) {
            return;
        }
        if (listenPortChanged && !peer.connection.outgoing()) {
            listenPortChanges++;
        }
        Integer id = handshake.messages().get(PexMessage.EXTENSION_NAME);
        if (id == null) {
            return;
        }
        if (peer.pex.id == 0 && id != 0) {
            peer.pex.nextSend = now + FIRST_DELAY_NANOS;
        }
        peer.pex.id = id;
    }

    /** Once a second: sends each peer that is due a message what changed since its last one. */
    void tick(long now) {
        if (!enabled) {
            return;
        }
        Map<InetSocketAddress, Integer> connected = null;
        long changes = changes();
        for (Peer peer : peers.all()) {
            PexState state = peer.pex;
            if (state.id == 0 || now < state.nextSend || state.caughtUpAt == changes) {
                continue;
            }
            if (connected == null) {
                connected = connected();
            }
            PexMessage message = state.next(connected, listedAddress(peer), MAX_ADDED_PER_MESSAGE);
            if (message == null) {
                state.caughtUpAt = changes;
                continue;
            }
            LOG.log(System.Logger.Level.DEBUG, "{0}: sending ut_pex: {1} added, {2} dropped", peer.connection,
                    message.added().size(), message.dropped().size());
            peer.connection.send(new Message.Extended(state.id, message.encode()));
            state.nextSend = now + INTERVAL_NANOS;
        }
    }

    /**
     * A {@code ut_pex} message from the peer: within its allowance, the peers it names are taken; past it, the peer
     * is disconnected.
     *
     * @throws ProtocolException if the message is malformed
     */
    void received(Peer peer, Message.Extended message, long now) throws ProtocolException {
        if (!peer.pex.allow(now, RECEIVE_INTERVAL_NANOS, RECEIVE_BURST)) {
            peer.connection.close(CloseReason.of(CloseReason.Kind.PROTOCOL_VIOLATION, "ut_pex messages more often"
                    + " than " + RECEIVE_BURST + " at once and then one every " + RECEIVE_INTERVAL_SECONDS + " s"));
            return;
        }
        PexMessage pex = PexCodec.decode(message.payload());
        InetAddress sender = peer.connection.address().getAddress();
        boolean senderLocal = isLocal(sender);
        List<InetSocketAddress> taken = new ArrayList<>();
        Set<InetAddress> ips = new HashSet<>();
        for (PexMessage.Added added : pex.added()) {
            if (taken.size() >= MAX_TAKEN_PER_MESSAGE) {
                break;
            }
            InetSocketAddress address = added.address();
            if (worthDialling(address, senderLocal) && ips.add(address.getAddress())) {
                taken.add(address);
            }
        }
        LOG.log(System.Logger.Level.DEBUG, "{0}: received ut_pex: {1} added, {2} taken", peer.connection,
                pex.added().size(), taken.size());
        if (!taken.isEmpty()) {
            found.accept(taken);
        }
    }

    /**
     * Counts changes to what we would list: peers joining and leaving, and incoming peers whose listen port became
     * known or changed. A peer that was told everything at one count needs nothing more until it moves.
     */
    long changes() {
        return peers.changes() + listenPortChanges;
    }

    /** The peers we would list now, by the address we list them at, with their flags; in the order they came. */
    private Map<InetSocketAddress, Integer> connected() {
        Map<InetSocketAddress, Integer> connected = new LinkedHashMap<>();
        for (Peer peer : peers.all()) {
            InetSocketAddress address = listedAddress(peer);
            if (address != null) {
                int flags = (peer.connection.outgoing() ? PexMessage.REACHABLE : 0)
                        | (peer.pieces.isComplete() ? PexMessage.SEED : 0);
                connected.putIfAbsent(address, flags);
            }
        }
        return connected;
    }

    /**
     * Where other peers may reach {@code peer}: the address we dialled, or for one that dialled us its IP and the
     * listen port it gave; null while it gave none.
     */
    private static InetSocketAddress listedAddress(Peer peer) {
        InetSocketAddress address = peer.connection.address();
        if (peer.connection.outgoing()) {
            return address;
        }
        return peer.listenPort == 0 ? null : new InetSocketAddress(address.getAddress(), peer.listenPort);
    }

    /** Whether an address a peer named is worth remembering; see the class comment. */
    static boolean worthDialling(InetSocketAddress address, boolean senderLocal) {
        InetAddress ip = address.getAddress();
        if (address.getPort() == 0 || ip.isAnyLocalAddress() || ip.isMulticastAddress()) {
            return false;
        }
        if (ip instanceof Inet4Address) {
            byte[] b = ip.getAddress();
            if (b[0] == 0 || (b[0] & b[1] & b[2] & b[3]) == (byte) 0xFF) {
                return false;
            }
        }
        return senderLocal || !isLocal(ip);
    }

    /** Loopback, link-local, or a private network's: IPv4's 10/8, 172.16/12 and 192.168/16, IPv6's fc00::/7. */
    static boolean isLocal(InetAddress ip) {
        return ip.isLoopbackAddress() || ip.isLinkLocalAddress() || ip.isSiteLocalAddress()
                || ip instanceof Inet6Address && (ip.getAddress()[0] & 0xFE) == 0xFC;
    }
}
