package dev.jtorrent.swarm;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one torrent's swarm.
 *
 * @param maxPeers           connections at most (default 50)
 * @param maxHalfOpen        outgoing connection attempts in progress at most
 * @param uploadSlots        regular upload slots (BEP 3 tit-for-tat, round robin when seeding); one optimistic
 *                           unchoke comes on top
 * @param maxInFlightBytes   memory for pieces being downloaded (bounds the pieces in progress)
 * @param requestTimeoutSecs a peer that sends no block for this long has its requests given to others
 * @param listenPort         our listen port, told to peers in the extension handshake
 * @param recordInterval     how often, at most, new pieces are recorded in resume data while downloading (they
 *                           always are on completion and on stop)
 * @param diskFullRetry      how often a torrent paused by a full disk looks for free space again
 * @param idleToEvict        how long a peer must have been connected with interest on neither side before a new
 *                           connection may take its place when the torrent is at {@code maxPeers}
 * @param uploadLimit        payload bytes a second the torrent uploads at most, over all its peers; 0 for no limit
 * @param downloadLimit      payload bytes a second the torrent downloads at most, over all its peers; 0 for no
 *                           limit
 * @param sleepAfter         how long a swarm must have had nothing to do before it sleeps (see {@link Swarm}):
 *                           long enough that a peer which comes back soon finds its read cache still warm
 * @param metadata           the torrent's info dictionary, served to peers over {@code ut_metadata} (BEP 9) unless
 *                           the torrent is private; {@link TorrentMetadata#NONE} (the default) serves nothing
 * @param pex                whether it tells its peers of its other peers and hears of more from them (BEP 11
 *                           {@code ut_pex}; see {@link PeerExchange});
 *                           a private torrent never does, whatever this says. Default true
 */
public record SwarmConfig(int maxPeers, int maxHalfOpen, int uploadSlots, long maxInFlightBytes,
                          int requestTimeoutSecs, int listenPort, Duration recordInterval,
                          Duration diskFullRetry, Duration idleToEvict, long uploadLimit, long downloadLimit,
                          Duration sleepAfter, TorrentMetadata metadata, boolean pex) {
    public static final SwarmConfig DEFAULT =
            new SwarmConfig(50, 8, 4, 64L * 1024 * 1024, 20, 0, Duration.ofSeconds(30), Duration.ofSeconds(10),
                    Duration.ofSeconds(60), 0, 0, Duration.ofSeconds(30), TorrentMetadata.NONE, true);

    public SwarmConfig {
        if (maxPeers < 1 || maxHalfOpen < 1 || uploadSlots < 0 || maxInFlightBytes < 1 || requestTimeoutSecs < 1
                || recordInterval.isNegative() || diskFullRetry.isNegative() || idleToEvict.isNegative()
                || uploadLimit < 0 || downloadLimit < 0 || sleepAfter.isNegative()) {
            throw new IllegalArgumentException("swarm settings must be positive");
        }
        Objects.requireNonNull(metadata, "metadata");
    }

    public SwarmConfig withMaxInFlightBytes(long value) {
        return new SwarmConfig(maxPeers, maxHalfOpen, uploadSlots, value, requestTimeoutSecs, listenPort,
                recordInterval, diskFullRetry, idleToEvict, uploadLimit, downloadLimit, sleepAfter, metadata, pex);
    }

    public SwarmConfig withRequestTimeoutSecs(int value) {
        return new SwarmConfig(maxPeers, maxHalfOpen, uploadSlots, maxInFlightBytes, value, listenPort,
                recordInterval, diskFullRetry, idleToEvict, uploadLimit, downloadLimit, sleepAfter, metadata, pex);
    }

    public SwarmConfig withRecordInterval(Duration value) {
        return new SwarmConfig(maxPeers, maxHalfOpen, uploadSlots, maxInFlightBytes, requestTimeoutSecs, listenPort,
                value, diskFullRetry, idleToEvict, uploadLimit, downloadLimit, sleepAfter, metadata, pex);
    }

    public SwarmConfig withDiskFullRetry(Duration value) {
        return new SwarmConfig(maxPeers, maxHalfOpen, uploadSlots, maxInFlightBytes, requestTimeoutSecs, listenPort,
                recordInterval, value, idleToEvict, uploadLimit, downloadLimit, sleepAfter, metadata, pex);
    }

    public SwarmConfig withIdleToEvict(Duration value) {
        return new SwarmConfig(maxPeers, maxHalfOpen, uploadSlots, maxInFlightBytes, requestTimeoutSecs, listenPort,
                recordInterval, diskFullRetry, value, uploadLimit, downloadLimit, sleepAfter, metadata, pex);
    }

    public SwarmConfig withMaxPeers(int value) {
        return new SwarmConfig(value, maxHalfOpen, uploadSlots, maxInFlightBytes, requestTimeoutSecs, listenPort,
                recordInterval, diskFullRetry, idleToEvict, uploadLimit, downloadLimit, sleepAfter, metadata, pex);
    }

    public SwarmConfig withListenPort(int value) {
        return new SwarmConfig(maxPeers, maxHalfOpen, uploadSlots, maxInFlightBytes, requestTimeoutSecs, value,
                recordInterval, diskFullRetry, idleToEvict, uploadLimit, downloadLimit, sleepAfter, metadata, pex);
    }

    public SwarmConfig withUploadSlots(int value) {
        return new SwarmConfig(maxPeers, maxHalfOpen, value, maxInFlightBytes, requestTimeoutSecs, listenPort,
                recordInterval, diskFullRetry, idleToEvict, uploadLimit, downloadLimit, sleepAfter, metadata, pex);
    }

    /** Payload bytes a second at most, over all peers; 0 for no limit. */
    public SwarmConfig withUploadLimit(long value) {
        return new SwarmConfig(maxPeers, maxHalfOpen, uploadSlots, maxInFlightBytes, requestTimeoutSecs, listenPort,
                recordInterval, diskFullRetry, idleToEvict, value, downloadLimit, sleepAfter, metadata, pex);
    }

    /** Payload bytes a second at most, over all peers; 0 for no limit. */
    public SwarmConfig withDownloadLimit(long value) {
        return new SwarmConfig(maxPeers, maxHalfOpen, uploadSlots, maxInFlightBytes, requestTimeoutSecs, listenPort,
                recordInterval, diskFullRetry, idleToEvict, uploadLimit, value, sleepAfter, metadata, pex);
    }

    /** How long a swarm must have had nothing to do before it sleeps. */
    public SwarmConfig withSleepAfter(Duration value) {
        return new SwarmConfig(maxPeers, maxHalfOpen, uploadSlots, maxInFlightBytes, requestTimeoutSecs, listenPort,
                recordInterval, diskFullRetry, idleToEvict, uploadLimit, downloadLimit, value, metadata, pex);
    }

    /** The info dictionary to serve over {@code ut_metadata} (BEP 9), if the torrent is not private. */
    public SwarmConfig withMetadata(TorrentMetadata value) {
        return new SwarmConfig(maxPeers, maxHalfOpen, uploadSlots, maxInFlightBytes, requestTimeoutSecs, listenPort,
                recordInterval, diskFullRetry, idleToEvict, uploadLimit, downloadLimit, sleepAfter, value, pex);
    }

    /** Whether peers are exchanged over {@code ut_pex} (BEP 11); never for a private torrent. */
    public SwarmConfig withPex(boolean value) {
        return new SwarmConfig(maxPeers, maxHalfOpen, uploadSlots, maxInFlightBytes, requestTimeoutSecs, listenPort,
                recordInterval, diskFullRetry, idleToEvict, uploadLimit, downloadLimit, sleepAfter, metadata, value);
    }
}
