package dev.jtorrent.testkit;

import java.time.Duration;

/**
 * What a simulated host's network link is like: one-way latency to any other host, the rate its uplink sends at
 * (shared by all its connections, in the order they sent), and the share of TCP segments it loses. TCP is reliable
 * and in order, so a lost segment is not lost data: it costs a retransmission, a round trip later, and what was sent
 * behind it on the same connection waits for it.
 *
 * @param latency        one-way delay of every packet
 * @param bytesPerSecond the uplink's rate; 0 for one without limit
 * @param loss           the probability that a segment of 1460 bytes is lost once, from 0 to below 1
 */
public record LinkProfile(Duration latency, long bytesPerSecond, double loss) {
    /** A LAN: a millisecond away, 100 MB/s, nothing lost. */
    public static final LinkProfile LAN = new LinkProfile(Duration.ofMillis(1), 100_000_000, 0);

    public LinkProfile {
        if (latency.isNegative() || bytesPerSecond < 0 || loss < 0 || loss >= 1) {
            throw new IllegalArgumentException("a link needs a latency and a rate of 0 or more, and a loss below 1");
        }
    }
}
