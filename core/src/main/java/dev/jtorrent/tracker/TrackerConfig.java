package dev.jtorrent.tracker;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How tracker clients reach trackers.
 *
 * @param bindAddress      the local address announces leave from ({@code --bind}), so the tracker records the
 *                         address peers should connect to; empty for the system's choice
 * @param connectTimeout   the longest an HTTP connection may take to open
 * @param requestTimeout   the longest one HTTP announce or scrape may take, redirects and body included
 * @param udpBaseTimeout   BEP 15's 15 seconds: a UDP request is resent after {@code base * 2^n}
 * @param udpMaxRetransmit BEP 15's 8: the largest n; the exchange fails once attempt n has timed out
 */
public record TrackerConfig(Optional<InetAddress> bindAddress, Duration connectTimeout, Duration requestTimeout,
                            Duration udpBaseTimeout, int udpMaxRetransmit) {

    /**
     * The defaults: 5 s to connect (time for two of TCP's SYN retransmissions, at 1 s and 3 s; a tracker that takes
     * longer is as good as dead), 30 s per HTTP request, BEP 15's 15 s * 2^n for n up to 8.
     */
    public static final TrackerConfig DEFAULTS = new TrackerConfig(Optional.empty(), Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofSeconds(15), 8);

    public TrackerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(udpBaseTimeout, "udpBaseTimeout");
        if (udpMaxRetransmit < 0 || udpMaxRetransmit > 8) {
            throw new IllegalArgumentException("udpMaxRetransmit must be in 0..8: " + udpMaxRetransmit);
        }
    }

    public TrackerConfig withBindAddress(InetAddress address) {
        return new TrackerConfig(Optional.of(address), connectTimeout, requestTimeout, udpBaseTimeout,
                udpMaxRetransmit);
    }

    public TrackerConfig withTimeouts(Duration connect, Duration request) {
        return new TrackerConfig(bindAddress, connect, request, udpBaseTimeout, udpMaxRetransmit);
    }

    public TrackerConfig withUdpRetransmission(Duration base, int maxRetransmit) {
        return new TrackerConfig(bindAddress, connectTimeout, requestTimeout, base, maxRetransmit);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
