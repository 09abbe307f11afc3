package dev.jtorrent.session;

import dev.jtorrent.swarm.SwarmConfig;
import dev.jtorrent.tracker.TrackerConfig;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of a session.
 *
 * @param bindAddress the address to listen on and to connect and announce from; empty for any
 * @param port        the listen port; 0 picks a free one
 * @param swarm       per-torrent swarm settings
 * @param tracker     tracker client settings
 * @param resumeDirectory where each torrent's resume file is kept (named by its info hash); empty for none, so
 *                        that every start checks the data
 */
public record SessionConfig(Optional<InetAddress> bindAddress, int port, SwarmConfig swarm, TrackerConfig tracker,
                            Optional<Path> resumeDirectory) {
    /**
     * UDP announces give up after 5 s + 10 s without a reply. BEP 15's full schedule (15 s * 2^n for n up to 8) adds
     * up to more than two hours, all that time holding one of the torrent's announces in flight ({@link
     * AnnouncePolicy#maxInFlight}) for a tracker that is most likely dead. The announcer retries a failed tracker
     * itself (after 30 s, doubling), which stands in for the longer retransmissions; libtorrent likewise gives a UDP
     * tracker about 10 s.
     */
    static final TrackerConfig TRACKER = TrackerConfig.DEFAULTS.withUdpRetransmission(Duration.ofSeconds(5), 1);

    public static final SessionConfig DEFAULT =
            new SessionConfig(Optional.empty(), 6881, SwarmConfig.DEFAULT, TRACKER, Optional.empty());

    public SessionConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535: " + port);
        }
    }

    public SessionConfig withBindAddress(InetAddress address) {
        return new SessionConfig(Optional.of(address), port, swarm, tracker.withBindAddress(address),
                resumeDirectory);
    }

    public SessionConfig withPort(int value) {
        return new SessionConfig(bindAddress, value, swarm, tracker, resumeDirectory);
    }

    public SessionConfig withSwarm(SwarmConfig value) {
        return new SessionConfig(bindAddress, port, value, tracker, resumeDirectory);
    }

    public SessionConfig withTracker(TrackerConfig value) {
        return new SessionConfig(bindAddress, port, swarm, value, resumeDirectory);
    }

    public SessionConfig withResumeDirectory(Path directory) {
        return new SessionConfig(bindAddress, port, swarm, tracker, Optional.of(directory));
    }
}
