package dev.jtorrent.session;

import dev.jtorrent.budget.FairBudget;
import dev.jtorrent.budget.RateBudget;
import dev.jtorrent.budget.SessionBudgets;
import dev.jtorrent.dht.DhtConfig;
import dev.jtorrent.net.BindAddresses;
import dev.jtorrent.swarm.SwarmConfig;
import dev.jtorrent.tracker.TrackerConfig;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a {@link Session}, immutable; made by {@link #builder()}, whose every setting has a documented
 * default, so {@code SessionConfig.builder().build()} is a working configuration.
 *
 * <pre>{@code
 * SessionConfig config = SessionConfig.builder()
 *         .port(51413)
 *         .resumeDirectory(Path.of("state/resume"))
 *         .maxPeersPerTorrent(80)
 *         .build();
 * }</pre>
 */
public final class SessionConfig {
    /**
     * UDP announces give up after 5 s + 10 s without a reply. BEP 15's full schedule (15 s * 2^n for n up to 8) adds
     * up to more than two hours, all that time holding one of the torrent's announces in flight ({@link
     * AnnouncePolicy#maxInFlight}) for a tracker that is most likely dead. The announcer retries a failed tracker
     * itself (after 30 s, doubling), which stands in for the longer retransmissions; libtorrent likewise gives a UDP
     * tracker about 10 s.
     */
    static final TrackerConfig TRACKER = TrackerConfig.DEFAULTS.withUdpRetransmission(Duration.ofSeconds(5), 1);

    private final List<InetAddress> bindAddresses;
    private final int port;
    private final Optional<Path> resumeDirectory;
    private final Path downloadDirectory;
    private final SwarmConfig swarm;
    private final TrackerConfig tracker;
    private final int maxConnections;
    private final int maxHalfOpen;
    private final long maxInFlightBytes;
    private final long readCacheBytes;
    private final long uploadLimit;
    private final long downloadLimit;
    private final boolean lsd;
    private final boolean dht;
    private final Optional<List<InetSocketAddress>> dhtBootstrap;
    private final Encryption encryption;
    private final boolean tcp;
    private final boolean utp;
    /** The queues and seed limits: see {@link TorrentQueue}. */
    private final boolean downloadQueueEnabled;
    private final int downloadQueueSize;
    private final boolean seedQueueEnabled;
    private final int seedQueueSize;
    private final boolean queueStalledEnabled;
    private final Duration queueStalledAfter;
    private final boolean seedRatioLimited;
    private final double seedRatioLimit;
    private final boolean seedIdleLimited;
    private final Duration seedIdleLimit;

    /** libtorrent's {@code connections_limit}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 200;
    /**
     * libtorrent paces attempts instead (30 a second, {@code connection_speed}), which with our 5 s connect timeout
     * allows about 150 in progress; 100 keeps a session's sockets in their handshakes well under its connections.
     */
    public static final int DEFAULT_MAX_HALF_OPEN = 100;
    /** Four torrents' worth of the per-torrent default (64 MiB). */
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 256L * 1024 * 1024;
    /** Four torrents' worth of the per-torrent read cache (32 MiB). */
    public static final long DEFAULT_READ_CACHE_BYTES = 128L * 1024 * 1024;

    private SessionConfig(Builder builder) {
        this.bindAddresses = List.copyOf(builder.bindAddresses);
        this.port = builder.port;
        this.resumeDirectory = builder.resumeDirectory;
        this.downloadDirectory = builder.downloadDirectory;
        this.swarm = builder.swarm;
        this.tracker = builder.tracker.withBindAddresses(new BindAddresses(bindAddresses));
        this.maxConnections = builder.maxConnections;
        this.maxHalfOpen = builder.maxHalfOpen;
        this.maxInFlightBytes = builder.maxInFlightBytes;
        this.readCacheBytes = builder.readCacheBytes;
        this.uploadLimit = builder.uploadLimit;
        this.downloadLimit = builder.downloadLimit;
        this.lsd = builder.lsd;
        this.dht = builder.dht;
        this.dhtBootstrap = builder.dhtBootstrap;
        this.encryption = builder.encryption;
        this.tcp = builder.tcp;
        this.utp = builder.utp;
        this.downloadQueueEnabled = builder.downloadQueueEnabled;
        this.downloadQueueSize = builder.downloadQueueSize;
        this.seedQueueEnabled = builder.seedQueueEnabled;
        this.seedQueueSize = builder.seedQueueSize;
        this.queueStalledEnabled = builder.queueStalledEnabled;
        this.queueStalledAfter = builder.queueStalledAfter;
        this.seedRatioLimited = builder.seedRatioLimited;
        this.seedRatioLimit = builder.seedRatioLimit;
        this.seedIdleLimited = builder.seedIdleLimited;
        this.seedIdleLimit = builder.seedIdleLimit;
    }

    /** A builder holding every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.bindAddresses = new ArrayList<>(bindAddresses);
        builder.port = port;
        builder.resumeDirectory = resumeDirectory;
        builder.downloadDirectory = downloadDirectory;
        builder.swarm = swarm;
        builder.tracker = tracker;
        builder.maxConnections = maxConnections;
        builder.maxHalfOpen = maxHalfOpen;
        builder.maxInFlightBytes = maxInFlightBytes;
        builder.readCacheBytes = readCacheBytes;
        builder.uploadLimit = uploadLimit;
        builder.downloadLimit = downloadLimit;
        builder.lsd = lsd;
        builder.dht = dht;
        builder.dhtBootstrap = dhtBootstrap;
        builder.encryption = encryption;
        builder.tcp = tcp;
        builder.utp = utp;
        builder.downloadQueueEnabled = downloadQueueEnabled;
        builder.downloadQueueSize = downloadQueueSize;
        builder.seedQueueEnabled = seedQueueEnabled;
        builder.seedQueueSize = seedQueueSize;
        builder.queueStalledEnabled = queueStalledEnabled;
        builder.queueStalledAfter = queueStalledAfter;
        builder.seedRatioLimited = seedRatioLimited;
        builder.seedRatioLimit = seedRatioLimit;
        builder.seedIdleLimited = seedIdleLimited;
        builder.seedIdleLimit = seedIdleLimit;
        return builder;
    }

    /**
     * The addresses to listen on and to connect and announce from, in the order given; empty (the default) for every
     * address of both families. With several, the session listens on each, all on one port ({@link Session#port()}),
     * and a connection to a peer or a tracker leaves from the first one of the remote's family: a peer of a family
     * none of them has is not dialled at all. With none, the session listens on IPv6's {@code ::} with a dual-stack
     * socket (IPv4 peers reach it too), where the system allows it, and on IPv4's {@code 0.0.0.0} where it does
     * not (IPv6 off, or {@code -Djava.net.preferIPv4Stack}). IPv6's {@code ::} given as an address means the same;
     * IPv4's {@code 0.0.0.0} means every IPv4 address, and no IPv6.
     */
    public List<InetAddress> bindAddresses() {
        return bindAddresses;
    }

    /** {@link #bindAddresses()}, as the connections pick from them. */
    BindAddresses binds() {
        return new BindAddresses(bindAddresses);
    }

    /** The listen port; 0 lets the system pick a free one ({@link Session#port()} says which). Default 6881. */
    public int port() {
        return port;
    }

    /**
     * Where each torrent's resume data is kept, one file named by its info hash; empty (the default) for none, so
     * that every start checks the data.
     */
    public Optional<Path> resumeDirectory() {
        return resumeDirectory;
    }

    /** Where a torrent's files go when {@link AddOptions} names no directory. Default: the working directory. */
    public Path downloadDirectory() {
        return downloadDirectory;
    }

    /** Connections one torrent keeps at most. Default 50. */
    public int maxPeersPerTorrent() {
        return swarm.maxPeers();
    }

    /** Peers each torrent uploads to at once, besides one optimistic unchoke. Default 4. */
    public int uploadSlots() {
        return swarm.uploadSlots();
    }

    /**
     * Whether torrents exchange peers with their peers (BEP 11 {@code ut_pex}): tell each which others they are
     * connected to, and dial those it names. Private torrents never do (BEP 27). Default true.
     */
    public boolean pex() {
        return swarm.pex();
    }

    /**
     * Peer connections the session keeps at most, over all its torrents, outgoing attempts included; each torrent
     * also keeps at most {@link #maxPeersPerTorrent()}. Default 200, libtorrent's {@code connections_limit}.
     */
    public int maxConnections() {
        return maxConnections;
    }

    /** Outgoing connection attempts in progress at most, over all torrents. Default 100. */
    public int maxHalfOpen() {
        return maxHalfOpen;
    }

    /** Bytes of memory for the pieces being downloaded, over all torrents. Default 256 MiB. */
    public long maxInFlightBytes() {
        return maxInFlightBytes;
    }

    /** Bytes of memory for pieces read for uploads, over all torrents. Default 128 MiB. */
    public long readCacheBytes() {
        return readCacheBytes;
    }

    /** Payload bytes a second that all torrents upload at most, together; 0 (the default) for no limit. */
    public long uploadLimit() {
        return uploadLimit;
    }

    /** Payload bytes a second that all torrents download at most, together; 0 (the default) for no limit. */
    public long downloadLimit() {
        return downloadLimit;
    }

    /**
     * Whether running torrents are announced on the LAN and peers found there, by Local Service Discovery (BEP 14):
     * multicast on the interface of each of {@link #bindAddresses()} (over IPv4 from an IPv4 address, over IPv6 on
     * {@code [ff15::efc0:988f]:6771} from an IPv6 one), or with no bind address on every interface that can
     * multicast, loopback aside, over both families. Private torrents never are (BEP 27). Default true, as in
     * libtorrent.
     */
    public boolean lsd() {
        return lsd;
    }

    /**
     * Whether the session runs a DHT node (BEP 5, BEP 42) on the UDP port of its listen port: public torrents are
     * announced there and their peers looked up, torrents added by magnet link find their peers there, and the
     * routing table is saved in the resume directory ({@code dht.dat}) for the next start. Private torrents never use
     * it (BEP 27). Default true, as in libtorrent.
     */
    public boolean dht() {
        return dht;
    }

    /**
     * When peer connections use protocol encryption (MSE); default {@link Encryption#PREFER}, as in Transmission
     * and libtorrent.
     */
    public Encryption encryption() {
        return encryption;
    }

    /**
     * Whether peer connections run over TCP: dialled, and accepted on the listen port. Default true. Without TCP,
     * incoming TCP connections are closed at once, as libtorrent does without {@code enable_incoming_tcp}.
     */
    public boolean tcp() {
        return tcp;
    }

    /**
     * Whether peer connections run over uTP (BEP 29), on the UDP side of the listen port: dialled first, with TCP
     * a head start later, as libtorrent prefers uTP, and accepted. Default true.
     */
    public boolean utp() {
        return utp;
    }

    /**
     * The DHT nodes to join the DHT through (routers, which are never put in the routing table, as libtorrent
     * treats its {@code dht_bootstrap_nodes}). Default: the well-known public routers (router.bittorrent.com,
     * dht.transmissionbt.com, router.utorrent.com, dht.libtorrent.org:25401), except for a session bound to
     * loopback addresses alone, which cannot reach them and starts from its saved routing table alone.
     */
    public List<InetSocketAddress> dhtBootstrap() {
        boolean loopbackOnly = !bindAddresses.isEmpty()
                && bindAddresses.stream().allMatch(InetAddress::isLoopbackAddress);
        return dhtBootstrap.orElseGet(() -> loopbackOnly ? List.of() : DhtConfig.DEFAULT_ROUTERS);
    }

    /**
     * Whether the download queue is on: at most {@link #downloadQueueSize()} torrents download at once, the others
     * waiting {@link TorrentState.QueuedToDownload queued} in queue order ({@link TorrentHandle#queuePosition()}).
     * Default true, as Transmission's {@code download-queue-enabled}. {@link Session#setDownloadQueueEnabled} changes
     * it while the session runs.
     */
    public boolean downloadQueueEnabled() {
        return downloadQueueEnabled;
    }

    /**
     * Torrents downloading at once at most, while the download queue is on; one that is force-started ({@link
     * TorrentHandle#setForceStart}), stalled ({@link #queueStalledAfter()}) or stopped by an error does not count.
     * Default 5, as Transmission's {@code download-queue-size}.
     */
    public int downloadQueueSize() {
        return downloadQueueSize;
    }

    /**
     * Whether the seed queue is on: at most {@link #seedQueueSize()} torrents seed at once, the others waiting
     * {@link TorrentState.QueuedToSeed queued}. Default false, as Transmission's {@code seed-queue-enabled}.
     */
    public boolean seedQueueEnabled() {
        return seedQueueEnabled;
    }

    /** Torrents seeding at once at most, while the seed queue is on; default 10, as Transmission's. */
    public int seedQueueSize() {
        return seedQueueSize;
    }

    /**
     * Whether a running torrent that moved no payload, either way, for {@link #queueStalledAfter()} stops counting
     * against its queue, so that the next one starts (it keeps running, and counts again once payload moves).
     * Default true, as Transmission's {@code queue-stalled-enabled}.
     */
    public boolean queueStalledEnabled() {
        return queueStalledEnabled;
    }

    /** How long without payload makes a running torrent stalled; default 30 minutes ({@code queue-stalled-minutes}). */
    public Duration queueStalledAfter() {
        return queueStalledAfter;
    }

    /**
     * Whether seeds stop at {@link #seedRatioLimit()}: a seeding torrent whose ratio ({@link TorrentStatus#ratio()})
     * reaches it is paused, unless its own {@link SeedLimits} say otherwise. Default false, as Transmission's {@code
     * ratio-limit-enabled}.
     */
    public boolean seedRatioLimited() {
        return seedRatioLimited;
    }

    /** The session's share ratio limit, while {@link #seedRatioLimited()}; default 2.0, as Transmission's. */
    public double seedRatioLimit() {
        return seedRatioLimit;
    }

    /**
     * Whether seeds stop after uploading nothing for {@link #seedIdleLimit()} (counted from the start of their run),
     * unless their own {@link SeedLimits} say otherwise. Default false, as Transmission's {@code
     * idle-seeding-limit-enabled}.
     */
    public boolean seedIdleLimited() {
        return seedIdleLimited;
    }

    /** The session's idle seeding limit, while {@link #seedIdleLimited()}; default 30 minutes, as Transmission's. */
    public Duration seedIdleLimit() {
        return seedIdleLimit;
    }

    /** The budgets these limits make, one set for the whole session, shared by its torrents. */
    SessionBudgets budgets() {
        return new SessionBudgets(new FairBudget("connections", maxConnections),
                new FairBudget("connection attempts", maxHalfOpen),
                new FairBudget("bytes of pieces in flight", maxInFlightBytes),
                new FairBudget("bytes of read cache", readCacheBytes),
                new RateBudget(uploadLimit), new RateBudget(downloadLimit));
    }

    SwarmConfig swarm() {
        return swarm;
    }

    TrackerConfig tracker() {
        return tracker;
    }

    /** These settings with the swarm's internal ones replaced; for tests. */
    SessionConfig withSwarm(SwarmConfig value) {
        return toBuilder().swarm(value).build();
    }

    /** These settings with the tracker client's replaced; for tests. */
    SessionConfig withTracker(TrackerConfig value) {
        return toBuilder().tracker(value).build();
    }

    /** These settings with other session-wide connection limits; for tests. */
    SessionConfig withConnectionLimits(int connections, int halfOpen) {
        return toBuilder().maxConnections(connections).maxHalfOpen(halfOpen).build();
    }

    /** These settings with other session-wide memory limits; for tests. */
    SessionConfig withMemoryLimits(long inFlightBytes, long cacheBytes) {
        return toBuilder().maxInFlightBytes(inFlightBytes).readCacheBytes(cacheBytes).build();
    }

    /** These settings with other session-wide rate limits; for tests. */
    SessionConfig withRateLimits(long upload, long download) {
        return toBuilder().uploadLimit(upload).downloadLimit(download).build();
    }

    @Override
    public String toString() {
        return "SessionConfig[bind=" + binds() + ", port=" + port
                + ", resume=" + resumeDirectory.map(Path::toString).orElse("none") + ", downloads=" + downloadDirectory
                + ", maxPeersPerTorrent=" + maxPeersPerTorrent() + ", uploadSlots=" + uploadSlots()
                + ", maxConnections=" + maxConnections + ", maxHalfOpen=" + maxHalfOpen + ", maxInFlightBytes="
                + maxInFlightBytes + ", readCacheBytes=" + readCacheBytes + ", uploadLimit=" + uploadLimit
                + ", downloadLimit=" + downloadLimit + ", pex=" + pex() + ", lsd=" + lsd + ", dht=" + dht
                + ", encryption=" + encryption + ", tcp=" + tcp + ", utp=" + utp
                + ", downloadQueue=" + (downloadQueueEnabled ? downloadQueueSize : "off")
                + ", seedQueue=" + (seedQueueEnabled ? seedQueueSize : "off")
                + ", queueStalled=" + (queueStalledEnabled ? queueStalledAfter : "off")
                + ", seedRatioLimit=" + (seedRatioLimited ? seedRatioLimit : "off")
                + ", seedIdleLimit=" + (seedIdleLimited ? seedIdleLimit : "off") + "]";
    }

    /** Makes a {@link SessionConfig}; not thread-safe. Each setter checks its value at once. */
    public static final class Builder {
        private List<InetAddress> bindAddresses = new ArrayList<>();
        private int port = 6881;
        private Optional<Path> resumeDirectory = Optional.empty();
        private Path downloadDirectory = Path.of("");
        private SwarmConfig swarm = SwarmConfig.DEFAULT;
        private TrackerConfig tracker = TRACKER;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxHalfOpen = DEFAULT_MAX_HALF_OPEN;
        private long maxInFlightBytes = DEFAULT_MAX_IN_FLIGHT_BYTES;
        private long readCacheBytes = DEFAULT_READ_CACHE_BYTES;
        private long uploadLimit;
        private boolean dht = true;
        private Optional<List<InetSocketAddress>> dhtBootstrap = Optional.empty();
        private long downloadLimit;
        private boolean lsd = true;
        private Encryption encryption = Encryption.PREFER;
        private boolean tcp = true;
        private boolean utp = true;
        private boolean downloadQueueEnabled = true;
        private int downloadQueueSize = TorrentQueue.DEFAULT_DOWNLOAD_QUEUE_SIZE;
        private boolean seedQueueEnabled;
        private int seedQueueSize = TorrentQueue.DEFAULT_SEED_QUEUE_SIZE;
        private boolean queueStalledEnabled = true;
        private Duration queueStalledAfter = TorrentQueue.DEFAULT_STALLED_AFTER;
        private boolean seedRatioLimited;
        private double seedRatioLimit = TorrentQueue.DEFAULT_RATIO_LIMIT;
        private boolean seedIdleLimited;
        private Duration seedIdleLimit = TorrentQueue.DEFAULT_IDLE_LIMIT;

        private Builder() {
        }

        /** Adds one address to {@link SessionConfig#bindAddresses()}; an address given twice counts once. */
        public Builder bindAddress(InetAddress address) {
            Objects.requireNonNull(address, "address");
            if (!bindAddresses.contains(address)) {
                bindAddresses.add(address);
            }
            return this;
        }

        /** Replaces {@link SessionConfig#bindAddresses()}; empty for every address of both families. */
        public Builder bindAddresses(List<InetAddress> addresses) {
            List<InetAddress> copy = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
            bindAddresses = new ArrayList<>();
            copy.forEach(this::bindAddress);
            return this;
        }

        /**
         * See {@link SessionConfig#port()}.
         *
         * @throws IllegalArgumentException if {@code port} is not in 0..65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** See {@link SessionConfig#resumeDirectory()}; created when first written to. */
        public Builder resumeDirectory(Path directory) {
            this.resumeDirectory = Optional.of(Objects.requireNonNull(directory, "directory"));
            return this;
        }

        /** See {@link SessionConfig#downloadDirectory()}. */
        public Builder downloadDirectory(Path directory) {
            this.downloadDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * See {@link SessionConfig#maxPeersPerTorrent()}.
         *
         * @throws IllegalArgumentException if {@code peers} is under 1
         */
        public Builder maxPeersPerTorrent(int peers) {
            if (peers < 1) {
                throw new IllegalArgumentException("maxPeersPerTorrent must be at least 1: " + peers);
            }
            this.swarm = swarm.withMaxPeers(peers);
            return this;
        }

        /**
         * See {@link SessionConfig#uploadSlots()}.
         *
         * @throws IllegalArgumentException if {@code slots} is negative
         */
        public Builder uploadSlots(int slots) {
            if (slots < 0) {
                throw new IllegalArgumentException("uploadSlots must not be negative: " + slots);
            }
            this.swarm = swarm.withUploadSlots(slots);
            return this;
        }

        /** See {@link SessionConfig#pex()}. */
        public Builder pex(boolean on) {
            this.swarm = swarm.withPex(on);
            return this;
        }

        /**
         * See {@link SessionConfig#maxConnections()}.
         *
         * @throws IllegalArgumentException if {@code connections} is under 1
         */
        public Builder maxConnections(int connections) {
            this.maxConnections = (int) atLeastOne("maxConnections", connections);
            return this;
        }

        /**
         * See {@link SessionConfig#maxHalfOpen()}.
         *
         * @throws IllegalArgumentException if {@code attempts} is under 1
         */
        public Builder maxHalfOpen(int attempts) {
            this.maxHalfOpen = (int) atLeastOne("maxHalfOpen", attempts);
            return this;
        }

        /**
         * See {@link SessionConfig#maxInFlightBytes()}.
         *
         * @throws IllegalArgumentException if {@code bytes} is under 1
         */
        public Builder maxInFlightBytes(long bytes) {
            this.maxInFlightBytes = atLeastOne("maxInFlightBytes", bytes);
            return this;
        }

        /**
         * See {@link SessionConfig#readCacheBytes()}.
         *
         * @throws IllegalArgumentException if {@code bytes} is under 1
         */
        public Builder readCacheBytes(long bytes) {
            this.readCacheBytes = atLeastOne("readCacheBytes", bytes);
            return this;
        }

        /**
         * See {@link SessionConfig#uploadLimit()}.
         *
         * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
         */
        public Builder uploadLimit(long bytesPerSecond) {
            this.uploadLimit = notNegative("uploadLimit", bytesPerSecond);
            return this;
        }

        /**
         * See {@link SessionConfig#downloadLimit()}.
         *
         * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
         */
        public Builder downloadLimit(long bytesPerSecond) {
            this.downloadLimit = notNegative("downloadLimit", bytesPerSecond);
            return this;
        }

        /** See {@link SessionConfig#dht()}. */
        public Builder dht(boolean enabled) {
            this.dht = enabled;
            return this;
        }

        /** See {@link SessionConfig#encryption()}. */
        public Builder encryption(Encryption encryption) {
            this.encryption = Objects.requireNonNull(encryption, "encryption");
            return this;
        }

        /** See {@link SessionConfig#tcp()}. */
        public Builder tcp(boolean enabled) {
            this.tcp = enabled;
            return this;
        }

        /** See {@link SessionConfig#utp()}. */
        public Builder utp(boolean enabled) {
            this.utp = enabled;
            return this;
        }

        /**
         * Replaces the default DHT routers; see {@link SessionConfig#dhtBootstrap()}. Host names are resolved when
         * the node bootstraps, and one that does not resolve is skipped.
         *
         * @throws IllegalArgumentException if a port is 0
         */
        public Builder dhtBootstrap(List<InetSocketAddress> nodes) {
            for (InetSocketAddress node : nodes) {
                if (node.getPort() == 0) {
                    throw new IllegalArgumentException("a DHT bootstrap node needs a port: " + node);
                }
            }
            this.dhtBootstrap = Optional.of(List.copyOf(nodes));
            return this;
        }

        /** See {@link SessionConfig#lsd()}. */
        public Builder lsd(boolean enabled) {
            this.lsd = enabled;
            return this;
        }

        /** See {@link SessionConfig#downloadQueueEnabled()}. */
        public Builder downloadQueueEnabled(boolean enabled) {
            this.downloadQueueEnabled = enabled;
            return this;
        }

        /**
         * See {@link SessionConfig#downloadQueueSize()}.
         *
         * @throws IllegalArgumentException if {@code torrents} is negative
         */
        public Builder downloadQueueSize(int torrents) {
            this.downloadQueueSize = (int) notNegative("downloadQueueSize", torrents);
            return this;
        }

        /** See {@link SessionConfig#seedQueueEnabled()}. */
        public Builder seedQueueEnabled(boolean enabled) {
            this.seedQueueEnabled = enabled;
            return this;
        }

        /**
         * See {@link SessionConfig#seedQueueSize()}.
         *
         * @throws IllegalArgumentException if {@code torrents} is negative
         */
        public Builder seedQueueSize(int torrents) {
            this.seedQueueSize = (int) notNegative("seedQueueSize", torrents);
            return this;
        }

        /** See {@link SessionConfig#queueStalledEnabled()}. */
        public Builder queueStalledEnabled(boolean enabled) {
            this.queueStalledEnabled = enabled;
            return this;
        }

        /**
         * See {@link SessionConfig#queueStalledAfter()}.
         *
         * @throws IllegalArgumentException if {@code after} is not positive
         */
        public Builder queueStalledAfter(Duration after) {
            this.queueStalledAfter = SeedLimits.requireIdle(after, "queueStalledAfter");
            return this;
        }

        /** See {@link SessionConfig#seedRatioLimited()}. */
        public Builder seedRatioLimited(boolean enabled) {
            this.seedRatioLimited = enabled;
            return this;
        }

        /**
         * See {@link SessionConfig#seedRatioLimit()}.
         *
         * @throws IllegalArgumentException if {@code ratio} is negative or not finite
         */
        public Builder seedRatioLimit(double ratio) {
            this.seedRatioLimit = SeedLimits.requireRatio(ratio, "seedRatioLimit");
            return this;
        }

        /** See {@link SessionConfig#seedIdleLimited()}. */
        public Builder seedIdleLimited(boolean enabled) {
            this.seedIdleLimited = enabled;
            return this;
        }

        /**
         * See {@link SessionConfig#seedIdleLimit()}.
         *
         * @throws IllegalArgumentException if {@code idle} is not positive
         */
        public Builder seedIdleLimit(Duration idle) {
            this.seedIdleLimit = SeedLimits.requireIdle(idle, "seedIdleLimit");
            return this;
        }

        static long atLeastOne(String name, long value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1: " + value);
            }
            return value;
        }

        static long notNegative(String name, long value) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " must not be negative: " + value);
            }
            return value;
        }

        Builder swarm(SwarmConfig value) {
            this.swarm = Objects.requireNonNull(value);
            return this;
        }

        Builder tracker(TrackerConfig value) {
            this.tracker = Objects.requireNonNull(value);
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException if both TCP and uTP are off
         */
        public SessionConfig build() {
            if (!tcp && !utp) {
                throw new IllegalArgumentException("peer connections need a transport: TCP, uTP or both");
            }
            return new SessionConfig(this);
        }
    }
}
