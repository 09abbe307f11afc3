package dev.jtorrent.dht;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link Dht} runs: where it listens, whom it bootstraps from, and its bounds. Build one with
 * {@link #builder()}; every setting has a default.
 *
 * @param bind                    the UDP address for IPv4 (or IPv6, for an IPv6-only node); default 0.0.0.0:6881
 * @param bind6                   a second, IPv6 address for a node on both families (BEP 32); default none
 * @param routers                 bootstrap routers, resolved when bootstrapping, never put in the routing table;
 *                                default the four public routers ({@link #DEFAULT_ROUTERS})
 * @param stateFile               routing table and node id saved by {@link Dht#save} and loaded at start; default none
 * @param allowLocalAddresses     whether loopback and private addresses may be nodes and peers: for tests and LANs
 * @param maxNodes                nodes in a routing table (per family); default {@value #DEFAULT_MAX_NODES}
 * @param maxNodesPerIp           routing table entries with one IP address; default 1, as libtorrent
 * @param maxNodesPerSubnet       nodes of one /24 (IPv6 /64) in one bucket; default 1, as libtorrent, and at 1 a
 *                                lookup also takes one node of each /24 (libtorrent's {@code dht_restrict_search_ips})
 * @param maxOutstanding          our queries awaiting an answer at once; default {@value #DEFAULT_MAX_OUTSTANDING}
 * @param maxLookups              lookups running at once; default {@value #DEFAULT_MAX_LOOKUPS}
 * @param queriesPerSecond        incoming queries answered per second in all; default
 *                                {@value #DEFAULT_QUERIES_PER_SECOND}
 * @param queriesPerSecondPerIp   incoming queries answered per second from one IP; default
 *                                {@value #DEFAULT_QUERIES_PER_SECOND_PER_IP}
 * @param maxTorrents             info hashes whose announced peers are stored; default {@value #DEFAULT_MAX_TORRENTS}
 * @param maxPeersPerTorrent      peers stored per info hash; default {@value #DEFAULT_MAX_PEERS_PER_TORRENT}
 */
public record DhtConfig(InetSocketAddress bind, Optional<InetSocketAddress> bind6, List<InetSocketAddress> routers,
                        Optional<Path> stateFile, boolean allowLocalAddresses, int maxNodes, int maxNodesPerIp,
                        int maxNodesPerSubnet, int maxOutstanding, int maxLookups, int queriesPerSecond,
                        int queriesPerSecondPerIp, int maxTorrents, int maxPeersPerTorrent) {
    /** The public routers libtorrent and others bootstrap from; resolved lazily, a failed lookup skipped. */
    public static final List<InetSocketAddress> DEFAULT_ROUTERS = List.of(
            InetSocketAddress.createUnresolved("router.bittorrent.com", 6881),
            InetSocketAddress.createUnresolved("dht.transmissionbt.com", 6881),
            InetSocketAddress.createUnresolved("router.utorrent.com", 6881),
            InetSocketAddress.createUnresolved("dht.libtorrent.org", 25401));
    public static final int DEFAULT_PORT = 6881;
    /** 160 buckets of 8 could hold 1,280; a real table holds 150-300, so this bound only stops abuse. */
    public static final int DEFAULT_MAX_NODES = 1000;
    public static final int DEFAULT_MAX_OUTSTANDING = 256;
    public static final int DEFAULT_MAX_LOOKUPS = 64;
    public static final int DEFAULT_QUERIES_PER_SECOND = 500;
    /** libtorrent allows 5 a second per IP; a little more here, since one host may run several honest lookups. */
    public static final int DEFAULT_QUERIES_PER_SECOND_PER_IP = 10;
    public static final int DEFAULT_MAX_TORRENTS = 2000;
    public static final int DEFAULT_MAX_PEERS_PER_TORRENT = 100;
    /** Ceiling of {@link #maxOutstanding}: transaction ids are two bytes. */
    static final int OUTSTANDING_CEILING = 4096;

    public DhtConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(bind6, "bind6");
        routers = List.copyOf(routers);
        Objects.requireNonNull(stateFile, "stateFile");
        positive("maxNodes", maxNodes);
        positive("maxNodesPerIp", maxNodesPerIp);
        positive("maxNodesPerSubnet", maxNodesPerSubnet);
        positive("maxOutstanding", maxOutstanding);
        positive("maxLookups", maxLookups);
        positive("queriesPerSecond", queriesPerSecond);
        positive("queriesPerSecondPerIp", queriesPerSecondPerIp);
        positive("maxTorrents", maxTorrents);
        positive("maxPeersPerTorrent", maxPeersPerTorrent);
        if (maxOutstanding > OUTSTANDING_CEILING) {
            throw new IllegalArgumentException("maxOutstanding must be at most " + OUTSTANDING_CEILING);
        }
        if (bind6.isPresent() && Family.of(bind6.get().getAddress()) != Family.IPV6) {
            throw new IllegalArgumentException("bind6 must be an IPv6 address: " + bind6.get());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** Collects settings; each method replaces the default. */
    public static final class Builder {
        private InetSocketAddress bind = new InetSocketAddress(DEFAULT_PORT);
        private Optional<InetSocketAddress> bind6 = Optional.empty();
        private List<InetSocketAddress> routers = DEFAULT_ROUTERS;
        private Optional<Path> stateFile = Optional.empty();
        private boolean allowLocalAddresses;
        private int maxNodes = DEFAULT_MAX_NODES;
        private int maxNodesPerIp = 1;
        private int maxNodesPerSubnet = 1;
        private int maxOutstanding = DEFAULT_MAX_OUTSTANDING;
        private int maxLookups = DEFAULT_MAX_LOOKUPS;
        private int queriesPerSecond = DEFAULT_QUERIES_PER_SECOND;
        private int queriesPerSecondPerIp = DEFAULT_QUERIES_PER_SECOND_PER_IP;
        private int maxTorrents = DEFAULT_MAX_TORRENTS;
        private int maxPeersPerTorrent = DEFAULT_MAX_PEERS_PER_TORRENT;

        private Builder() {
        }

        private Builder(DhtConfig c) {
            bind = c.bind;
            bind6 = c.bind6;
            routers = c.routers;
            stateFile = c.stateFile;
            allowLocalAddresses = c.allowLocalAddresses;
            maxNodes = c.maxNodes;
            maxNodesPerIp = c.maxNodesPerIp;
            maxNodesPerSubnet = c.maxNodesPerSubnet;
            maxOutstanding = c.maxOutstanding;
            maxLookups = c.maxLookups;
            queriesPerSecond = c.queriesPerSecond;
            queriesPerSecondPerIp = c.queriesPerSecondPerIp;
            maxTorrents = c.maxTorrents;
            maxPeersPerTorrent = c.maxPeersPerTorrent;
        }

        public Builder bind(InetSocketAddress address) {
            this.bind = address;
            return this;
        }

        public Builder bind6(InetSocketAddress address) {
            this.bind6 = Optional.of(address);
            return this;
        }

        public Builder routers(List<InetSocketAddress> routers) {
            this.routers = routers;
            return this;
        }

        public Builder stateFile(Path file) {
            this.stateFile = Optional.of(file);
            return this;
        }

        public Builder allowLocalAddresses(boolean allow) {
            this.allowLocalAddresses = allow;
            return this;
        }

        public Builder maxNodes(int n) {
            this.maxNodes = n;
            return this;
        }

        public Builder maxNodesPerIp(int n) {
            this.maxNodesPerIp = n;
            return this;
        }

        public Builder maxNodesPerSubnet(int n) {
            this.maxNodesPerSubnet = n;
            return this;
        }

        public Builder maxOutstanding(int n) {
            this.maxOutstanding = n;
            return this;
        }

        public Builder maxLookups(int n) {
            this.maxLookups = n;
            return this;
        }

        public Builder queriesPerSecond(int n) {
            this.queriesPerSecond = n;
            return this;
        }

        public Builder queriesPerSecondPerIp(int n) {
            this.queriesPerSecondPerIp = n;
            return this;
        }

        public Builder maxTorrents(int n) {
            this.maxTorrents = n;
            return this;
        }

        public Builder maxPeersPerTorrent(int n) {
            this.maxPeersPerTorrent = n;
            return this;
        }

        public DhtConfig build() {
            return new DhtConfig(bind, bind6, routers, stateFile, allowLocalAddresses, maxNodes, maxNodesPerIp,
                    maxNodesPerSubnet, maxOutstanding, maxLookups, queriesPerSecond, queriesPerSecondPerIp,
                    maxTorrents, maxPeersPerTorrent);
        }
    }
}
