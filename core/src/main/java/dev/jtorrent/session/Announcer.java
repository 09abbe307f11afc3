package dev.jtorrent.session;

import dev.jtorrent.swarm.Swarm;
import dev.jtorrent.swarm.SwarmStats;
import dev.jtorrent.tracker.AnnounceEvent;
import dev.jtorrent.tracker.AnnounceRequest;
import dev.jtorrent.tracker.AnnounceResponse;
import dev.jtorrent.tracker.TiersAnnounce;
import dev.jtorrent.tracker.TrackerError;
import dev.jtorrent.tracker.TrackerTiers;
import dev.jtorrent.tracker.TrackersFailedException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps a torrent's trackers informed (BEP 3, 12): {@code started} first, then again at the interval the tracker
 * asks for, {@code completed} once the download is done and {@code stopped} at the end. Peers from each answer go
 * to the swarm. A torrent with no peers asks again sooner (but never before the tracker's {@code min interval});
 * failures are retried after 30 s, doubling to 30 min. Runs on its own virtual thread.
 */
final class Announcer {
    private static final System.Logger LOG = System.getLogger(Announcer.class.getName());
    private static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    private static final Duration MAX_RETRY = Duration.ofMinutes(30);
    private static final Duration NO_PEERS_INTERVAL = Duration.ofSeconds(60);
    private static final int NUM_WANT = 200;

    private final TrackerTiers tiers;
    private final Swarm swarm;
    private final int port;
    private final int key;
    private final Optional<java.net.InetAddress> bindAddress;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean completedPending;
    private boolean stopping;
    private Optional<String> trackerId = Optional.empty();
    private volatile String lastError;
    private volatile List<TrackerError> trackerErrors = List.of();
    private Thread thread;

    Announcer(TrackerTiers tiers, Swarm swarm, int port, int key, Optional<java.net.InetAddress> bindAddress) {
        this.tiers = tiers;
        this.bindAddress = bindAddress;
        this.swarm = swarm;
        this.port = port;
        this.key = key;
    }

    void start() {
        thread = Thread.ofVirtual().name("announcer-" + swarm.info().name()).start(this::run);
    }

    /** The download finished: tell the trackers now rather than at the next interval. */
    void completed() {
        lock.lock();
        try {
            completedPending = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The last tracker error, or null after a successful announce. */
    String lastError() {
        return lastError;
    }

    /**
     * Each tracker that failed in the last announce, with its error: all of them after a failed announce, those
     * tried before the one that answered after a successful one.
     */
    List<TrackerError> trackerErrors() {
        return trackerErrors;
    }

    /** Ends the announce loop and sends {@code stopped} (bounded by the tracker timeouts). */
    void stop() {
        lock.lock();
        try {
            stopping = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        AnnounceEvent event = AnnounceEvent.STARTED;
        Duration retry = FIRST_RETRY;
        try {
            while (true) {
                Duration wait;
                try {
                    TiersAnnounce result = tiers.announce(request(event));
                    failed(result.errors());
                    AnnounceResponse response = result.response();
                    swarm.peersFound(response.peers());
                    response.trackerId().ifPresent(id -> trackerId = Optional.of(id));
                    lastError = null;
                    retry = FIRST_RETRY;
                    event = AnnounceEvent.NONE;
                    wait = nextInterval(response);
                } catch (TrackersFailedException e) {
                    failed(e.errors());
                    lastError = e.getMessage();
                    wait = retry;
                    retry = min(retry.multipliedBy(2), MAX_RETRY);
                }
                AnnounceEvent next = sleep(wait);
                if (next == AnnounceEvent.STOPPED) {
                    break;
                }
                if (next == AnnounceEvent.COMPLETED) {
                    event = AnnounceEvent.COMPLETED;
                }
            }
            if (event != AnnounceEvent.STARTED) {
                tiers.announce(request(AnnounceEvent.STOPPED));
            }
        } catch (TrackersFailedException e) {
            lastError = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            tiers.close();
        }
    }

    private void failed(List<TrackerError> errors) {
        trackerErrors = errors;
        for (TrackerError e : errors) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: tracker {1}: {2}", swarm.info().name(), e.url(), e.message());
        }
    }

    private Duration nextInterval(AnnounceResponse response) {
        Duration interval = response.interval();
        boolean othersListed = response.peers().stream().anyMatch(peer -> !isUs(peer));
        if (swarm.stats().peers() == 0 && !othersListed) {
            Duration sooner = response.minInterval().map(m -> max(m, NO_PEERS_INTERVAL)).orElse(NO_PEERS_INTERVAL);
            interval = min(interval, sooner);
        }
        return interval;
    }

    /** Trackers list the announcing peer too (opentracker does); that one does not count as company. */
    private boolean isUs(java.net.InetSocketAddress peer) {
        return peer.getPort() == port && (peer.getAddress().isLoopbackAddress() || peer.getAddress().isAnyLocalAddress()
                || bindAddress.map(peer.getAddress()::equals).orElse(false));
    }

    /** Sleeps up to {@code duration}; returns COMPLETED or STOPPED if that cut the sleep short, else NONE. */
    private AnnounceEvent sleep(Duration duration) throws InterruptedException {
        long remaining = duration.toNanos();
        lock.lock();
        try {
            while (true) {
                if (stopping) {
                    return AnnounceEvent.STOPPED;
                }
                if (completedPending) {
                    completedPending = false;
                    return AnnounceEvent.COMPLETED;
                }
                if (remaining <= 0) {
                    return AnnounceEvent.NONE;
                }
                remaining = wake.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    private AnnounceRequest request(AnnounceEvent event) {
        SwarmStats stats = swarm.stats();
        return new AnnounceRequest(swarm.infoHash(), swarm.ourId().bytes(), port, stats.uploaded(),
                stats.downloaded(), stats.bytesLeft(), event, event == AnnounceEvent.STOPPED ? 0 : NUM_WANT, key,
                trackerId);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
