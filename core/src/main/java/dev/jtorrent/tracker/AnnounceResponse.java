package dev.jtorrent.tracker;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A tracker's answer to an announce.
 *
 * @param interval    how long to wait before the next regular announce
 * @param minInterval the tracker's floor for announces made sooner than {@code interval}
 * @param peers       peers to try, IPv4 and IPv6, never with port 0, at most {@link #MAX_PEERS}
 * @param seeders     peers with the whole torrent ({@code complete}), if the tracker said
 * @param leechers    peers still downloading ({@code incomplete}), if the tracker said
 * @param warning     a {@code warning message}: the announce worked but the tracker has something to say
 * @param trackerId   an id to send back in later announces
 */
public record AnnounceResponse(Duration interval, Optional<Duration> minInterval, List<InetSocketAddress> peers,
                               OptionalInt seeders, OptionalInt leechers, Optional<String> warning,
                               Optional<String> trackerId) {
    /**
     * The most peers taken from one announce: as many as a swarm's peer list holds (libtorrent's 3000), fifteen
     * times the 200 we ask for. A 1 MiB reply can list 174,000 compact peers and a UDP one 10,000; the readers stop
     * at this many, in the tracker's order, and never decode the rest.
     */
    public static final int MAX_PEERS = 3000;

    public AnnounceResponse {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(minInterval, "minInterval");
        Objects.requireNonNull(seeders, "seeders");
        Objects.requireNonNull(leechers, "leechers");
        Objects.requireNonNull(warning, "warning");
        Objects.requireNonNull(trackerId, "trackerId");
        if (peers.size() > MAX_PEERS) {
            throw new IllegalArgumentException("at most " + MAX_PEERS + " peers, not " + peers.size());
        }
        peers = List.copyOf(peers);
    }
}
