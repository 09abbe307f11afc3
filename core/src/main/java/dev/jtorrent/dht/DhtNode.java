package dev.jtorrent.dht;

import dev.jtorrent.bencode.BString;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * A Mainline DHT node (BEP 5, with BEP 32 IPv6 and BEP 42 node ids), without I/O: datagrams come in through
 * {@link #receive}, go out through a {@link Sender}, and the time is passed in, so that many nodes can run as a
 * simulated network in one thread. {@link Dht} is the shell that gives it a socket, a thread and a clock.
 *
 * <p><b>Serving.</b> Queries are answered from the routing tables, the {@link PeerStore} and the {@link Tokens}:
 * {@code ping}, {@code find_node}, {@code get_peers} (peers if any are stored, and nodes), {@code announce_peer}
 * (with a valid token only); an unknown method gets error 204, a malformed query error 203. Every answer carries the
 * querier's address as {@code ip} (BEP 42). Queries beyond the {@link RateLimiter}'s rates are dropped. A querier
 * whose address has not answered one of our queries may have been spoofed, so its answer is kept within
 * {@value #UNVERIFIED_REPLY_FACTOR} times the size of its query (peers dropped first, then nodes): the node cannot be
 * used to amplify a flood. A querier that would find a place in the table is pinged: it enters only if it answers.
 * A read-only querier (BEP 43 {@code ro}) is answered but never pinged nor added.
 *
 * <p><b>Asking.</b> Our queries get a two-byte transaction id; at most {@code maxOutstanding} await an answer at
 * once, for at most {@link Transactions#TIMEOUT_NANOS}. An answer counts only with a known transaction id, from the address
 * the query went to; anything else is ignored and counted ({@link #stats}). An answer under another id than the
 * one we knew is taken, and the node's entry follows it: BEP 42 nodes change their id once they learn their
 * external address, and the transaction id proves the answer came from the address asked. Searches run a
 * {@link Lookup} per family, at most {@code maxLookups} searches at once.
 *
 * <p><b>Upkeep.</b> {@link #tick} (every second or so) times out queries, rotates the token secret, expires stored
 * peers, refreshes stale buckets, pings questionable nodes and bootstraps again while the table is nearly empty.
 *
 * <p>Not thread-safe: one thread at a time, which the shell ensures.
 */
final class DhtNode {
    /** An answer to an unverified address is at most this many times the size of its query. */
    static final int UNVERIFIED_REPLY_FACTOR = 4;
    /** Peers in one {@code get_peers} answer, chosen at random: 50 IPv6 peers still fit in a datagram. */
    static final int MAX_VALUES_PER_REPLY = 50;
    /** How often a node with fewer than K nodes bootstraps again. */
    static final long BOOTSTRAP_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Questionable nodes pinged per tick. */
    static final int PINGS_PER_TICK = 8;
    /** How often stored peers are expired. */
    private static final long EXPIRE_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Sends one datagram; must not block for long nor call back into the node. */
    interface Sender {
        void send(InetSocketAddress to, byte[] packet);
    }

    /** Hears of a search's results, on the node's thread. */
    interface SearchListener {
        /** A peer of the info hash, each reported once. */
        void peer(InetSocketAddress peer);

        /**
         * The search ended.
         *
         * @param announced nodes that acknowledged our {@code announce_peer}; 0 for a search that did not announce
         */
        void done(int announced);
    }

    /** Counters of what was ignored, for tests and diagnostics. */
    static final class Stats {
        long malformed;
        long oversized;
        long rateLimited;
        long unknownTransaction;
        long wrongSource;
        long changedId;
        long timeouts;
        long refusedSources;
    }

    private static final SearchListener IGNORE = new SearchListener() {
        @Override
        public void peer(InetSocketAddress peer) {
        }

        @Override
        public void done(int announced) {
        }
    };

    private final DhtConfig config;
    private final Set<Family> families;
    private final Sender sender;
    private final RandomGenerator random;
    private final AddressFilter filter;
    private final Map<Family, RoutingTable> tables = new EnumMap<>(Family.class);
    private final Tokens tokens;
    private final PeerStore peers;
    private final RateLimiter limiter;
    private final ExternalAddressVote vote = new ExternalAddressVote();
    private final Transactions transactions;
    private final Set<InetSocketAddress> pinging = new HashSet<>();
    private final Set<InetSocketAddress> routers = new HashSet<>();
    private final List<Search> searches = new ArrayList<>();
    private final Stats stats = new Stats();
    /** Nodes from a saved state, asked at the first bootstrap. */
    private final List<Contact> savedNodes = new ArrayList<>();
    private NodeId id;
    private long lastBootstrap;
    private long lastExpiry;
    private boolean bootstrapping;

    /**
     * @param families the families this node has sockets for
     * @param local    our own addresses (the bound ones): never contacts
     * @param saved    a saved state: its id is taken, its nodes are asked first when bootstrapping
     */
    DhtNode(DhtConfig config, Set<Family> families, Collection<InetSocketAddress> local, Sender sender,
            RandomGenerator random, Optional<DhtState> saved, long now) {
        this.config = config;
        this.families = EnumSet.copyOf(families);
        this.sender = sender;
        this.random = random;
        this.filter = new AddressFilter(config.allowLocalAddresses());
        local.forEach(filter::addOwn);
        this.id = saved.map(DhtState::id).orElseGet(() -> NodeId.random(random));
        this.tokens = new Tokens(random, now);
        this.peers = new PeerStore(config.maxTorrents(), config.maxPeersPerTorrent());
        this.limiter = new RateLimiter(config.queriesPerSecond(), config.queriesPerSecondPerIp(), now);
        this.transactions = new Transactions(config.maxOutstanding(), random.nextInt(1 << 16));
        this.lastBootstrap = now - BOOTSTRAP_RETRY_NANOS;
        this.lastExpiry = now;
        for (Family f : families) {
            tables.put(f, newTable(id, now));
        }
        saved.ifPresent(s -> savedNodes.addAll(s.nodes()));
    }

    NodeId id() {
        return id;
    }

    Stats stats() {
        return stats;
    }

    /** Nodes in the routing tables of all families. */
    int routingTableSize() {
        return tables.values().stream().mapToInt(RoutingTable::size).sum();
    }

    RoutingTable table(Family family) {
        return tables.get(family);
    }

    int outstanding() {
        return transactions.size();
    }

    int searches() {
        return searches.size();
    }

    PeerStore peerStore() {
        return peers;
    }

    RateLimiter rateLimiter() {
        return limiter;
    }

    Optional<InetAddress> externalAddress() {
        return vote.adopted();
    }

    /** A vote on our external address, from {@code voter}; see {@link Dht#externalAddressReported}. */
    void externalAddressReported(InetAddress voter, InetAddress address, long now) {
        vote.vote(voter, address).ifPresent(adopted -> adopt(adopted, now));
    }

    /** Our external address as the session learnt it; our id follows it (BEP 42). */
    void setExternalAddress(InetAddress address, long now) {
        if (vote.set(address)) {
            adopt(address, now);
        }
    }

    /** What to save: our id and the good nodes. */
    DhtState state() {
        List<Contact> good = new ArrayList<>();
        for (RoutingTable t : tables.values()) {
            good.addAll(t.goodNodes().stream().limit(DhtState.MAX_NODES).toList());
        }
        return new DhtState(id, good);
    }

    // ---------------------------------------------------------------------------------------------- the public verbs

    /**
     * Joins the DHT: a {@code find_node} lookup for our own id, seeded with the routing table, the saved nodes and
     * the routers (resolved addresses), whose answers are used but who never enter the table.
     */
    void bootstrap(List<InetSocketAddress> routerAddresses, long now) {
        bootstrap(routerAddresses, IGNORE, now);
    }

    /** As {@link #bootstrap(List, long)}, telling {@code listener} when the lookup ends. */
    void bootstrap(List<InetSocketAddress> routerAddresses, SearchListener listener, long now) {
        lastBootstrap = now;
        List<InetSocketAddress> usable = routerAddresses.stream().filter(filter::allowed).toList();
        routers.addAll(usable);
        List<Contact> seeds = new ArrayList<>(savedNodes);
        savedNodes.clear();
        Search search = startSearch(id, false, 0, false, listener, seeds, now);
        if (search == null) {
            listener.done(0);
            return;
        }
        bootstrapping = true;
        search.onEnd = () -> bootstrapping = false;
        for (InetSocketAddress router : usable) {
            Lookup lookup = search.lookups.get(Family.of(router.getAddress()));
            if (lookup == null) {
                continue;
            }
            lookup.outsideQuerySent();
            boolean sent = query(router, null, new Krpc.FindNode(id), new Transactions.Handler() {
                @Override
                public void response(Krpc.Response r, long at) {
                    lookup.outsideQueryEnded();
                    lookup.addCandidates(usableNodes(r.nodes(lookup.family())));
                    pump(search, at);
                }

                @Override
                public void failure(long at) {
                    lookup.outsideQueryEnded();
                    pump(search, at);
                }
            }, now);
            if (!sent) {
                lookup.outsideQueryEnded();
            }
        }
        pump(search, now);
    }

    /** Pings a node heard of elsewhere (a torrent's {@code nodes}, a peer's PORT message): it enters if it answers. */
    void addNode(InetSocketAddress address, long now) {
        if (filter.allowed(address) && families.contains(Family.of(address.getAddress()))) {
            ping(address, null, now);
        }
    }

    /**
     * Looks up the peers of {@code infoHash}, then announces us to the closest nodes that gave a token if
     * {@code announcePort} is positive (or {@code impliedPort}). Returns false, after telling the listener
     * {@code done}, when {@code maxLookups} are already running.
     */
    boolean search(NodeId infoHash, int announcePort, boolean impliedPort, SearchListener listener, long now) {
        Search s = startSearch(infoHash, true, announcePort, impliedPort, listener, List.of(), now);
        if (s == null) {
            listener.done(0);
            return false;
        }
        // Peers announced to this very node count too: in a small DHT we may be the closest node ourselves.
        for (Lookup lookup : s.lookups.values()) {
            List<InetSocketAddress> stored = peers.peers(infoHash, lookup.family(), Lookup.MAX_PEERS, now, random);
            lookup.newPeers(stored).forEach(listener::peer);
        }
        pump(s, now);
        return true;
    }

    /** Feeds one datagram that arrived from {@code from}. */
    void receive(InetSocketAddress from, ByteBuffer packet, long now) {
        if (packet.remaining() > KrpcCodec.MAX_PACKET) {
            stats.oversized++;
            return;
        }
        if (!filter.allowed(from) || !families.contains(Family.of(from.getAddress()))) {
            stats.refusedSources++;
            return;
        }
        byte[] bytes = new byte[packet.remaining()];
        packet.get(bytes);
        Krpc message;
        try {
            message = KrpcCodec.decode(bytes);
        } catch (KrpcException e) {
            stats.malformed++;
            if (e.queryTransactionId().isPresent() && limiter.allow(from.getAddress(), now)) {
                send(from, new Krpc.Error(e.queryTransactionId().get(), Krpc.Error.PROTOCOL, e.getMessage()));
            }
            return;
        }
        switch (message) {
            case Krpc.Query q -> onQuery(from, q, bytes.length, now);
            case Krpc.Response r -> onResponse(from, r, now);
            case Krpc.Error e -> onError(from, e, now);
        }
    }

    /** Timer work; call about once a second. */
    void tick(long now) {
        for (Transactions.Pending p : transactions.expire(now)) {
            stats.timeouts++;
            tables.get(Family.of(p.to().getAddress())).failed(p.to());
            p.handler().failure(now);
        }
        tokens.rotateIfDue(now);
        if (now - lastExpiry >= EXPIRE_INTERVAL_NANOS) {
            peers.expire(now);
            lastExpiry = now;
        }
        for (RoutingTable table : tables.values()) {
            for (Contact c : table.toPing(now, PINGS_PER_TICK)) {
                ping(c.address(), c.id(), now);
            }
            for (NodeId target : table.refreshTargets(now, random)) {
                Search s = startSearch(target, false, 0, false, IGNORE, List.of(), now);
                if (s != null) {
                    pump(s, now);
                }
            }
        }
        if (!bootstrapping && routingTableSize() < RoutingTable.K && now - lastBootstrap >= BOOTSTRAP_RETRY_NANOS) {
            bootstrap(List.copyOf(routers), now);
        }
    }

    // ---------------------------------------------------------------------------------------------- serving

    private void onQuery(InetSocketAddress from, Krpc.Query q, int size, long now) {
        if (!limiter.allow(from.getAddress(), now)) {
            stats.rateLimited++;
            return;
        }
        Family family = Family.of(from.getAddress());
        Contact querier = new Contact(q.sender(), from);
        Krpc reply = switch (q.method()) {
            case Krpc.Ping p -> acknowledgement(q);
            case Krpc.FindNode f -> nodesReply(q, family, f.target(), List.of(), Optional.empty());
            case Krpc.GetPeers g -> nodesReply(q, family, g.infoHash(),
                    peers.peers(g.infoHash(), family, MAX_VALUES_PER_REPLY, now, random),
                    Optional.of(tokens.tokenFor(from.getAddress())));
            case Krpc.AnnouncePeer a -> announced(q, a, from, now);
            case Krpc.Unknown u -> new Krpc.Error(q.transactionId(), Krpc.Error.METHOD_UNKNOWN,
                    "unknown method " + u.name());
        };
        if (reply instanceof Krpc.Response r && !tables.get(family).contains(from)) {
            reply = fit(r, from, size * UNVERIFIED_REPLY_FACTOR);
        }
        send(from, reply);
        if (!q.readOnly() && !(q.method() instanceof Krpc.Unknown) && !routers.contains(from)) {
            RoutingTable table = tables.get(family);
            table.queriedBy(querier, now);
            if (table.wouldAccept(querier)) {
                ping(from, q.sender(), now);
            }
        }
    }

    private Krpc nodesReply(Krpc.Query q, Family family, NodeId target, List<InetSocketAddress> values,
                            Optional<BString> token) {
        Set<Family> wanted = q.want().isEmpty() ? Set.of(family) : q.want();
        List<Contact> v4 = wanted.contains(Family.IPV4) && tables.containsKey(Family.IPV4)
                ? tables.get(Family.IPV4).closest(target, RoutingTable.K) : List.of();
        List<Contact> v6 = wanted.contains(Family.IPV6) && tables.containsKey(Family.IPV6)
                ? tables.get(Family.IPV6).closest(target, RoutingTable.K) : List.of();
        return new Krpc.Response(q.transactionId(), id, Optional.empty(), v4, v6, values, token);
    }

    /** A response that carries our id alone: to a ping, to an announce. */
    private Krpc.Response acknowledgement(Krpc.Query q) {
        return new Krpc.Response(q.transactionId(), id, Optional.empty(), List.of(), List.of(), List.of(),
                Optional.empty());
    }

    private Krpc announced(Krpc.Query q, Krpc.AnnouncePeer a, InetSocketAddress from, long now) {
        if (!tokens.valid(a.token(), from.getAddress())) {
            return new Krpc.Error(q.transactionId(), Krpc.Error.PROTOCOL, "bad token");
        }
        int port = a.impliedPort() ? from.getPort() : a.port();
        InetSocketAddress peer = new InetSocketAddress(from.getAddress(), port);
        if (!filter.allowed(peer)) {
            return new Krpc.Error(q.transactionId(), Krpc.Error.PROTOCOL, "bad port");
        }
        peers.announce(a.infoHash(), peer, now);
        return acknowledgement(q);
    }

    /** Drops peers, then IPv6 nodes, then IPv4 nodes from {@code r} until its encoding fits {@code budget} bytes. */
    private static Krpc.Response fit(Krpc.Response r, InetSocketAddress to, int budget) {
        List<InetSocketAddress> values = new ArrayList<>(r.values());
        List<Contact> v6 = new ArrayList<>(r.nodes6());
        List<Contact> v4 = new ArrayList<>(r.nodes());
        Krpc.Response fitted = r;
        while (KrpcCodec.encode(fitted, Optional.of(to)).length > budget
                && !(values.isEmpty() && v6.isEmpty() && v4.isEmpty())) {
            List<?> shrink = !values.isEmpty() ? values : !v6.isEmpty() ? v6 : v4;
            shrink.remove(shrink.size() - 1);
            fitted = new Krpc.Response(r.transactionId(), r.sender(), r.requester(), v4, v6, values, r.token());
        }
        return fitted;
    }

    // ---------------------------------------------------------------------------------------------- asking

    private void onResponse(InetSocketAddress from, Krpc.Response r, long now) {
        if (!matched(r.transactionId(), from)) {
            return;
        }
        Transactions.Pending p = transactions.close(r.transactionId());
        Family family = Family.of(from.getAddress());
        if (p.expected() != null && !p.expected().equals(r.sender())) {
            stats.changedId++; // it took a new id, as BEP 42 nodes do once they know their address: still an answer
        }
        r.requester().ifPresent(ip -> vote.vote(from.getAddress(), ip.getAddress())
                .ifPresent(address -> adopt(address, now)));
        if (!routers.contains(from)) {
            RoutingTable table = tables.get(family);
            if (table.heardFrom(new Contact(r.sender(), from), now) == RoutingTable.Outcome.CACHED) {
                table.questionableBeside(r.sender(), now).ifPresent(c -> ping(c.address(), c.id(), now));
            }
        }
        p.handler().response(r, now);
    }

    private void onError(InetSocketAddress from, Krpc.Error e, long now) {
        if (matched(e.transactionId(), from)) {
            transactions.close(e.transactionId()).handler().failure(now);
        }
    }

    /** Whether an answer matches one of our queries; counts it if not. */
    private boolean matched(BString transactionId, InetSocketAddress from) {
        return switch (transactions.match(transactionId, from)) {
            case ANSWERED -> true;
            case UNKNOWN -> {
                stats.unknownTransaction++;
                yield false;
            }
            case WRONG_SOURCE -> {
                stats.wrongSource++;
                yield false;
            }
        };
    }

    /** Sends a query unless {@code maxOutstanding} are awaiting answers; returns whether it was sent. */
    private boolean query(InetSocketAddress to, NodeId expected, Krpc.Method method, Transactions.Handler handler,
                          long now) {
        Optional<BString> tid = transactions.open(to, expected, handler, now);
        if (tid.isEmpty()) {
            return false;
        }
        Set<Family> want = families.size() > 1 && !(method instanceof Krpc.Ping) ? families : Set.of();
        sender.send(to, KrpcCodec.encode(new Krpc.Query(tid.get(), id, method, want, false)));
        return true;
    }

    private void ping(InetSocketAddress to, NodeId expected, long now) {
        if (!pinging.add(to)) {
            return;
        }
        boolean sent = query(to, expected, new Krpc.Ping(), new Transactions.Handler() {
            @Override
            public void response(Krpc.Response r, long at) {
                pinging.remove(to);
                if (!bootstrapping && routingTableSize() < RoutingTable.K && !routers.contains(to)) {
                    bootstrap(List.of(), at);
                }
            }

            @Override
            public void failure(long at) {
                pinging.remove(to);
            }
        }, now);
        if (!sent) {
            pinging.remove(to);
        }
    }

    private void send(InetSocketAddress to, Krpc message) {
        sender.send(to, KrpcCodec.encode(message, Optional.of(to)));
    }

    private List<Contact> usableNodes(List<Contact> nodes) {
        List<Contact> usable = new ArrayList<>(nodes.size());
        for (Contact c : nodes) {
            if (!c.id().equals(id) && filter.allowed(c.address()) && !routers.contains(c.address())) {
                usable.add(c);
            }
        }
        return usable;
    }

    // ---------------------------------------------------------------------------------------------- searches

    /** A lookup asked for, in each family the node has, and what to do when it ends. */
    private final class Search {
        final NodeId target;
        final boolean getPeers;
        final int announcePort;
        final boolean impliedPort;
        final SearchListener listener;
        final Map<Family, Lookup> lookups = new EnumMap<>(Family.class);
        Runnable onEnd = () -> { };
        int announcesOut;
        int announced;
        boolean announcing;

        Search(NodeId target, boolean getPeers, int announcePort, boolean impliedPort, SearchListener listener) {
            this.target = target;
            this.getPeers = getPeers;
            this.announcePort = announcePort;
            this.impliedPort = impliedPort;
            this.listener = listener;
        }
    }

    private Search startSearch(NodeId target, boolean getPeers, int announcePort, boolean impliedPort,
                               SearchListener listener, List<Contact> seeds, long now) {
        if (searches.size() >= config.maxLookups()) {
            return null;
        }
        Search s = new Search(target, getPeers, announcePort, impliedPort, listener);
        for (Family f : families) {
            Lookup lookup = new Lookup(target, f, config.maxNodesPerSubnet() == 1);
            lookup.addCandidates(tables.get(f).closest(target, Lookup.MAX_CANDIDATES));
            lookup.addCandidates(usableNodes(seeds));
            s.lookups.put(f, lookup);
        }
        searches.add(s);
        return s;
    }

    /** Sends what the search's lookups want sent; ends the search, or starts its announces, when they are done. */
    private void pump(Search s, long now) {
        if (s.announcing) {
            return;
        }
        boolean done = true;
        for (Lookup lookup : s.lookups.values()) {
            int budget = transactions.room();
            for (Contact c : lookup.next(budget)) {
                Krpc.Method method = s.getPeers ? new Krpc.GetPeers(s.target) : new Krpc.FindNode(s.target);
                query(c.address(), c.id(), method, new Transactions.Handler() {
                    @Override
                    public void response(Krpc.Response r, long at) {
                        lookup.answered(c.address(), r.token(), usableNodes(r.nodes(lookup.family())));
                        // Asked with want (BEP 32), a node also names nodes of the other family: the search's
                        // lookup there takes them.
                        for (Lookup other : s.lookups.values()) {
                            if (other != lookup) {
                                other.addCandidates(usableNodes(r.nodes(other.family())));
                            }
                        }
                        if (s.getPeers) {
                            for (InetSocketAddress peer : lookup.newPeers(r.values())) {
                                s.listener.peer(peer);
                            }
                        }
                        pump(s, at);
                    }

                    @Override
                    public void failure(long at) {
                        lookup.failed(c.address());
                        pump(s, at);
                    }
                }, now);
            }
            done &= lookup.done();
        }
        if (done) {
            if (s.getPeers && (s.announcePort > 0 || s.impliedPort)) {
                announce(s, now);
            } else {
                finish(s, 0);
            }
        }
    }

    private void announce(Search s, long now) {
        s.announcing = true;
        for (Lookup lookup : s.lookups.values()) {
            for (Lookup.Announceable a : lookup.closestWithTokens()) {
                Krpc.AnnouncePeer method = new Krpc.AnnouncePeer(s.target, s.impliedPort ? 0 : s.announcePort,
                        s.impliedPort, a.token());
                boolean sent = query(a.contact().address(), a.contact().id(), method, new Transactions.Handler() {
                    @Override
                    public void response(Krpc.Response r, long at) {
                        s.announced++;
                        announceEnded(s);
                    }

                    @Override
                    public void failure(long at) {
                        announceEnded(s);
                    }
                }, now);
                if (sent) {
                    s.announcesOut++;
                }
            }
        }
        if (s.announcesOut == 0) {
            finish(s, 0);
        }
    }

    private void announceEnded(Search s) {
        if (--s.announcesOut == 0) {
            finish(s, s.announced);
        }
    }

    private void finish(Search s, int announced) {
        if (searches.remove(s)) {
            s.onEnd.run();
            s.listener.done(announced);
        }
    }

    // ---------------------------------------------------------------------------------------------- BEP 42

    /**
     * Takes an id derived from our external address if ours is not one (BEP 42): the tables are rebuilt around the
     * new id from the nodes they held, and the node bootstraps again so that the nodes near the new id learn of us.
     */
    private void adopt(InetAddress external, long now) {
        filter.setExternal(external);
        if (SecureId.matches(id, external)) {
            return;
        }
        id = SecureId.derive(external, random);
        for (Family f : families) {
            RoutingTable old = tables.get(f);
            RoutingTable fresh = newTable(id, now);
            for (Contact c : old.goodNodes()) {
                fresh.heardFrom(c, now);
            }
            tables.put(f, fresh);
        }
        if (!bootstrapping) {
            bootstrap(List.copyOf(routers), now);
        }
    }

    private RoutingTable newTable(NodeId own, long now) {
        return new RoutingTable(own, filter, config.maxNodes(), config.maxNodesPerIp(), config.maxNodesPerSubnet(),
                now);
    }
}
