package dev.jtorrent.session;

import dev.jtorrent.swarm.SwarmConfig;
import dev.jtorrent.tracker.TrackerConfig;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
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

    private final Optional<InetAddress> bindAddress;
    private final int port;
    private final Optional<Path> resumeDirectory;
    private final Path downloadDirectory;
    private final SwarmConfig swarm;
    private final TrackerConfig tracker;

    private SessionConfig(Builder builder) {
        this.bindAddress = builder.bindAddress;
        this.port = builder.port;
        this.resumeDirectory = builder.resumeDirectory;
        this.downloadDirectory = builder.downloadDirectory;
        this.swarm = builder.swarm;
        this.tracker = builder.bindAddress.map(builder.tracker::withBindAddress).orElse(builder.tracker);
    }

    /** A builder holding every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.bindAddress = bindAddress;
        builder.port = port;
        builder.resumeDirectory = resumeDirectory;
        builder.downloadDirectory = downloadDirectory;
        builder.swarm = swarm;
        builder.tracker = tracker;
        return builder;
    }

    /** The address to listen on and to connect and announce from; empty for every address (the default). */
    public Optional<InetAddress> bindAddress() {
        return bindAddress;
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

    @Override
    public String toString() {
        return "SessionConfig[bind=" + bindAddress.map(InetAddress::getHostAddress).orElse("*") + ", port=" + port
                + ", resume=" + resumeDirectory.map(Path::toString).orElse("none") + ", downloads=" + downloadDirectory
                + ", maxPeersPerTorrent=" + maxPeersPerTorrent() + ", uploadSlots=" + uploadSlots() + "]";
    }

    /** Makes a {@link SessionConfig}; not thread-safe. Each setter checks its value at once. */
    public static final class Builder {
        private Optional<InetAddress> bindAddress = Optional.empty();
        private int port = 6881;
        private Optional<Path> resumeDirectory = Optional.empty();
        private Path downloadDirectory = Path.of("");
        private SwarmConfig swarm = SwarmConfig.DEFAULT;
        private TrackerConfig tracker = TRACKER;

        private Builder() {
        }

        /** See {@link SessionConfig#bindAddress()}. */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Optional.of(Objects.requireNonNull(address, "address"));
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

        Builder swarm(SwarmConfig value) {
            this.swarm = Objects.requireNonNull(value);
            return this;
        }

        Builder tracker(TrackerConfig value) {
            this.tracker = Objects.requireNonNull(value);
            return this;
        }

        public SessionConfig build() {
            return new SessionConfig(this);
        }
    }
}
