package dev.jtorrent.session;

import dev.jtorrent.tracker.AnnounceResponse;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link Announcer} paces a torrent's trackers. The defaults are libtorrent's with {@code
 * announce_to_all_tiers} and {@code announce_to_all_trackers}, as qBittorrent sets them, except where said.
 *
 * @param maxInFlight     announces under way at once, per torrent, so that a torrent listing 100 trackers does not
 *                        open 100 sockets at once; trackers past it wait their turn in BEP 12 order. 32, where
 *                        libtorrent has no bound per torrent: real torrents list 10 to 30 trackers, most of them
 *                        dead, and a bound below a torrent's count of silent trackers would keep the good ones after
 *                        them waiting out the silent ones' timeouts.
 * @param stoppedDeadline the longest a stop waits for the trackers: for {@code stopped} to be answered, and for an
 *                        announce already under way to a tracker that will be told {@code stopped} after it
 *                        (libtorrent's {@code stop_tracker_timeout} is 1 s)
 * @param firstRetry      the wait after a tracker's first failure in a row; each further one doubles it...
 * @param maxRetry        ...up to this
 * @param lonelyInterval  how soon to ask a tracker again when the torrent has no peers and the tracker listed none
 *                        (never sooner than the tracker's {@code min interval})
 * @param leastInterval   the least wait between two regular announces to one tracker, whatever interval it asks
 *                        for: a tracker that asks for 0 is not asked in a tight loop (libtorrent's {@code
 *                        min_announce_interval} is 5 minutes; 5 s lets the short intervals of LAN trackers and tests
 *                        through)
 * @param forcedGap       the least time between the last announce sent to a tracker and one forced by hand ({@code
 *                        TorrentHandle.reannounce()}), or the tracker's {@code min interval} if longer: a script that
 *                        calls it in a loop gets one announce per tracker per gap. 60 s: Transmission allows a manual
 *                        announce once the tracker's {@code min interval} (2 min without one) has passed, and
 *                        libtorrent's {@code force_reannounce} keeps to the tracker's {@code min interval} unless told
 *                        otherwise (qBittorrent tells it otherwise); a minute answers a user's click soon enough while
 *                        a loop costs a tracker one request a minute.
 */
record AnnouncePolicy(int maxInFlight, Duration stoppedDeadline, Duration firstRetry, Duration maxRetry,
                      Duration lonelyInterval, Duration leastInterval, Duration forcedGap) {

    static final AnnouncePolicy DEFAULT = new AnnouncePolicy(32, Duration.ofSeconds(2), Duration.ofSeconds(30),
            Duration.ofMinutes(30), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(60));

    AnnouncePolicy {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be positive: " + maxInFlight);
        }
        for (Duration d : new Duration[] {stoppedDeadline, firstRetry, maxRetry, lonelyInterval, leastInterval,
                forcedGap}) {
            Objects.requireNonNull(d);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive: " + d);
            }
        }
    }

    /** The wait before trying a tracker again after {@code failures} failures in a row (at least 1). */
    Duration retryAfter(int failures) {
        int doublings = Math.min(failures - 1, 30);
        Duration retry = firstRetry.multipliedBy(1L << doublings);
        return retry.compareTo(maxRetry) < 0 ? retry : maxRetry;
    }

    /**
     * The wait before the next regular announce to a tracker that gave {@code response}: the interval it asks for,
     * or {@link #lonelyInterval} if that is sooner and the torrent is {@code lonely} (it has no peers, and the
     * tracker listed none but us), yet never less than the tracker's {@code min interval} or {@link #leastInterval}.
     */
    Duration reannounceAfter(AnnounceResponse response, boolean lonely) {
        Duration interval = response.interval();
        if (lonely) {
            Duration sooner = response.minInterval().map(m -> max(m, lonelyInterval)).orElse(lonelyInterval);
            interval = sooner.compareTo(interval) < 0 ? sooner : interval;
        }
        return max(interval, leastInterval);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
