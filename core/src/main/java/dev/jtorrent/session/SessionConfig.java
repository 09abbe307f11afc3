package dev.jtorrent.session;

import dev.jtorrent.budget.FairBudget;
import dev.jtorrent.budget.RateBudget;
import dev.jtorrent.budget.SessionBudgets;
import dev.jtorrent.swarm.SwarmConfig;
import dev.jtorrent.tracker.TrackerConfig;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of a session. The session-wide limits hold for all torrents together; each torrent's own limits ({@link
 * SwarmConfig}) apply within them.
 *
 * @param bindAddress     the address to listen on and to connect and announce from; empty for any
 * @param port            the listen port; 0 picks a free one
 * @param swarm           per-torrent swarm settings
 * @param tracker         tracker client settings
 * @param resumeDirectory where each torrent's resume file is kept (named by its info hash); empty for none, so
 *                        that every start checks the data
 * @param maxConnections  peer connections at most, over all torrents, outgoing attempts included (libtorrent's
 *                        {@code connections_limit}, 200 by default)
 * @param maxHalfOpen     outgoing connection attempts in progress at most, over all torrents
 * @param maxInFlightBytes memory for the pieces being downloaded, over all torrents
 * @param readCacheBytes  memory for pieces read for uploads, over all torrents
 * @param uploadLimit     payload bytes a second that all torrents upload at most, together; 0 for no limit
 * @param downloadLimit   payload bytes a second that all torrents download at most, together; 0 for no limit
 */
public record SessionConfig(Optional<InetAddress> bindAddress, int port, SwarmConfig swarm, TrackerConfig tracker,
                            Optional<Path> resumeDirectory, int maxConnections, int maxHalfOpen,
                            long maxInFlightBytes, long readCacheBytes, long uploadLimit, long downloadLimit) {
    /**
     * UDP announces give up after 5 s + 10 s without a reply. BEP 15's full schedule (15 s * 2^n for n up to 8) adds
     * up to more than two hours, all that time holding one of the torrent's announces in flight ({@link
     * AnnouncePolicy#maxInFlight}) for a tracker that is most likely dead. The announcer retries a failed tracker
     * itself (after 30 s, doubling), which stands in for the longer retransmissions; libtorrent likewise gives a UDP
     * tracker about 10 s.
     */
    static final TrackerConfig TRACKER = TrackerConfig.DEFAULTS.withUdpRetransmission(Duration.ofSeconds(5), 1);

    /** libtorrent's {@code connections_limit}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 200;
    /**
     * libtorrent paces attempts instead (30 a second, {@code connection_speed}), which with our 5 s connect timeout
     * allows about 150 in progress; 100 keeps a session's sockets in their handshakes well under its connections.
     */
    public static final int DEFAULT_MAX_HALF_OPEN = 100;
    /** Four torrents' worth of the per-torrent default ({@link SwarmConfig#maxInFlightBytes}, 64 MiB). */
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 256L * 1024 * 1024;
    /** Four torrents' worth of the per-torrent read cache (32 MiB). */
    public static final long DEFAULT_READ_CACHE_BYTES = 128L * 1024 * 1024;

    public static final SessionConfig DEFAULT =
            new SessionConfig(Optional.empty(), 6881, SwarmConfig.DEFAULT, TRACKER, Optional.empty(),
                    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_HALF_OPEN, DEFAULT_MAX_IN_FLIGHT_BYTES,
                    DEFAULT_READ_CACHE_BYTES, 0, 0);

    public SessionConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535: " + port);
        }
        if (maxConnections < 1 || maxHalfOpen < 1 || maxInFlightBytes < 1 || readCacheBytes < 1) {
            throw new IllegalArgumentException("session limits must be at least 1: connections " + maxConnections
                    + ", half-open " + maxHalfOpen + ", in flight " + maxInFlightBytes + ", read cache "
                    + readCacheBytes);
        }
        if (uploadLimit < 0 || downloadLimit < 0) {
            throw new IllegalArgumentException("rate limits must not be negative: upload " + uploadLimit
                    + ", download " + downloadLimit);
        }
    }

    public SessionConfig withBindAddress(InetAddress address) {
        return new SessionConfig(Optional.of(address), port, swarm, tracker.withBindAddress(address),
                resumeDirectory, maxConnections, maxHalfOpen, maxInFlightBytes, readCacheBytes, uploadLimit,
                downloadLimit);
    }

    public SessionConfig withPort(int value) {
        return new SessionConfig(bindAddress, value, swarm, tracker, resumeDirectory, maxConnections, maxHalfOpen,
                maxInFlightBytes, readCacheBytes, uploadLimit, downloadLimit);
    }

    public SessionConfig withSwarm(SwarmConfig value) {
        return new SessionConfig(bindAddress, port, value, tracker, resumeDirectory, maxConnections, maxHalfOpen,
                maxInFlightBytes, readCacheBytes, uploadLimit, downloadLimit);
    }

    public SessionConfig withTracker(TrackerConfig value) {
        return new SessionConfig(bindAddress, port, swarm, value, resumeDirectory, maxConnections, maxHalfOpen,
                maxInFlightBytes, readCacheBytes, uploadLimit, downloadLimit);
    }

    public SessionConfig withResumeDirectory(Path directory) {
        return new SessionConfig(bindAddress, port, swarm, tracker, Optional.of(directory), maxConnections,
                maxHalfOpen, maxInFlightBytes, readCacheBytes, uploadLimit, downloadLimit);
    }

    /** Connections at most over all torrents, and outgoing attempts in progress at most. */
    public SessionConfig withConnectionLimits(int connections, int halfOpen) {
        return new SessionConfig(bindAddress, port, swarm, tracker, resumeDirectory, connections, halfOpen,
                maxInFlightBytes, readCacheBytes, uploadLimit, downloadLimit);
    }

    /** Memory for pieces in flight and for the read cache, over all torrents. */
    public SessionConfig withMemoryLimits(long inFlightBytes, long cacheBytes) {
        return new SessionConfig(bindAddress, port, swarm, tracker, resumeDirectory, maxConnections, maxHalfOpen,
                inFlightBytes, cacheBytes, uploadLimit, downloadLimit);
    }

    /** Payload bytes a second over all torrents, each 0 for no limit. */
    public SessionConfig withRateLimits(long upload, long download) {
        return new SessionConfig(bindAddress, port, swarm, tracker, resumeDirectory, maxConnections, maxHalfOpen,
                maxInFlightBytes, readCacheBytes, upload, download);
    }

    /** The budgets these limits make, one set for the whole session. */
    SessionBudgets budgets() {
        return new SessionBudgets(
                new FairBudget("connections", maxConnections),
                new FairBudget("connection attempts", maxHalfOpen),
                new FairBudget("bytes of pieces in flight", maxInFlightBytes),
                new FairBudget("bytes of read cache", readCacheBytes),
                new RateBudget(uploadLimit), new RateBudget(downloadLimit));
    }
}
