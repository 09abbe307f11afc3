package dev.jtorrent.session;

import dev.jtorrent.swarm.SwarmStats;
import dev.jtorrent.tracker.AnnounceEvent;
import dev.jtorrent.tracker.AnnounceRequest;
import dev.jtorrent.tracker.AnnounceResponse;
import dev.jtorrent.tracker.TrackerError;
import dev.jtorrent.tracker.TrackerException;
import dev.jtorrent.tracker.TrackerTiers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps a torrent's trackers informed (BEP 3, 12): every tracker of every tier, each on its own schedule and all at
 * once, as libtorrent does with {@code announce_to_all_tiers} and {@code announce_to_all_trackers} (qBittorrent's
 * default). Real torrents list 10 to 30 trackers, most of them dead; asked one after another, a silent one held
 * back every peer behind it for its whole timeout.
 *
 * <ul>
 *   <li>Each tracker has its own {@link TrackerState}: {@code started}, then again at the interval it asks for, a
 *       failure retried after 30 s, doubling to 30 min, without holding up any other tracker.</li>
 *   <li>The peers of each answer go to the swarm as it arrives: the first tracker to answer gives the torrent its
 *       peers, whatever the slow or silent ones do.</li>
 *   <li>BEP 12's order stays an order of preference. At most {@link AnnouncePolicy#maxInFlight} announces are under
 *       way at once; when more are due, the earlier tiers go first, and within a tier the trackers that have
 *       answered ({@link TrackerTiers}). Errors are reported in the same order.</li>
 *   <li>{@code completed} goes, as soon as the download is done, to every tracker that knows us as a leecher.</li>
 *   <li>On {@link #stop()}, announces to trackers that never answered are abandoned: they are owed nothing. Each
 *       tracker that answered {@code started} is told {@code stopped} (after {@code completed}, if the download
 *       ended just before and that is still owed), once any announce already under way to it has ended; all of
 *       them at once. Whatever is still under way at {@link AnnouncePolicy#stoppedDeadline} is abandoned, so
 *       trackers never hold a stop back for longer.</li>
 * </ul>
 *
 * <p>One virtual thread schedules, and each announce runs on a virtual thread of its own. The schedule is guarded
 * by one lock, never held across network I/O. A torrent without trackers has no thread at all, and the scheduler
 * waits without a timeout while nothing is due.
 */
final class Announcer {
    private static final System.Logger LOG = System.getLogger(Announcer.class.getName());
    private static final int NUM_WANT = 200;
    /** What a stop may take beyond the deadline for {@code stopped}: abandoning the rest and closing the clients. */
    private static final Duration CLOSE_GRACE = Duration.ofMillis(250);

    private final TrackerTiers tiers;
    private final AnnouncedTorrent torrent;
    private final AnnouncePolicy policy;
    private final int port;
    private final int key;
    /** The session's bind addresses: a tracker lists us at one of them. */
    private final List<InetAddress> bindAddresses;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever an announce ends, the torrent completes or a stop begins. */
    private final Condition changed = lock.newCondition();
    private final Map<String, TrackerState> trackers = new HashMap<>(); // guarded by lock
    /** The thread of the announce under way to each tracker that has one. */
    private final Map<String, Thread> inFlight = new HashMap<>(); // guarded by lock
    private boolean stopping; // guarded by lock
    private long stopDeadline; // guarded by lock; a System.nanoTime() instant, once stopping
    private boolean started; // guarded by lock
    private Thread thread; // guarded by lock

    Announcer(TrackerTiers tiers, AnnouncedTorrent torrent, AnnouncePolicy policy, int port, int key,
              List<InetAddress> bindAddresses) {
        this.tiers = tiers;
        this.torrent = torrent;
        this.policy = policy;
        this.port = port;
        this.key = key;
        this.bindAddresses = List.copyOf(bindAddresses);
        long now = System.nanoTime();
        for (String url : tiers.urls()) {
            trackers.put(url, new TrackerState(url, policy, now));
        }
    }

    /** Starts announcing, unless there is no tracker to announce to yet (then the first one added starts it). */
    void start() {
        lock.lock();
        try {
            started = true;
            startThreadIfNeeded();
        } finally {
            lock.unlock();
        }
    }

    /** Holding the lock: the scheduler's thread, once started and given a tracker, unless stopping. */
    private void startThreadIfNeeded() {
        if (started && thread == null && !stopping && !trackers.isEmpty()) {
            thread = Thread.ofVirtual().name("announcer-" + torrent.name()).start(this::run);
        }
    }

    /**
     * The torrent's trackers changed while it runs ({@link TorrentHandle#addTracker} and the like): a new tracker is
     * due at once ({@code started}), a removed one is forgotten (an announce under way to it is abandoned; it is
     * owed no {@code stopped}, as libtorrent's {@code replace_trackers} sends none), and the others go on as they
     * were. Nothing once stopping.
     */
    void setTrackers(List<List<String>> newTiers) {
        lock.lock();
        try {
            if (stopping) {
                return;
            }
            tiers.replace(newTiers);
            List<String> urls = tiers.urls();
            trackers.keySet().removeIf(url -> !urls.contains(url));
            inFlight.entrySet().removeIf(entry -> {
                if (urls.contains(entry.getKey())) {
                    return false;
                }
                entry.getValue().interrupt();
                return true;
            });
            long now = System.nanoTime();
            for (String url : urls) {
                trackers.computeIfAbsent(url, added -> new TrackerState(added, policy, now));
            }
            startThreadIfNeeded();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The download finished: tell the trackers now rather than at their next interval. */
    void completed() {
        lock.lock();
        try {
            long now = System.nanoTime();
            trackers.values().forEach(t -> t.torrentCompleted(now));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Announces to every tracker now, by hand ({@link TorrentHandle#reannounce()}): each is due at once, or, if it
     * was sent an announce less than {@link AnnouncePolicy#forcedGap} (or its own {@code min interval}) ago, as soon
     * as that gap has passed (see {@link TrackerState#forceAnnounce}). Nothing once stopping.
     */
    void reannounce() {
        lock.lock();
        try {
            long now = System.nanoTime();
            trackers.values().forEach(t -> t.forceAnnounce(now));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Why no tracker is of use, in one line: null while some tracker's last announce was answered, or some tracker
     * has yet to finish its first.
     */
    String lastError() {
        lock.lock();
        try {
            if (trackers.isEmpty()) {
                return "the torrent has no trackers";
            }
            if (trackers.values().stream().anyMatch(t -> !t.finishedOne() || t.error() == null)) {
                return null;
            }
            List<TrackerError> errors = trackerErrors();
            TrackerError first = errors.getFirst();
            return errors.size() == 1 ? first.url() + ": " + first.message()
                    : "all " + errors.size() + " trackers failed; the first, " + first.url() + ": " + first.message();
        } finally {
            lock.unlock();
        }
    }

    /** Every tracker, in BEP 12 order, with its last result and when it is announced to next. */
    List<TrackerStatus> trackers() {
        lock.lock();
        try {
            long now = System.nanoTime();
            Instant wallNow = Instant.now();
            List<TrackerStatus> statuses = new ArrayList<>();
            List<List<String>> all = tiers.tiers();
            for (int tier = 0; tier < all.size(); tier++) {
                for (String url : all.get(tier)) {
                    TrackerState state = trackers.get(url);
                    Optional<Instant> next = stopping ? Optional.empty()
                            : Optional.of(wallNow.plusNanos(Math.max(0, state.nextAnnounce() - now)));
                    Optional<Instant> last = state.lastFinished().stream()
                            .mapToObj(at -> wallNow.minusNanos(Math.max(0, now - at))).findFirst();
                    statuses.add(new TrackerStatus(url, tier, Optional.ofNullable(state.error()), state.seeders(),
                            state.leechers(), next, last, state.lastPeers(), inFlight.containsKey(url)));
                }
            }
            return statuses;
        } finally {
            lock.unlock();
        }
    }

    /** The trackers of a torrent that does not run: none announced to, none due. */
    static List<TrackerStatus> trackersOf(List<List<String>> tiers) {
        List<TrackerStatus> statuses = new ArrayList<>();
        for (int tier = 0; tier < tiers.size(); tier++) {
            for (String url : tiers.get(tier)) {
                statuses.add(new TrackerStatus(url, tier, Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
                        Optional.empty(), Optional.empty(), OptionalInt.empty(), false));
            }
        }
        return statuses;
    }

    /** Each tracker whose last announce failed, with its error, in BEP 12 order. */
    List<TrackerError> trackerErrors() {
        lock.lock();
        try {
            List<TrackerError> errors = new ArrayList<>();
            for (String url : tiers.urls()) {
                String error = trackers.get(url).error();
                if (error != null) {
                    errors.add(new TrackerError(url, error));
                }
            }
            return errors;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the announces and tells the trackers {@code stopped}; returns within {@link
     * AnnouncePolicy#stoppedDeadline} and a moment to close the clients. Idempotent.
     */
    void stop() {
        long deadline;
        Thread scheduler;
        lock.lock();
        try {
            if (!stopping) {
                stopping = true;
                long now = System.nanoTime();
                stopDeadline = now + policy.stoppedDeadline().toNanos();
                // The download may have ended a moment ago, its completed() not yet here: the stats say so first.
                boolean complete = torrent.stats().complete();
                for (TrackerState tracker : trackers.values()) {
                    if (complete) {
                        tracker.torrentCompleted(now);
                    }
                    tracker.stopping();
                }
                inFlight.forEach((url, announce) -> {
                    if (!trackers.get(url).owesStopped()) {
                        announce.interrupt();
                    }
                });
                changed.signalAll();
            }
            deadline = stopDeadline;
            scheduler = thread;
        } finally {
            lock.unlock();
        }
        if (scheduler == null) {
            tiers.close(); // never started: nothing else closes them
            return;
        }
        try {
            scheduler.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())).plus(CLOSE_GRACE));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        lock.lock();
        try {
            while (!stopping) {
                long now = System.nanoTime();
                launchDue(now);
                long wait = untilNextDue(now);
                if (wait == Long.MAX_VALUE) {
                    changed.await(); // a timed wait would keep a timer armed for nothing
                } else {
                    changed.awaitNanos(wait);
                }
            }
            while (trackers.values().stream().anyMatch(TrackerState::owesStopped)) {
                long left = stopDeadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                launchOwed();
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.values().forEach(Thread::interrupt);
            lock.unlock();
            tiers.close();
        }
    }

    /** Starts the regular announces due at {@code now}, most preferred first, as far as the bound allows. */
    private void launchDue(long now) {
        for (String url : tiers.urls()) {
            if (inFlight.size() >= policy.maxInFlight()) {
                return;
            }
            TrackerState tracker = trackers.get(url);
            if (!inFlight.containsKey(url) && tracker.due(now)) {
                launch(tracker, tracker.event());
            }
        }
    }

    /**
     * Starts what the stopping torrent owes each tracker with nothing under way ({@code completed}, then {@code
     * stopped}), most preferred first, as far as the bound allows.
     */
    private void launchOwed() {
        for (String url : tiers.urls()) {
            if (inFlight.size() >= policy.maxInFlight()) {
                return;
            }
            TrackerState tracker = trackers.get(url);
            if (!inFlight.containsKey(url)) {
                tracker.stopEvent().ifPresent(event -> launch(tracker, event));
            }
        }
    }

    /**
     * How long to wait before looking at the schedule again, unless an announce ends first: until the next tracker
     * with nothing under way is due, or for good while the bound is reached (an announce that ends signals).
     */
    private long untilNextDue(long now) {
        if (inFlight.size() >= policy.maxInFlight()) {
            return Long.MAX_VALUE;
        }
        long wait = Long.MAX_VALUE;
        for (TrackerState tracker : trackers.values()) {
            if (!inFlight.containsKey(tracker.url())) {
                wait = Math.min(wait, Math.max(0, tracker.nextAnnounce() - now));
            }
        }
        return wait;
    }

    private void launch(TrackerState tracker, AnnounceEvent event) {
        AnnounceRequest request = request(event, tracker.trackerId());
        Thread announce = Thread.ofVirtual().name("announce " + tracker.url())
                .unstarted(() -> announce(tracker, request));
        inFlight.put(tracker.url(), announce);
        tracker.sending(System.nanoTime());
        announce.start();
    }

    /** One announce, on its own thread; what comes of it goes into the tracker's state. */
    private void announce(TrackerState tracker, AnnounceRequest request) {
        try {
            AnnounceResponse response = tiers.client(tracker.url()).announce(request);
            answered(tracker, request, response);
        } catch (TrackerException e) {
            failed(tracker, request, e.getMessage());
        } catch (InterruptedException e) {
            ended(tracker, () -> { }); // abandoned by stop: nothing came of it
        } catch (RuntimeException e) {
            failed(tracker, request, "internal error: " + e);
            throw e;
        }
    }

    private void answered(TrackerState tracker, AnnounceRequest request, AnnounceResponse response) {
        boolean lonely = torrent.stats().peers() == 0 && response.peers().stream().allMatch(this::isUs);
        AnnounceEvent event = request.event();
        boolean wanted = ended(tracker, () -> {
            tracker.answered(event, request.left(), response, lonely, System.nanoTime());
            tiers.answered(tracker.url());
        });
        LOG.log(System.Logger.Level.DEBUG, "{0}: tracker {1} answered {2}: {3} peers", torrent.name(),
                tracker.url(), event, response.peers().size());
        response.warning().ifPresent(warning -> LOG.log(System.Logger.Level.DEBUG, "{0}: tracker {1} warns: {2}",
                torrent.name(), tracker.url(), warning));
        if (wanted) {
            torrent.peersFound(response.peers());
        }
    }

    private void failed(TrackerState tracker, AnnounceRequest request, String message) {
        if (ended(tracker, () -> tracker.failed(request.event(), message, System.nanoTime()))) {
            torrent.trackerFailed(tracker.url(), message);
        }
        LOG.log(System.Logger.Level.DEBUG, "{0}: tracker {1}: {2}", torrent.name(), tracker.url(), message);
    }

    /**
     * Records the end of the announce under way to {@code tracker} by running {@code record} under the lock (on the
     * announce's own thread); returns whether the torrent still wants what came of it (it is not stopping, and the
     * tracker was not removed meanwhile).
     */
    private boolean ended(TrackerState tracker, Runnable record) {
        lock.lock();
        try {
            inFlight.remove(tracker.url(), Thread.currentThread()); // not a later announce to a tracker added again
            record.run();
            changed.signalAll();
            return !stopping && trackers.get(tracker.url()) == tracker; // a removed tracker's answer is of no use
        } finally {
            lock.unlock();
        }
    }

    /** Trackers list the announcing peer too (opentracker does); that one does not count as company. */
    private boolean isUs(InetSocketAddress peer) {
        return peer.getPort() == port && (peer.getAddress().isLoopbackAddress() || peer.getAddress().isAnyLocalAddress()
                || bindAddresses.contains(peer.getAddress()));
    }

    private AnnounceRequest request(AnnounceEvent event, Optional<String> trackerId) {
        SwarmStats stats = torrent.stats();
        return new AnnounceRequest(torrent.infoHash(), torrent.ourId().bytes(), port, stats.uploaded(),
                stats.downloaded(), stats.bytesLeft(), event, event == AnnounceEvent.STOPPED ? 0 : NUM_WANT, key,
                trackerId);
    }
}
