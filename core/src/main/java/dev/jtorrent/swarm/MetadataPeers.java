package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.wire.ExtensionHandshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.MetadataCodec;
import dev.jtorrent.wire.MetadataMessage;
import dev.jtorrent.wire.PexCodec;
import dev.jtorrent.wire.PexMessage;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.ProtocolException;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The peers of a torrent that has no metadata yet, and what is said to them: the logic of {@link MetadataFetch},
 * without its thread. It dials the addresses it is given, a bounded number at once, says in each connection's
 * extension handshake (BEP 10) that we speak {@code ut_metadata}, tells {@link MetadataAssembly} which peers offer
 * the info dictionary and at what size, sends the requests it answers, and hands it what comes back. Peers that offer
 * no metadata are closed once their handshake shows it (or after {@link #OFFER_WAIT_NANOS} without one), to make
 * room for others: they are dialled again by the swarm once the metadata is in. It takes peers from their {@code
 * ut_pex} messages (BEP 11), as the swarm does (the same address rules, {@value PeerExchange#MAX_TAKEN_PER_MESSAGE}
 * at most per message, one message per {@value #PEX_INTERVAL_SECONDS} s of each peer, the rest ignored), but sends
 * none: it has no peers worth telling of, and no metadata to know whether the torrent is private.
 *
 * <p>Bounds: {@link #MAX_CONNECTIONS} connections at once, made and being made, incoming ones included (one past it
 * is refused); {@link #MAX_CANDIDATES} addresses waiting to be dialled (the oldest forgotten first) and
 * {@link #MAX_TRIED} remembered as tried, each tried again after {@link #RETRY_NANOS} while the search goes on. What
 * each connection holds is bounded by {@link MetadataAssembly}. Messages that are not about metadata (bitfields,
 * haves) are read and ignored. One thread only.
 */
final class MetadataPeers {
    private static final System.Logger LOG = System.getLogger(MetadataPeers.class.getName());
    /** Connections at once, incoming and outgoing, those being made included. */
    static final int MAX_CONNECTIONS = 24;
    /** Addresses waiting to be dialled. */
    static final int MAX_CANDIDATES = 1000;
    /** Addresses remembered as dialled, so that one is not dialled again before {@link #RETRY_NANOS}. */
    static final int MAX_TRIED = 2000;
    /** How long an address that was dialled is left before it is dialled again. */
    static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long a connected peer has to offer {@code ut_metadata} in its extension handshake. */
    static final long OFFER_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** A peer's {@code ut_pex} messages taken at most once in this many seconds; the others are ignored. */
    static final int PEX_INTERVAL_SECONDS = 20;
    private static final long PEX_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(PEX_INTERVAL_SECONDS);

    /** What a connection is to the search. */
    private static final class Link {
        final PeerConnection connection;
        final long since;
        /** The id the peer gave {@code ut_metadata}; 0 until its extension handshake gives one. */
        int metadataId;
        /** Where it can be dialled: its address if we dialled it, else its listen port's, once it says it. */
        InetSocketAddress dialable;
        boolean sent;
        /** When its last {@code ut_pex} message was taken; none yet if {@link Long#MIN_VALUE}. */
        long pexTaken = Long.MIN_VALUE;

        Link(PeerConnection connection, long since) {
            this.connection = connection;
            this.since = since;
            this.dialable = connection.outgoing() ? connection.address() : null;
        }
    }

    private final MetadataAssembly assembly;
    /** Ours: which of two connections to one peer to keep ({@link SimultaneousOpen}). */
    private final PeerId ourId;
    private final int listenPort;
    /** Starts a connection to an address in the background; its end comes to {@link #accept} or {@link #failed}. */
    private final Consumer<InetSocketAddress> dialer;
    private final Map<InetSocketAddress, Link> links = new LinkedHashMap<>();
    private final Set<InetSocketAddress> dialling = new HashSet<>();
    private final LinkedHashSet<InetSocketAddress> candidates = new LinkedHashSet<>();
    /** Dialled addresses, and when, oldest first. */
    private final LinkedHashMap<InetSocketAddress, Long> tried = new LinkedHashMap<>();
    private final Set<InetSocketAddress> own = new HashSet<>();
    private byte[] info;
    /** Set by {@link #closeAll}: nothing more is dialled or taken. */
    private boolean closed;

    /**
     * @param listenPort where we take connections, said in our extension handshake
     * @param dialer     starts a connection to an address; its outcome comes back through {@link #accept} or
     *                   {@link #failed}
     */
    MetadataPeers(InfoHash infoHash, PeerId ourId, int listenPort, Consumer<InetSocketAddress> dialer) {
        this.assembly = new MetadataAssembly(infoHash);
        this.ourId = ourId;
        this.listenPort = listenPort;
        this.dialer = dialer;
    }

    /** An address of ours, never dialled. */
    void addOwnAddress(InetSocketAddress address) {
        own.add(address);
        candidates.remove(address);
    }

    /** Addresses to dial, from any source; those already connected, dialled lately or ours are left out. */
    void peersFound(Collection<InetSocketAddress> peers, long now) {
        for (InetSocketAddress peer : peers) {
            if (candidates.size() >= MAX_CANDIDATES) {
                Iterator<InetSocketAddress> oldest = candidates.iterator();
                oldest.next();
                oldest.remove();
            }
            if (!own.contains(peer) && peer.getPort() != 0 && !links.containsKey(peer) && !dialling.contains(peer)
                    && !recentlyTried(peer, now)) {
                candidates.add(peer);
            }
        }
        dial(now);
    }

    private boolean recentlyTried(InetSocketAddress peer, long now) {
        Long when = tried.get(peer);
        return when != null && now - when < RETRY_NANOS;
    }

    /**
     * A connection, either way, finished its handshakes and was started. Returns false if it is not wanted (no
     * room, a peer already connected, or the metadata is in): the caller closes it.
     */
    boolean accept(PeerConnection connection, long now) {
        dialling.remove(connection.address());
        Link same = links.get(connection.address());
        if (same != null && same.connection.outgoing() != connection.outgoing()
                && SimultaneousOpen.keeps(ourId, connection)) {
            // Both dialled at once (over uTP both come from the listen port): keep the one the peer keeps too.
            links.remove(connection.address());
            same.connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED,
                    "connected twice at once; keeping the connection the lower peer id dialled"));
        }
        if (closed || info != null || links.containsKey(connection.address()) || links.size() >= MAX_CONNECTIONS) {
            return false;
        }
        links.put(connection.address(), new Link(connection, now));
        LOG.log(System.Logger.Level.DEBUG, "{0}: connected for metadata ({1})", connection,
                connection.outgoing() ? "outgoing" : "incoming");
        connection.send(ExtensionHandshake.of(Map.of(MetadataMessage.EXTENSION_NAME, MetadataServer.OUR_ID,
                        PexMessage.EXTENSION_NAME, PeerExchange.OUR_ID))
                .withClient("jtorrent").withListenPort(listenPort > 0 ? listenPort : 1).toMessage());
        if (connection.remote().supportsFast()) {
            connection.send(new Message.HaveNone()); // BEP 6: we have nothing, and say so first
        }
        connection.flush();
        return true;
    }

    /** A dial failed. */
    void failed(InetSocketAddress address, long now) {
        dialling.remove(address);
        dial(now);
    }

    /** Something happened on a connection. */
    void event(PeerEvent event, long now) {
        Link link = links.get(event.connection().address());
        if (link == null || link.connection != event.connection()) {
            return; // a connection refused, or replaced
        }
        switch (event) {
            case PeerEvent.Burst burst -> burst.events().forEach(e -> event(e, now));
            case PeerEvent.Received received -> {
                if (received.message() instanceof Message.Extended extended) {
                    try {
                        extended(link, extended, now);
                    } catch (ProtocolException e) {
                        link.connection.close(CloseReason.of(CloseReason.Kind.PROTOCOL_VIOLATION, e.getMessage()));
                    }
                }
            }
            case PeerEvent.Closed closed -> {
                LOG.log(System.Logger.Level.DEBUG, "{0}: closed: {1}", link.connection, closed.reason());
                links.remove(link.connection.address());
                assembly.leave(link.connection.address());
                dial(now);
            }
            case PeerEvent.BlockArrived block -> { } // asked for nothing; the connection dropped it
        }
    }

    private void extended(Link link, Message.Extended message, long now) throws ProtocolException {
        InetSocketAddress peer = link.connection.address();
        if (message.extendedId() == ExtensionHandshake.ID) {
            ExtensionHandshake handshake = ExtensionHandshake.from(message);
            if (link.dialable == null && handshake.listenPort().isPresent()) {
                link.dialable = new InetSocketAddress(peer.getAddress(), handshake.listenPort().getAsInt());
            }
            Integer id = handshake.messages().get(MetadataMessage.EXTENSION_NAME);
            if (id == null || id == 0 || handshake.metadataSize().isEmpty()) {
                link.connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "it offers no metadata"));
                return;
            }
            link.metadataId = id;
            LOG.log(System.Logger.Level.DEBUG, "{0}: offers metadata of {1} bytes", link.connection,
                    Integer.toString(handshake.metadataSize().getAsInt()));
            act(assembly.join(peer, handshake.metadataSize().getAsInt()), link);
        } else if (message.extendedId() == PeerExchange.OUR_ID) {
            pex(link, PexCodec.decode(message.payload()), now);
        } else if (message.extendedId() == MetadataServer.OUR_ID) {
            switch (MetadataCodec.decode(message.payload())) {
                case MetadataMessage.Data data -> act(assembly.data(peer, data), link);
                case MetadataMessage.Reject reject -> act(assembly.reject(peer, reject, now), link);
                case MetadataMessage.Request request -> {
                    if (link.metadataId != 0) { // we have nothing to give yet
                        send(link, new Message.Extended(link.metadataId,
                                new MetadataMessage.Reject(request.piece()).encode()));
                    }
                }
            }
        }
    }

    /** A peer's {@code ut_pex} message: the peers it names are worth dialling, if it is the peer's first lately. */
    private void pex(Link link, PexMessage pex, long now) {
        if (link.pexTaken != Long.MIN_VALUE && now - link.pexTaken < PEX_INTERVAL_NANOS) {
            return;
        }
        link.pexTaken = now;
        boolean senderLocal = PeerExchange.isLocal(link.connection.address().getAddress());
        List<InetSocketAddress> taken = new ArrayList<>();
        for (PexMessage.Added added : pex.added()) {
            if (taken.size() < PeerExchange.MAX_TAKEN_PER_MESSAGE
                    && PeerExchange.worthDialling(added.address(), senderLocal)) {
                taken.add(added.address());
            }
        }
        peersFound(taken, now);
    }

    /** Does what the assembly's answer to a peer's message says. */
    private void act(MetadataOutcome outcome, Link link) {
        switch (outcome) {
            case MetadataOutcome.Accepted a -> { }
            case MetadataOutcome.Ignored i -> { }
            case MetadataOutcome.Refused refused -> link.connection.close(
                    CloseReason.of(CloseReason.Kind.PROTOCOL_VIOLATION, refused.reason()));
            case MetadataOutcome.Failed failed -> {
                for (InetSocketAddress dropped : failed.dropped()) {
                    Link liar = links.get(dropped);
                    if (liar != null) {
                        liar.connection.close(CloseReason.of(CloseReason.Kind.BANNED,
                                "its metadata did not hash to the info hash"));
                    }
                }
            }
            case MetadataOutcome.Complete complete -> {
                info = complete.info();
                LOG.log(System.Logger.Level.DEBUG, "{0}: the metadata is in ({1} bytes, SHA-1 the info hash)",
                        link.connection, Integer.toString(info.length));
            }
        }
    }

    /**
     * Once a second: each connection's timers (keep-alives, silence), peers that did not offer metadata in time
     * closed, and addresses dialled long ago tried again when there is nothing else to dial.
     */
    void tick(long now) {
        for (Link link : List.copyOf(links.values())) {
            link.connection.checkTimers(now);
            if (link.metadataId == 0 && now - link.since >= OFFER_WAIT_NANOS) {
                link.connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED,
                        "it offered no metadata within " + TimeUnit.NANOSECONDS.toSeconds(OFFER_WAIT_NANOS) + " s"));
            }
        }
        if (candidates.isEmpty()) {
            Iterator<Map.Entry<InetSocketAddress, Long>> oldest = tried.entrySet().iterator();
            while (oldest.hasNext() && candidates.size() < MAX_CANDIDATES) {
                Map.Entry<InetSocketAddress, Long> entry = oldest.next();
                if (now - entry.getValue() < RETRY_NANOS) {
                    break;
                }
                oldest.remove();
                if (!links.containsKey(entry.getKey())) {
                    candidates.add(entry.getKey());
                }
            }
        }
        dial(now);
    }

    /** Sends the requests the assembly wants sent, and hands everything queued to the writers. */
    void pump(long now) {
        if (info == null) {
            for (MetadataAssembly.Ask ask : assembly.requests(now)) {
                Link link = links.get(ask.peer());
                if (link != null) {
                    send(link, new Message.Extended(link.metadataId, ask.request().encode()));
                }
            }
        }
        for (Link link : links.values()) {
            if (link.sent) {
                link.sent = false;
                link.connection.flush();
            }
        }
    }

    private void send(Link link, Message message) {
        link.connection.send(message);
        link.sent = true;
    }

    private void dial(long now) {
        Iterator<InetSocketAddress> next = candidates.iterator();
        while (!closed && info == null && next.hasNext() && links.size() + dialling.size() < MAX_CONNECTIONS) {
            InetSocketAddress address = next.next();
            next.remove();
            if (links.containsKey(address)) {
                continue;
            }
            tried.remove(address);
            tried.put(address, now);
            if (tried.size() > MAX_TRIED) {
                Iterator<InetSocketAddress> oldest = tried.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            dialling.add(address);
            dialer.accept(address);
        }
    }

    /** The info dictionary, its SHA-1 the info hash, once it is in. */
    Optional<byte[]> info() {
        return Optional.ofNullable(info);
    }

    /** Closes every connection; none is dialled or taken after. */
    void closeAll(CloseReason reason) {
        closed = true;
        for (Link link : List.copyOf(links.values())) {
            link.connection.close(reason);
        }
    }

    /** Peers connected now. */
    int connected() {
        return links.size();
    }

    /** Addresses known and not connected. */
    int known() {
        return candidates.size() + tried.size();
    }

    /**
     * Where the torrent's swarm may find peers once the metadata is in: the peers connected that can be dialled,
     * first, then the addresses waiting, then those tried; {@value #MAX_CANDIDATES} at most.
     */
    List<InetSocketAddress> peersForSwarm() {
        LinkedHashSet<InetSocketAddress> all = new LinkedHashSet<>();
        for (Link link : links.values()) {
            if (link.dialable != null) {
                all.add(link.dialable);
            }
        }
        all.addAll(candidates);
        all.addAll(tried.keySet());
        all.removeAll(own);
        return new ArrayList<>(all).subList(0, Math.min(all.size(), MAX_CANDIDATES));
    }

    /** Bytes the assembly holds now; for tests. */
    int heldBytes() {
        return assembly.heldBytes();
    }
}
