package dev.jtorrent.session;

import dev.jtorrent.budget.SessionBudgets;
import dev.jtorrent.dht.Dht;
import dev.jtorrent.dht.DhtConfig;
import dev.jtorrent.lsd.LocalDiscovery;
import dev.jtorrent.lsd.LocalPeer;
import dev.jtorrent.lsd.LsdEndpoint;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.InvalidTorrentException;
import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.mse.EncryptionPolicy;
import dev.jtorrent.net.UdpPort;
import dev.jtorrent.peer.ConnectionTarget;
import dev.jtorrent.peer.Dialer;
import dev.jtorrent.peer.Handshaker;
import dev.jtorrent.peer.PeerEncryption;
import dev.jtorrent.peer.TcpDialer;
import dev.jtorrent.peer.UtpChannel;
import dev.jtorrent.peer.UtpDialer;
import dev.jtorrent.storage.ChannelOpener;
import dev.jtorrent.storage.FileStorage;
import dev.jtorrent.swarm.MetadataFetch;
import dev.jtorrent.swarm.Swarm;
import dev.jtorrent.tracker.Tracker;
import dev.jtorrent.tracker.UdpTrackerReplies;
import dev.jtorrent.utp.PathCeiling;
import dev.jtorrent.utp.UtpEndpoint;
import dev.jtorrent.utp.UtpLimits;
import dev.jtorrent.utp.UtpTimer;
import dev.jtorrent.wire.PeerId;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A BitTorrent client: one listen port, one peer id, one pool of disk threads, and any number of torrents, each
 * with a {@link TorrentHandle}. Incoming connections are routed to a torrent by the info hash in their handshake.
 * Thread-safe.
 *
 * <pre>{@code
 * try (Session session = Session.start(SessionConfig.builder().port(0).build())) {
 *     TorrentHandle handle = session.add(Torrent.load(Path.of("debian.torrent")),
 *             AddOptions.builder().downloadDirectory(Path.of("downloads")).build());
 *     handle.completion().join();
 * }
 * }</pre>
 *
 * <p>Adding is quick: {@link #add(Torrent, AddOptions)} returns a handle at once, and the torrent checks its data
 * in the background, one torrent at a time across the session, as Transmission and qBittorrent do. {@link
 * #subscribe} tells a listener what happens to every torrent.
 */
public final class Session implements AutoCloseable {
    /** Events waiting for one subscriber at most; past it, the newest are dropped and counted. */
    public static final int EVENT_QUEUE_LIMIT = 4096;
    /** A torrent's {@code nodes} taken at most: a trackerless torrent names a handful; the rest are ignored. */
    static final int MAX_TORRENT_NODES = 32;
    /** The DHT's routing table and node id, in the resume directory. */
    static final String DHT_STATE_FILE = "dht.dat";
    private static final System.Logger LOG = System.getLogger(Session.class.getName());
    private final SessionConfig config;
    /** How torrent data and resume files are opened: the real disk, or a faulty one in tests. */
    private final ChannelOpener opener;
    private final PeerId peerId = PeerId.random("-JT0010-");
    /** The listen sockets, one per bind address (or one dual-stack socket), all on one port. */
    private final ListenSockets listeners;
    /** Where the first of {@link #listeners} is bound: its port is the session's. */
    private final InetSocketAddress listening;
    private final Handshaker handshaker;
    /** The disk threads: piece checks, writes and reads, and the checks of data at a start; jobs wait in its queue. */
    private final ThreadPoolExecutor diskPool;
    /** Each torrent's resume file and move journal. */
    private final ResumeDirectory resume;
    private final StorageMoves moves;
    /** Checks the torrents' data and starts them. */
    private final TorrentStarter starter;
    /** The running swarms, by info hash, for incoming connections. */
    private final Map<InfoHash, Swarm> swarms = new ConcurrentHashMap<>();
    /** The searches for metadata under way, by info hash, for incoming connections. */
    private final Map<InfoHash, MetadataFetch> searches = new ConcurrentHashMap<>();
    /** Makes the runtimes of torrents, and the searches of those without metadata. */
    private final TorrentLauncher launcher;
    private final TorrentRegistry torrents = new TorrentRegistry();
    private final EventHub events = new EventHub(EVENT_QUEUE_LIMIT);
    /** Connections, memory and rates, shared by all the torrents of the session. */
    private final SessionBudgets budgets;
    /** Take incoming connections from {@link #listeners}, one for each, backing off when it fails. */
    private final List<AcceptLoop> acceptLoops;
    /** Announces the running torrents on the LAN and finds their peers there, unless off or unable to start. */
    private final Optional<LocalDiscovery> localDiscovery;
    /**
     * The UDP side of the listen port, shared by the DHT and the UDP tracker clients (and uTP); empty when it cannot
     * be bound, and then the DHT is off and each UDP tracker client has a socket of its own.
     */
    private final Optional<UdpPort> udp;
    /** The UDP tracker clients' replies on {@link #udp}. */
    private final Optional<UdpTrackerReplies> udpTrackers;
    /** The session's DHT node, if it runs one, and what announces its torrents there. */
    private final Optional<Dht> dht;
    private final Optional<DhtAnnounces> dhtAnnounces;
    /** The session's uTP connections on {@link #udp}, and the timer that drives them, if uTP is on. */
    private final Optional<UtpEndpoint> utp;
    private final Optional<UtpTimer> utpTimer;
    /** The torrents' queue positions and seed limits, and who starts and stops torrents by them. */
    private final TorrentQueue queue;
    /** Ticks {@link #queue} once a {@link TorrentQueue#TICK}, until the session closes. */
    private final Thread queueTicker;
    /** The block list, and what it blocked. */
    private final PeerBlocking blocking = new PeerBlocking();
    /** What the torrents removed so far moved in this session: see {@link #payloadTotals()}. */
    private final AtomicReference<PayloadTotals> removedPayload = new AtomicReference<>(PayloadTotals.NONE);
    /** The largest totals reported so far, so that what is reported never drops (see {@link #payloadTotals()}). */
    private final AtomicReference<PayloadTotals> reportedPayload = new AtomicReference<>(PayloadTotals.NONE);

    private Session(SessionConfig config, ListenSockets listeners, ChannelOpener opener) {
        this.config = config;
        this.opener = opener;
        this.listeners = listeners;
        this.listening = listeners.first();
        this.budgets = config.budgets();
        this.udp = openUdpPort();
        this.udpTrackers = udp.map(UdpTrackerReplies::on);
        this.dht = config.dht() ? udp.flatMap(this::startDht) : Optional.empty();
        this.utp = config.utp() ? udp.map(Session::utpOn) : Optional.empty();
        this.utpTimer = utp.map(endpoint -> UtpTimer.start(endpoint, "utp-" + listening.getPort()));
        this.handshaker = new Handshaker(peerId, dialers(), Handshaker.HANDSHAKE_TIMEOUT, config.swarm().maxPeers(),
                budgets.download(), dht.isPresent(), new PeerEncryption(policy(config.encryption()),
                torrents::byReq2));
        utp.ifPresent(endpoint -> endpoint.onAccept(stream -> {
            if (blocking.blocks(stream.remoteAddress())) {
                closeBlocked(stream);
                return;
            }
            Thread.ofVirtual().name("incoming-utp").start(() -> handshaker.accept(UtpChannel.of(stream), this::target));
        }));
        int diskThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.diskPool = new ThreadPoolExecutor(diskThreads, diskThreads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "disk");
                    thread.setDaemon(true);
                    return thread;
                });
        this.resume = new ResumeDirectory(config.resumeDirectory(), opener);
        this.moves = new StorageMoves(resume, opener);
        this.localDiscovery = config.lsd() ? openLocalDiscovery() : Optional.empty();
        this.dhtAnnounces = dht.map(node -> new DhtAnnounces(node, listening.getPort()));
        SessionConfig announcing = config.withTracker(config.tracker().withIpv6(AnnouncedIpv6.choose(config.binds(),
                AnnouncedIpv6::interfaceAddresses)));
        this.launcher = new TorrentLauncher(announcing, peerId, listeners.addresses(), diskPool, handshaker, budgets,
                events, localDiscovery, dhtAnnounces, url -> Tracker.open(url, announcing.tracker(), udpTrackers),
                blocking);
        this.queue = new TorrentQueue(config, events);
        this.starter = new TorrentStarter(opener, new CheckQueue(diskPool, diskThreads), resume, moves, launcher,
                swarms, queue::waiting);
        this.queueTicker = Thread.ofVirtual().name("queue").start(this::tickQueue);
        this.acceptLoops = listeners.channels().stream().map(listener -> new AcceptLoop(listener::accept,
                this::acceptTcp,
                torrents::closed, Thread::sleep, message -> LOG.log(System.Logger.Level.WARNING, message))).toList();
    }

    /** Ticks the queue until the session closes (which interrupts this). */
    private void tickQueue() {
        try {
            while (!torrents.closed()) {
                Thread.sleep(TorrentQueue.TICK);
                queue.tick();
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /**
     * How peers are dialled: over uTP first and TCP a head start later, as libtorrent prefers uTP, or over the one
     * transport the settings leave. Without a UDP port, over TCP alone.
     */
    private List<Dialer> dialers() {
        List<Dialer> dialers = new ArrayList<>(2);
        utp.ifPresent(endpoint -> dialers.add(new UtpDialer(endpoint)));
        if (config.tcp() || dialers.isEmpty()) {
            dialers.add(new TcpDialer(config.binds()));
        }
        return dialers;
    }

    /** A uTP endpoint on {@code port}: it takes the datagrams that look like uTP. */
    private static UtpEndpoint utpOn(UdpPort port) {
        // Connection ids need no secret randomness (a SYN's is in the clear), and a SecureRandom would start the
        // JDK's security providers at every start.
        UtpEndpoint endpoint = new UtpEndpoint(port::send, UtpLimits.DEFAULTS, System::nanoTime, new Random(),
                PathCeiling.ofThisMachine());
        port.register(endpoint);
        return endpoint;
    }

    /**
     * An incoming TCP connection: handshaken on a thread of its own, or closed at once if TCP is off or the block
     * list blocks its address.
     */
    private void acceptTcp(SocketChannel channel) {
        if (!config.tcp() || blocking.blocks(remoteOf(channel))) {
            closeBlocked(channel);
            return;
        }
        Thread.ofVirtual().name("incoming").start(() -> handshaker.accept(channel, this::target));
    }

    /** The address a connection comes from; null if the socket cannot say (it closed meanwhile). */
    private static InetSocketAddress remoteOf(SocketChannel channel) {
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** Closes a connection refused before its handshake. */
    private static void closeBlocked(Closeable connection) {
        try {
            connection.close();
        } catch (IOException e) {
            // refused either way
        }
    }

    /**
     * Local Service Discovery where the session listens. Not being able to start it (port 6771 taken without
     * {@code SO_REUSEADDR}, no interface that can multicast) leaves the session without it, as libtorrent does.
     */
    private Optional<LocalDiscovery> openLocalDiscovery() {
        try {
            return Optional.of(LocalDiscovery.open(LsdEndpoint.forListenAddresses(config.bindAddresses()),
                    listening.getPort(), this::foundLocally));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "local service discovery is off: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The UDP side of the listen port: a socket on each address listened on, or one dual-stack socket on every address
     * (IPv4 where IPv6 is unavailable). Not being able to bind it (the UDP port taken) leaves the session without the
     * DHT, as before it shared the port.
     */
    private Optional<UdpPort> openUdpPort() {
        try {
            return Optional.of(UdpPort.listen(config.binds().isAny() ? List.of()
                    : ListenSockets.toListenOn(config.binds()), listening.getPort()));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "the DHT is off and UDP trackers use sockets of their own: "
                    + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * A DHT node on the UDP side of the listen address, its routing table kept in the resume directory. A session
     * bound to a loopback or private address takes nodes at such addresses (a LAN's DHT, or a test's); others only
     * globally routable ones. The node speaks the families of the port's sockets: both on a dual-stack port, or
     * with bind addresses of both families (BEP 32).
     */
    private Optional<Dht> startDht(UdpPort port) {
        List<InetAddress> binds = config.bindAddresses();
        boolean local = !binds.isEmpty() && binds.stream().allMatch(bind -> bind.isLoopbackAddress()
                || bind.isSiteLocalAddress() || bind.isLinkLocalAddress());
        DhtConfig.Builder dhtConfig = DhtConfig.builder()
                .routers(config.dhtBootstrap())
                .allowLocalAddresses(local);
        config.resumeDirectory().ifPresent(dir -> dhtConfig.stateFile(dir.resolve(DHT_STATE_FILE)));
        return Optional.of(Dht.start(dhtConfig.build(), port));
    }

    /** The session's DHT node, if it runs one; for tests and {@code jtorrent}'s status. */
    Optional<Dht> dht() {
        return dht;
    }

    /**
     * Looks up the peers of a torrent waiting for its metadata on the DHT, now and every minute, until the
     * registration is closed; empty when the DHT is off.
     */
    Optional<DhtAnnounces.Registration> searchOnDht(InfoHash infoHash, MetadataFetch fetch) {
        return dhtAnnounces.map(announces -> announces.search(infoHash, peer -> fetch.peersFound(List.of(peer))));
    }

    /**
     * A DHT node named by a torrent's {@code nodes} or a peer's {@code PORT} message (BEP 5), for the routing table;
     * nothing when the DHT is off. A host name is resolved on a thread of its own.
     */
    void dhtNode(InetSocketAddress node) {
        dht.ifPresent(running -> {
            if (node.isUnresolved()) {
                Thread.ofVirtual().name("dht-node").start(() -> running.addNode(node));
            } else {
                running.addNode(node);
            }
        });
    }

    /**
     * The DHT nodes a torrent names ({@code nodes}, BEP 5), {@value #MAX_TORRENT_NODES} at most; an entry that is not
     * {@code host:port} (an IPv6 host in brackets) is skipped.
     */
    static List<InetSocketAddress> dhtNodesOf(Torrent torrent) {
        List<InetSocketAddress> nodes = new ArrayList<>();
        for (String node : torrent.dhtNodes().subList(0, Math.min(MAX_TORRENT_NODES, torrent.dhtNodes().size()))) {
            try {
                nodes.add(MagnetLink.PeerAddress.parse(node).unresolved());
            } catch (IllegalArgumentException e) {
                // not a node's address: skipped
            }
        }
        return nodes;
    }

    /** A peer announced on the LAN goes to its torrent's swarm, as a tracker's would. */
    private void foundLocally(LocalPeer peer) {
        Swarm swarm = swarms.get(peer.infoHash());
        if (swarm != null) {
            swarm.peersFound(List.of(peer.address()));
            return;
        }
        MetadataFetch search = searches.get(peer.infoHash());
        if (search != null) {
            search.peersFound(List.of(peer.address()));
        }
    }

    /**
     * Announces a torrent that waits for its metadata on the LAN (BEP 14), so that local peers find it and it them;
     * empty when LSD is off. Whether the torrent is private is not known yet: it is announced as libtorrent does.
     */
    Optional<LocalDiscovery.Registration> announceLocally(InfoHash infoHash) {
        return localDiscovery.flatMap(discovery -> discovery.register(infoHash, false));
    }

    /**
     * Opens the listen sockets (one per bind address, all on one port; without any, one dual-stack socket) and starts
     * accepting connections on each.
     *
     * @throws IOException if an address and the port cannot be listened on (the message says which)
     */
    public static Session start(SessionConfig config) throws IOException {
        return start(config, ChannelOpener.DEFAULT);
    }

    /** A session whose disk is simulated by {@code opener}: for tests of full disks and power cuts. */
    static Session start(SessionConfig config, ChannelOpener opener) throws IOException {
        Objects.requireNonNull(config, "config");
        Session session = new Session(config, ListenSockets.open(config.binds(), config.port()), opener);
        session.acceptLoops.forEach(loop -> Thread.ofVirtual().name("listener").start(loop::run));
        return session;
    }

    /**
     * The port it listens on, at every bind address: the configured one, or the one the system picked for port 0.
     */
    public int port() {
        return listening.getPort();
    }

    /**
     * The settings it was started with; the limits changed since ({@link #setDownloadLimit} and the others) are
     * not in it.
     */
    public SessionConfig config() {
        return config;
    }

    /** Payload bytes a second that all torrents download at most now, together; 0 for no limit. */
    public long downloadLimit() {
        return budgets.download().bytesPerSecond();
    }

    /**
     * Changes the session-wide download limit (at the start, {@link SessionConfig#downloadLimit()}) at once, for the
     * running torrents too; each torrent's own limit still applies within it. Each connection's reader keeps the wait
     * it was given at the old rate, and reads at the new rate from its next block on: lowered, the limit holds after
     * one more block of each connection.
     *
     * @param bytesPerSecond payload bytes a second, over all torrents; 0 for no limit
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     */
    public void setDownloadLimit(long bytesPerSecond) {
        budgets.download().setBytesPerSecond(SessionConfig.Builder.notNegative("downloadLimit", bytesPerSecond));
    }

    /** Payload bytes a second that all torrents upload at most now, together; 0 for no limit. */
    public long uploadLimit() {
        return budgets.upload().bytesPerSecond();
    }

    /**
     * Changes the session-wide upload limit (at the start, {@link SessionConfig#uploadLimit()}) at once, for the
     * running torrents too; each torrent's own limit still applies within it. A torrent waiting to send its next
     * block asks again at least once a second while it has peers, so a changed limit holds within about a second.
     *
     * @param bytesPerSecond payload bytes a second, over all torrents; 0 for no limit
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     */
    public void setUploadLimit(long bytesPerSecond) {
        budgets.upload().setBytesPerSecond(SessionConfig.Builder.notNegative("uploadLimit", bytesPerSecond));
    }

    /** Peer connections the session keeps at most now, over all its torrents, outgoing attempts included. */
    public int maxConnections() {
        return (int) budgets.connections().limit();
    }

    /**
     * Changes the most peer connections the session keeps (at the start, {@link SessionConfig#maxConnections()}) at
     * once. Raised, torrents that waited for a connection try again at once. Lowered below the connections open now,
     * it closes none of them: no connection is admitted, incoming or outgoing, until enough have ended by themselves
     * to be under the new limit; meanwhile, as whenever the session is full, a torrent holding more than its fair
     * part gives up its least useful peer once a second while another torrent waits for one. (libtorrent instead
     * disconnects peers at once, spread over its torrents, to get under a lowered {@code connections_limit}.)
     *
     * @param connections at least 1
     * @throws IllegalArgumentException if {@code connections} is under 1
     */
    public void setMaxConnections(int connections) {
        budgets.connections().setLimit(SessionConfig.Builder.atLeastOne("maxConnections", connections));
    }

    /** Outgoing connection attempts in progress at most now, over all torrents. */
    public int maxHalfOpen() {
        return (int) budgets.halfOpen().limit();
    }

    /**
     * Changes the most outgoing connection attempts in progress at once (at the start, {@link
     * SessionConfig#maxHalfOpen()}), as {@link #setMaxConnections} does for connections: lowered, no attempt under
     * way is stopped, and none starts until fewer than the new limit are under way.
     *
     * @param attempts at least 1
     * @throws IllegalArgumentException if {@code attempts} is under 1
     */
    public void setMaxHalfOpen(int attempts) {
        budgets.halfOpen().setLimit(SessionConfig.Builder.atLeastOne("maxHalfOpen", attempts));
    }

    // The queues and seed limits (see TorrentQueue); each setter takes effect at once.

    /** Whether the download queue is on now; see {@link SessionConfig#downloadQueueEnabled()}. */
    public boolean downloadQueueEnabled() {
        return queue.settings().limits().downloadQueue();
    }

    /**
     * Turns the download queue on or off. Off, every torrent waiting in it starts at once; on, the torrents already
     * downloading keep on, and no other starts until fewer than {@link #downloadQueueSize()} download.
     */
    public void setDownloadQueueEnabled(boolean enabled) {
        queue.change(now -> now.withLimits(now.limits().withDownloadQueue(enabled)));
    }

    /** Torrents downloading at once at most now, while the download queue is on. */
    public int downloadQueueSize() {
        return queue.settings().limits().downloadSize();
    }

    /**
     * Changes how many torrents download at once at most. Raised, the next in the queue start at once; lowered below
     * those downloading, none of them is stopped (as in Transmission), and none starts until fewer download.
     *
     * @throws IllegalArgumentException if {@code torrents} is negative
     */
    public void setDownloadQueueSize(int torrents) {
        int size = (int) SessionConfig.Builder.notNegative("downloadQueueSize", torrents);
        queue.change(now -> now.withLimits(now.limits().withDownloadSize(size)));
    }

    /** Whether the seed queue is on now; see {@link SessionConfig#seedQueueEnabled()}. */
    public boolean seedQueueEnabled() {
        return queue.settings().limits().seedQueue();
    }

    /** Turns the seed queue on or off, as {@link #setDownloadQueueEnabled} does the download queue. */
    public void setSeedQueueEnabled(boolean enabled) {
        queue.change(now -> now.withLimits(now.limits().withSeedQueue(enabled)));
    }

    /** Torrents seeding at once at most now, while the seed queue is on. */
    public int seedQueueSize() {
        return queue.settings().limits().seedSize();
    }

    /**
     * Changes how many torrents seed at once at most, as {@link #setDownloadQueueSize} does for downloads.
     *
     * @throws IllegalArgumentException if {@code torrents} is negative
     */
    public void setSeedQueueSize(int torrents) {
        int size = (int) SessionConfig.Builder.notNegative("seedQueueSize", torrents);
        queue.change(now -> now.withLimits(now.limits().withSeedSize(size)));
    }

    /** Whether stalled torrents stop counting against their queue now; see {@link SessionConfig#queueStalledEnabled()}. */
    public boolean queueStalledEnabled() {
        return queue.settings().stalledRule();
    }

    /** Turns the stalled rule on or off, at once: on, the next in a queue start in place of its stalled torrents. */
    public void setQueueStalledEnabled(boolean enabled) {
        queue.change(now -> now.withStalled(enabled, now.stalledAfter()));
    }

    /** How long without payload makes a running torrent stalled now. */
    public Duration queueStalledAfter() {
        return queue.settings().stalledAfter();
    }

    /**
     * Changes how long without payload makes a running torrent stalled, at once.
     *
     * @throws IllegalArgumentException if {@code after} is not positive
     */
    public void setQueueStalledAfter(Duration after) {
        SeedLimits.requireIdle(after, "queueStalledAfter");
        queue.change(now -> now.withStalled(now.stalledRule(), after));
    }

    /** Whether the session's ratio limit is on now; see {@link SessionConfig#seedRatioLimited()}. */
    public boolean seedRatioLimited() {
        return queue.settings().ratioLimited();
    }

    /** Turns the session's ratio limit on or off, at once: seeds already past it that follow it are paused. */
    public void setSeedRatioLimited(boolean enabled) {
        queue.change(now -> now.withRatio(enabled, now.ratioLimit()));
    }

    /** The session's share ratio limit now, which holds while {@link #seedRatioLimited()}. */
    public double seedRatioLimit() {
        return queue.settings().ratioLimit();
    }

    /**
     * Changes the session's share ratio limit, at once: seeds already past it that follow it are paused.
     *
     * @throws IllegalArgumentException if {@code ratio} is negative or not finite
     */
    public void setSeedRatioLimit(double ratio) {
        SeedLimits.requireRatio(ratio, "seedRatioLimit");
        queue.change(now -> now.withRatio(now.ratioLimited(), ratio));
    }

    /** Whether the session's idle seeding limit is on now; see {@link SessionConfig#seedIdleLimited()}. */
    public boolean seedIdleLimited() {
        return queue.settings().idleLimited();
    }

    /** Turns the session's idle seeding limit on or off, at once: seeds idle past it that follow it are paused. */
    public void setSeedIdleLimited(boolean enabled) {
        queue.change(now -> now.withIdle(enabled, now.idleLimit()));
    }

    /** The session's idle seeding limit now, which holds while {@link #seedIdleLimited()}. */
    public Duration seedIdleLimit() {
        return queue.settings().idleLimit();
    }

    /**
     * Changes the session's idle seeding limit, at once: seeds idle past it that follow it are paused.
     *
     * @throws IllegalArgumentException if {@code idle} is not positive
     */
    public void setSeedIdleLimit(Duration idle) {
        SeedLimits.requireIdle(idle, "seedIdleLimit");
        queue.change(now -> now.withIdle(now.idleLimited(), idle));
    }

    /** The torrents' queue and who applies it; for the handles, and for tests. */
    TorrentQueue queue() {
        return queue;
    }

    /**
     * Something that may start a waiting torrent happened on a swarm's thread or under a lifecycle's lock (a
     * download completed, a swarm failed): the queue looks again on a thread of its own.
     */
    void queueChanged() {
        if (queue.someWaiting()) { // else nothing can start: no thread for each seed that completes at its start
            Thread.ofVirtual().name("queue").start(queue::update);
        }
    }

    /**
     * Sets the block list (at the start, none): from now on its peers are not dialled, connections from them are
     * closed as they are accepted, before any handshake, and the connections to them open now are closed. {@link
     * IpFilter#NONE} lifts it. Peers dialled before and still handshaking are not stopped. Thread-safe.
     */
    public void setIpFilter(IpFilter filter) {
        blocking.set(Objects.requireNonNull(filter, "filter"));
        if (filter.isEmpty()) {
            return;
        }
        for (Swarm swarm : swarms.values()) {
            swarm.closePeers(peer -> !peer.isUnresolved() && filter.blocks(peer.getAddress()),
                    "blocked by the IP filter");
        }
    }

    /** The block list in use; {@link IpFilter#NONE} unless set. */
    public IpFilter ipFilter() {
        return blocking.filter();
    }

    /**
     * How many times the block list blocked a peer since the session started: connections refused at accept,
     * dials not made, and peers from trackers, the DHT, PEX or LSD not kept.
     */
    public long blockedByIpFilter() {
        return blocking.blocked();
    }

    /** Nodes in the routing table of the session's DHT node; 0 when the session runs none. */
    public int dhtNodes() {
        return dht.map(Dht::routingTableSize).orElse(0);
    }

    /**
     * Disk jobs waiting for one of the session's disk threads now: pieces to check and write, reads for uploads,
     * and checks of torrents' data. A queue that keeps growing means the disk is slower than the network.
     */
    public int diskJobsWaiting() {
        return diskPool.getQueue().size();
    }

    /**
     * Bytes of memory the torrents' read caches hold now (pieces read for uploads: cached, or lent to blocks being
     * sent), at most {@link SessionConfig#readCacheBytes()} over all torrents.
     */
    public long readCacheBytes() {
        return budgets.readCache().used();
    }

    /**
     * The payload bytes all torrents moved since the session started, those removed since included; what their
     * resume data kept from earlier runs is not counted (see {@link PayloadTotals}). One pass over the torrents.
     * Never smaller than what an earlier call returned: a torrent being removed, counted neither among the torrents
     * nor yet among the removed, would otherwise make the sum dip for a moment.
     */
    public PayloadTotals payloadTotals() {
        PayloadTotals sum = removedPayload.get();
        for (TorrentHandle handle : torrents.all()) {
            sum = sum.plus(handle.lifecycle().payloadThisSession());
        }
        PayloadTotals now = sum;
        return reportedPayload.accumulateAndGet(now, (reported, next) -> new PayloadTotals(
                Math.max(reported.downloaded(), next.downloaded()), Math.max(reported.uploaded(), next.uploaded())));
    }

    PeerId peerId() {
        return peerId;
    }

    /** How many accepts on the listen socket have failed so far; for tests. */
    long acceptFailures() {
        return acceptLoops.stream().mapToLong(AcceptLoop::failures).sum();
    }

    /** The disk threads and their queue; for tests. */
    ThreadPoolExecutor diskPool() {
        return diskPool;
    }

    /** The budgets the torrents share; for tests. */
    SessionBudgets budgets() {
        return budgets;
    }

    /** What answers and dials connections, with the pools of their buffers; for tests. */
    Handshaker handshaker() {
        return handshaker;
    }

    EventHub events() {
        return events;
    }

    /** Where an incoming connection for {@code infoHash} goes: its running swarm, or its search for metadata. */
    /** The API's encryption setting as the connections' policy. */
    static EncryptionPolicy policy(Encryption encryption) {
        return switch (encryption) {
            case PREFER -> EncryptionPolicy.PREFER;
            case REQUIRE -> EncryptionPolicy.REQUIRE;
            case ALLOW -> EncryptionPolicy.ALLOW;
            case DISABLE -> EncryptionPolicy.DISABLE;
        };
    }

        private ConnectionTarget target(InfoHash infoHash) {
        Swarm swarm = swarms.get(infoHash);
        return swarm != null ? swarm : searches.get(infoHash);
    }

    /** A search for the metadata of {@code handle}'s torrent, not started. */
    MetadataSearch search(TorrentHandle handle) {
        return launcher.search(this, handle);
    }

    /** A search started: incoming connections for its torrent go to it. */
    void searchStarted(MetadataFetch fetch) {
        searches.put(fetch.infoHash(), fetch);
    }

    /** A search stopped: incoming connections for its torrent are refused, until its swarm runs. */
    void searchStopped(MetadataFetch fetch) {
        searches.remove(fetch.infoHash(), fetch);
    }

    /** Keeps the metadata a search fetched, for the next run; a failure only means fetching it again then. */
    void saveMetadata(Torrent torrent) {
        try {
            resume.saveMetadata(torrent);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, torrent.name() + ": cannot keep its metadata: " + e.getMessage());
        }
    }

    /** A torrent's swarm stopped: incoming connections for it are refused from now on. */
    void swarmStopped(Swarm swarm) {
        swarms.remove(swarm.infoHash(), swarm);
    }

    /**
     * Adds a torrent and returns its handle at once. Unless {@code options} say paused, it then checks the data
     * already in its directory (after the checks of torrents added before it) and starts: it connects to peers and
     * announces to its trackers. {@link TorrentHandle#checked()} completes when the check is done.
     *
     * @throws IllegalStateException if a torrent of the same info hash is in the session, or the session is closed
     */
    public TorrentHandle add(Torrent torrent, AddOptions options) {
        Objects.requireNonNull(torrent, "torrent");
        Objects.requireNonNull(options, "options");
        return add(torrent, Optional.empty(), options);
    }

    private TorrentHandle add(Torrent torrent, Optional<MagnetLink> magnet, AddOptions options) {
        if (!torrent.info().isPrivate()) {
            dhtNodesOf(torrent).forEach(this::dhtNode);
        }
        TorrentHandle handle = new TorrentHandle(this, torrent.infoHash(), torrent.name(), Optional.of(torrent),
                magnet, options.downloadDirectory().orElse(config.downloadDirectory()), options);
        register(handle, options);
        if (!options.paused()) {
            activate(handle, null, options.trustData(), false);
        }
        return handle;
    }

    /**
     * Reads a {@code .torrent} file and adds it, as {@link #add(Torrent, AddOptions)}.
     *
     * @throws IOException             if the file cannot be read
     * @throws InvalidTorrentException if it is not a valid torrent
     */
    public TorrentHandle addTorrentFile(Path file, AddOptions options) throws IOException, InvalidTorrentException {
        return add(Torrent.load(Objects.requireNonNull(file, "file")), options);
    }

    /**
     * Adds the torrent whose metainfo ({@code .torrent} file contents) is {@code metainfo}, as {@link
     * #add(Torrent, AddOptions)}.
     *
     * @throws InvalidTorrentException if it is not a valid torrent
     */
    public TorrentHandle add(byte[] metainfo, AddOptions options) throws InvalidTorrentException {
        return add(Torrent.parse(Objects.requireNonNull(metainfo, "metainfo")), options);
    }

    /**
     * Adds a torrent from a magnet link. Its handle is {@link TorrentState.WaitingForMetadata waiting for
     * metadata}, named by the link's display name until the metadata arrives: it is fetched from the link's peers
     * ({@code x.pe}) and those its trackers ({@code tr}) list, and from peers that connect to us for it. Then it is
     * checked and runs as a torrent added from its .torrent file would, with the link's trackers, and downloads the
     * files the link selects ({@code so}, BEP 53) unless {@code options} give priorities. With a resume directory,
     * the metadata is kept there: the same link added again, in this run or the next, starts from it without
     * fetching it.
     *
     * @throws IllegalArgumentException if the link has no v1 info hash ({@code urn:btih}): v2-only links are not
     *                                  supported yet
     * @throws IllegalStateException    if a torrent of the same info hash is in the session
     */
    public TorrentHandle add(MagnetLink magnet, AddOptions options) {
        Objects.requireNonNull(magnet, "magnet");
        InfoHash infoHash = magnet.infoHash().orElseThrow(() -> new IllegalArgumentException(
                "the magnet link has no BitTorrent v1 info hash (urn:btih); v2-only links are not supported yet"));
        Objects.requireNonNull(options, "options");
        Optional<Torrent> saved = resume.savedMetadata(infoHash);
        if (saved.isPresent()) {
            return add(saved.get(), Optional.of(magnet), options.withPaused(options.paused()
                    || options.stopAfterMetadata()));
        }
        return addWithoutMetadata(infoHash, magnet.displayName().orElse(infoHash.hex()), Optional.of(magnet),
                options);
    }

    /**
     * Adds a torrent known only by its info hash; its handle is {@link TorrentState.WaitingForMetadata waiting for
     * metadata}.
     *
     * @throws IllegalStateException if a torrent of the same info hash is in the session
     */
    public TorrentHandle add(InfoHash infoHash, AddOptions options) {
        Objects.requireNonNull(infoHash, "infoHash");
        Objects.requireNonNull(options, "options");
        Optional<Torrent> saved = resume.savedMetadata(infoHash);
        if (saved.isPresent()) {
            return add(saved.get(), Optional.empty(), options.withPaused(options.paused()
                    || options.stopAfterMetadata()));
        }
        return addWithoutMetadata(infoHash, infoHash.hex(), Optional.empty(), options);
    }

    private TorrentHandle addWithoutMetadata(InfoHash infoHash, String name, Optional<MagnetLink> magnet,
                                             AddOptions options) {
        TorrentHandle handle = new TorrentHandle(this, infoHash, name, Optional.empty(), magnet,
                options.downloadDirectory().orElse(config.downloadDirectory()), options);
        register(handle, options);
        handle.lifecycle().startSearch();
        return handle;
    }

    private void register(TorrentHandle handle, AddOptions options) {
        torrents.add(handle);
        queue.add(handle, options.queuePosition(), options.forceStart(), options.seedLimits());
        events.publish(new SessionEvent.TorrentAdded(handle));
    }

    /** Every torrent in the session, in the order they were added. */
    public List<TorrentHandle> torrents() {
        return torrents.all();
    }

    /** The torrent of {@code infoHash}, if it is in the session. */
    public Optional<TorrentHandle> find(InfoHash infoHash) {
        return torrents.find(Objects.requireNonNull(infoHash, "infoHash"));
    }

    /**
     * Removes a torrent: stops it as {@link TorrentHandle#pause()} does, forgets its resume data, and with {@code
     * deleteData} deletes its files (only the files of the torrent, and then the directories of it left empty), or
     * for a torrent kept in an embedder's store, has its {@link PieceStore.Factory#delete} delete its pieces. The
     * handle stops working, and the torrents after it in the queue move up one place.
     *
     * @throws IllegalArgumentException if the handle is of another session
     * @throws IllegalStateException    if it was already removed
     * @throws IOException              if its files (or its store's pieces) cannot all be deleted (the torrent is
     *                                  removed all the same)
     */
    public void remove(TorrentHandle handle, boolean deleteData) throws IOException {
        torrents.remove(Objects.requireNonNull(handle, "handle"));
        queue.remove(handle); // the torrents after it move up
        handle.lifecycle().dispose();
        PayloadTotals moved = handle.lifecycle().payloadThisSession();
        removedPayload.accumulateAndGet(moved, PayloadTotals::plus);
        swarms.remove(handle.infoHash());
        resume.forget(handle.infoHash());
        events.publish(new SessionEvent.TorrentRemoved(handle.infoHash(), handle.name()));
        if (deleteData && handle.torrent().isPresent()) {
            Torrent torrent = handle.torrent().get();
            if (handle.store().isPresent()) {
                PieceStoreStorage.delete(handle.store().get(), torrent);
                return;
            }
            try (FileStorage storage = FileStorage.open(handle.lifecycle().directory(), handle.layout(),
                    torrent.infoHash(), opener)) {
                storage.deleteFiles();
            }
        }
    }

    /**
     * Tells {@code listener} of every event from now on, on a thread of its own (see {@link SessionListener}).
     * Close the subscription to stop.
     */
    public Subscription subscribe(SessionListener listener) {
        return events.subscribe(Objects.requireNonNull(listener, "listener"));
    }

    /** Checks a torrent's data in the background, then starts it (see {@link TorrentStarter#activate}). */
    void activate(TorrentHandle handle, ResumeData memory, boolean trustData, boolean fullCheck) {
        starter.activate(handle, memory, trustData, fullCheck);
    }

    /** The mover of stopped torrents' files. */
    StorageMoves moves() {
        return moves;
    }

    /** Where the torrents' resume files and records are kept, if anywhere. */
    ResumeDirectory resume() {
        return resume;
    }

    /**
     * Stops listening, then stops every torrent, all at once: each tells its trackers {@code stopped} (2 s at
     * most), forces its files and saves its resume data. Returns within about 2 s unless a disk hangs, and then
     * within 30 s. Subscribers get the events already queued, then their subscriptions end. Idempotent.
     */
    @Override
    public void close() {
        Optional<List<TorrentHandle>> all = torrents.close();
        if (all.isEmpty()) {
            return;
        }
        queue.close(); // nothing starts any more
        queueTicker.interrupt();
        listeners.close();
        try (ExecutorService stopping = Executors.newVirtualThreadPerTaskExecutor()) {
            for (TorrentHandle handle : all.get()) {
                stopping.execute(handle::pause);
            }
        }
        localDiscovery.ifPresent(LocalDiscovery::close);
        dhtAnnounces.ifPresent(DhtAnnounces::close);
        dht.ifPresent(Dht::close); // saves its routing table
        udpTrackers.ifPresent(UdpTrackerReplies::close);
        utpTimer.ifPresent(UtpTimer::close);
        utp.ifPresent(UtpEndpoint::close);
        udp.ifPresent(UdpPort::close); // last: everything above sends through it until it ends
        events.close();
        diskPool.shutdown();
    }
}
