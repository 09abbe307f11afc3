package dev.jtorrent.session;

import dev.jtorrent.tracker.AnnounceEvent;
import dev.jtorrent.tracker.TrackerError;
import dev.jtorrent.tracker.TrackerException;
import dev.jtorrent.tracker.TrackerTiers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.jtorrent.session.FakeTrackers.after;
import static dev.jtorrent.session.FakeTrackers.answering;
import static dev.jtorrent.session.FakeTrackers.failing;
import static dev.jtorrent.session.FakeTrackers.silent;
import static dev.jtorrent.tracker.AnnounceEvent.COMPLETED;
import static dev.jtorrent.tracker.AnnounceEvent.NONE;
import static dev.jtorrent.tracker.AnnounceEvent.STARTED;
import static dev.jtorrent.tracker.AnnounceEvent.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The announcer over trackers in memory ({@link FakeTrackers}): every tracker at once, each on its own schedule,
 * within the bound on announces under way, and a stop within its deadline. Schedules are scaled down to
 * milliseconds.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AnnouncerTest {
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 7001);
    private static final Duration LONG = Duration.ofMinutes(30);
    /** A policy for tests: retries after 100 ms doubling to 400 ms, a stop's deadline of 300 ms. */
    private static final AnnouncePolicy FAST = new AnnouncePolicy(8, Duration.ofMillis(300), Duration.ofMillis(100),
            Duration.ofMillis(400), Duration.ofSeconds(60), Duration.ofMillis(1), Duration.ofMillis(1));
    /** As {@link #FAST}, but a failed tracker is not tried again within a test. */
    private static final AnnouncePolicy NO_RETRY = new AnnouncePolicy(8, Duration.ofSeconds(2), Duration.ofMinutes(5),
            Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofMillis(1), Duration.ofMillis(1));

    private final FakeTrackers trackers = new FakeTrackers();
    private final RecordingTorrent torrent = new RecordingTorrent(1000);
    private final List<Announcer> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(Announcer::stop);
    }

    @Test
    void theFirstAnswerReachesTheTorrentWithoutWaitingForSilentOrSlowTrackers() throws Exception {
        List<List<String>> tiers = new ArrayList<>();
        for (int tier = 0; tier < 4; tier++) {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String url = "http://dead-" + tier + "-" + i;
                trackers.set(url, i % 2 == 0 ? silent() : after(Duration.ofSeconds(5), failing("no reply")));
                urls.add(url);
            }
            tiers.add(urls);
        }
        tiers.add(List.of("http://good"));
        trackers.set("http://good", answering(LONG, List.of(PEER)));

        long start = System.nanoTime();
        start(tiers, AnnouncePolicy.DEFAULT);

        assertThat(torrent.nextPeers(Duration.ofSeconds(5))).containsExactly(PEER);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        await(() -> trackers.underWay() == 20);
        assertThat(trackers.events("http://good")).containsExactly(STARTED);
    }

    @Test
    void everyTrackerOfEveryTierIsToldStartedAndEachAnswersPeersReachTheTorrent() throws Exception {
        List<InetSocketAddress> peers = List.of(PEER, new InetSocketAddress(PEER.getAddress(), 7002),
                new InetSocketAddress(PEER.getAddress(), 7003));
        trackers.set("http://a", answering(LONG, List.of(peers.get(0))))
                .set("http://b", answering(LONG, List.of(peers.get(1))))
                .set("http://c", answering(LONG, List.of(peers.get(2))));

        start(List.of(List.of("http://a", "http://b"), List.of("http://c")), FAST);

        List<InetSocketAddress> found = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            found.addAll(torrent.nextPeers(Duration.ofSeconds(5)));
        }
        assertThat(found).containsExactlyInAnyOrderElementsOf(peers);
        for (String url : List.of("http://a", "http://b", "http://c")) {
            assertThat(trackers.events(url)).as(url).containsExactly(STARTED);
        }
    }

    /** Ten trackers that each hold their announce until the test lets it fail; at most four under way at once. */
    @Test
    void atMostMaxInFlightAnnouncesAreUnderWayAndTheEarlierTiersGoFirst() throws Exception {
        List<List<String>> tiers = new ArrayList<>();
        List<CountDownLatch> releases = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            CountDownLatch release = new CountDownLatch(1);
            releases.add(release);
            trackers.set(url(i), request -> {
                release.await();
                throw new TrackerException("released");
            });
            tiers.add(List.of(url(i)));
        }
        AnnouncePolicy four = new AnnouncePolicy(4, Duration.ofSeconds(2), LONG, LONG, Duration.ofSeconds(60),
                Duration.ofMillis(1), Duration.ofMillis(1));

        start(tiers, four);
        await(() -> trackers.underWay() == 4);
        Thread.sleep(100);
        // The first four tiers, started in order; their threads may reach their trackers in any order.
        assertThat(asked()).containsExactlyInAnyOrder(url(0), url(1), url(2), url(3));

        releases.get(2).countDown();
        await(() -> asked().size() == 5);
        assertThat(asked().getLast()).isEqualTo(url(4));
        Thread.sleep(100);
        assertThat(asked()).hasSize(5);

        releases.forEach(CountDownLatch::countDown);
        await(() -> asked().size() == 10);
        // Started in order as slots free up, but threads started together may reach their trackers in any order.
        assertThat(asked().get(4)).isEqualTo(url(4));
        assertThat(asked()).containsExactlyInAnyOrder(url(0), url(1), url(2), url(3), url(4), url(5), url(6),
                url(7), url(8), url(9));
        assertThat(trackers.mostUnderWayAtOnce()).isEqualTo(4);
    }

    /**
     * A tracker in the first tier that fails after 50 ms is tried again 100, 200, 400 and 400 ms after its failures,
     * while the good tracker in the second tier is asked every 300 ms, its interval, throughout.
     */
    @Test
    void aFailingTrackerBacksOffOnItsOwnWhileTheGoodOneKeepsItsInterval() throws Exception {
        trackers.set("http://bad", after(Duration.ofMillis(50), failing("no reply")))
                .set("http://good", answering(Duration.ofMillis(300), List.of()));
        long start = System.nanoTime();

        start(List.of(List.of("http://bad"), List.of("http://good")), FAST);
        await(() -> trackers.times("http://bad", start).size() >= 5);

        List<Long> bad = trackers.times("http://bad", start);
        List<Long> good = trackers.times("http://good", start);
        // The floors are the schedule (TrackerStateTest checks it exactly, without a clock); the ceilings leave room
        // for a loaded machine, and still tell a tracker kept waiting on another's backoff from one that is not.
        long[] backoff = {100, 200, 400, 400};
        for (int i = 0; i < backoff.length; i++) {
            assertThat(bad.get(i + 1) - bad.get(i)).as("the bad tracker's retry %d after %s", i + 1, bad)
                    .isBetween(45 + backoff[i], 50 + backoff[i] + 700);
        }
        assertThat(good.size()).isGreaterThanOrEqualTo(4);
        for (int i = 1; i < good.size(); i++) {
            assertThat(good.get(i) - good.get(i - 1)).as("the good tracker's interval, in %s", good)
                    .isBetween(300L, 1000L);
        }
        assertThat(trackers.events("http://bad")).containsOnly(STARTED);
        List<AnnounceEvent> goodEvents = trackers.events("http://good");
        assertThat(goodEvents.getFirst()).isEqualTo(STARTED);
        assertThat(goodEvents.subList(1, goodEvents.size())).containsOnly(NONE);
    }

    @Test
    void completedGoesAtOnceToEachTrackerThatAnsweredStartedAndToNoOther() throws Exception {
        trackers.set("http://a", answering(LONG, List.of(PEER)))
                .set("http://b", answering(LONG, List.of(PEER)))
                .set("http://down", failing("refused"));
        Announcer announcer = start(List.of(List.of("http://a"), List.of("http://b"), List.of("http://down")),
                NO_RETRY);
        torrent.nextPeers(Duration.ofSeconds(5));
        torrent.nextPeers(Duration.ofSeconds(5));

        torrent.complete();
        announcer.completed();

        await(() -> trackers.events("http://a").size() == 2 && trackers.events("http://b").size() == 2);
        assertThat(trackers.events("http://a")).containsExactly(STARTED, COMPLETED);
        assertThat(trackers.events("http://b")).containsExactly(STARTED, COMPLETED);
        assertThat(trackers.announces()).filteredOn(a -> a.event() == COMPLETED).extracting(a -> a.left())
                .containsOnly(0L);
        assertThat(trackers.events("http://down")).containsExactly(STARTED);
    }

    /**
     * Two silent trackers fill the bound of two announces under way when the stop comes: abandoned at once, they
     * leave room for {@code stopped} to the tracker that answered, which is not kept waiting for the deadline.
     */
    @Test
    void stopTellsTheTrackersThatAnsweredAtOnceAndAbandonsTheOthers() throws Exception {
        trackers.set("http://good", answering(LONG, List.of(PEER))).set("http://down", failing("refused"))
                .set("http://silent1", silent()).set("http://silent2", silent());
        AnnouncePolicy two = new AnnouncePolicy(2, Duration.ofSeconds(2), LONG, LONG, Duration.ofSeconds(60),
                Duration.ofMillis(1), Duration.ofMillis(1));
        Announcer announcer = start(List.of(List.of("http://good"), List.of("http://down"), List.of("http://silent1"),
                List.of("http://silent2")), two);
        torrent.nextPeers(Duration.ofSeconds(5));
        await(() -> trackers.underWay() == 2 && trackers.events("http://silent2").size() == 1);

        Duration took = timed(announcer::stop);

        assertThat(took).as("nothing owed was under way: no waiting for the deadline")
                .isLessThan(Duration.ofMillis(500));
        assertThat(trackers.events("http://good")).containsExactly(STARTED, STOPPED);
        for (String url : List.of("http://silent1", "http://silent2", "http://down")) {
            assertThat(trackers.events(url)).as(url).containsExactly(STARTED);
        }
        await(() -> trackers.abandoned().size() == 2);
        assertThat(trackers.abandoned()).containsExactlyInAnyOrder("http://silent1", "http://silent2");
    }

    /** The {@code completed} under way when the stop comes ends first: {@code stopped} never overtakes it. */
    @Test
    void stopLetsAnAnnounceUnderWayToATrackerOwedStoppedEndThenSendsStopped() throws Exception {
        trackers.set("http://a", answering(LONG, List.of(PEER)));
        Announcer announcer = start(List.of(List.of("http://a")), NO_RETRY);
        torrent.nextPeers(Duration.ofSeconds(5));
        trackers.set("http://a", after(Duration.ofMillis(200), answering(LONG, List.of(PEER))));
        torrent.complete();
        announcer.completed();
        await(() -> trackers.events("http://a").size() == 2);

        Duration took = timed(announcer::stop);

        assertThat(trackers.events("http://a")).containsExactly(STARTED, COMPLETED, STOPPED);
        List<FakeTrackers.Announce> announces = trackers.announces();
        assertThat(announces.get(2).at() - announces.get(1).at()).as("stopped began once completed was answered")
                .isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(took).isLessThan(NO_RETRY.stoppedDeadline());
    }

    /**
     * A stop that comes as the download ends, before the announcer hears of it ({@code completed()} runs on the
     * swarm's thread, and the stop may overtake it): the trackers are told {@code completed}, then {@code stopped}.
     */
    @Test
    void aStopRightAfterTheDownloadEndedTellsCompletedThenStopped() throws Exception {
        trackers.set("http://a", answering(LONG, List.of(PEER)));
        Announcer announcer = start(List.of(List.of("http://a")), NO_RETRY);
        torrent.nextPeers(Duration.ofSeconds(5));
        torrent.complete();

        announcer.stop();

        assertThat(trackers.events("http://a")).containsExactly(STARTED, COMPLETED, STOPPED);
    }

    @Test
    void aTrackerThatDoesNotAnswerStoppedHoldsTheStopForTheDeadlineAtMost() throws Exception {
        trackers.set("http://a", answering(LONG, List.of(PEER)));
        Announcer announcer = start(List.of(List.of("http://a")), FAST);
        torrent.nextPeers(Duration.ofSeconds(5));
        trackers.set("http://a", silent());

        Duration took = timed(announcer::stop);

        assertThat(took).isBetween(FAST.stoppedDeadline(), FAST.stoppedDeadline().plusMillis(400));
        assertThat(trackers.events("http://a")).containsExactly(STARTED, STOPPED);
        await(() -> trackers.abandoned().equals(List.of("http://a")));
    }

    @Test
    void errorsAreEachTrackersInBep12OrderAndTheTorrentsOnlyOnceEveryTrackerFailed() throws Exception {
        trackers.set("http://f1", failing("refused")).set("http://f2", failing("no reply"))
                .set("http://good", answering(LONG, List.of(PEER))).set("http://silent", silent());

        Announcer mixed = start(List.of(List.of("http://f1"), List.of("http://good"), List.of("http://f2")), NO_RETRY);
        await(() -> mixed.trackerErrors().size() == 2);
        torrent.nextPeers(Duration.ofSeconds(5));
        assertThat(mixed.trackerErrors()).containsExactly(new TrackerError("http://f1", "refused"),
                new TrackerError("http://f2", "no reply"));
        assertThat(mixed.lastError()).as("a tracker answered").isNull();

        Announcer waiting = start(List.of(List.of("http://f1"), List.of("http://silent")), NO_RETRY);
        await(() -> waiting.trackerErrors().size() == 1);
        assertThat(waiting.lastError()).as("a tracker has yet to answer").isNull();

        Announcer failed = start(List.of(List.of("http://f1"), List.of("http://f2")), NO_RETRY);
        await(() -> failed.lastError() != null);
        assertThat(failed.lastError()).isEqualTo("all 2 trackers failed; the first, http://f1: refused");

        Announcer one = start(List.of(List.of("http://f2")), NO_RETRY);
        await(() -> one.lastError() != null);
        assertThat(one.lastError()).isEqualTo("http://f2: no reply");

        assertThat(start(List.of(), NO_RETRY).lastError()).isEqualTo("the torrent has no trackers");
    }

    @Test
    void eachTrackerGetsItsOwnTrackerIdBack() throws Exception {
        trackers.set("http://a", answering(Duration.ofMillis(50), "id-of-a"))
                .set("http://b", answering(Duration.ofMillis(50), List.of()));

        start(List.of(List.of("http://a"), List.of("http://b")), FAST);
        await(() -> trackers.events("http://a").size() >= 2 && trackers.events("http://b").size() >= 2);

        assertThat(trackers.announces()).filteredOn(a -> a.url().equals("http://a")).extracting(a -> a.trackerId())
                .startsWith(Optional.empty(), Optional.of("id-of-a"));
        assertThat(trackers.announces()).filteredOn(a -> a.url().equals("http://b")).extracting(a -> a.trackerId())
                .containsOnly(Optional.empty());
    }

    @Test
    void reannounceAsksEveryTrackerAgainAtOnceWithoutWaitingForItsInterval() throws Exception {
        trackers.set("http://a", answering(LONG, List.of(PEER))).set("http://b", answering(LONG, List.of(PEER)));
        Announcer announcer = start(List.of(List.of("http://a"), List.of("http://b")), FAST);
        await(() -> trackers.events("http://a").size() == 1 && trackers.events("http://b").size() == 1);

        announcer.reannounce();

        await(() -> trackers.events("http://a").size() == 2 && trackers.events("http://b").size() == 2);
        assertThat(trackers.events("http://a")).containsExactly(STARTED, NONE);
    }

    @Test
    void reannounceInALoopSendsOneAnnouncePerGap() throws Exception {
        trackers.set("http://a", answering(LONG, List.of(PEER)));
        AnnouncePolicy gap = new AnnouncePolicy(8, Duration.ofSeconds(2), LONG, LONG, Duration.ofSeconds(60),
                Duration.ofMillis(1), Duration.ofMinutes(10));
        Announcer announcer = start(List.of(List.of("http://a")), gap);
        await(() -> trackers.events("http://a").size() == 1);

        for (int i = 0; i < 1000; i++) {
            announcer.reannounce();
        }

        // The schedule says it all: the next announce is a gap after the first, whatever the loop asked.
        assertThat(trackers.events("http://a")).containsExactly(STARTED);
        assertThat(announcer.trackers().getFirst().nextAnnounce()).hasValueSatisfying(next ->
                assertThat(next).isBetween(java.time.Instant.now().plus(Duration.ofMinutes(9)),
                        java.time.Instant.now().plus(Duration.ofMinutes(10))));
    }

    @Test
    void aTrackerAddedWhileRunningIsToldStartedAndARemovedOneIsForgotten() throws Exception {
        trackers.set("http://a", answering(LONG, List.of(PEER))).set("http://b", answering(LONG, List.of(PEER)));
        Announcer announcer = start(List.of(List.of("http://a")), FAST);
        await(() -> trackers.events("http://a").size() == 1);

        announcer.setTrackers(List.of(List.of("http://b")));

        await(() -> trackers.events("http://b").size() == 1);
        assertThat(trackers.events("http://b")).containsExactly(STARTED);
        assertThat(announcer.trackers()).extracting(TrackerStatus::url).containsExactly("http://b");
        announcer.stop();
        assertThat(trackers.events("http://a")).as("removed: owed nothing").containsExactly(STARTED);
        assertThat(trackers.events("http://b")).containsExactly(STARTED, STOPPED);
    }

    @Test
    void anAnnouncerStartedWithoutTrackersStartsWithTheFirstOneAdded() throws Exception {
        trackers.set("http://a", answering(LONG, List.of(PEER)));
        Announcer announcer = start(List.of(), FAST);

        announcer.setTrackers(List.of(List.of("http://a")));

        assertThat(torrent.nextPeers(Duration.ofSeconds(5))).containsExactly(PEER);
        TrackerStatus status = announcer.trackers().getFirst();
        assertThat(status.lastPeers()).hasValue(1);
        assertThat(status.lastAnnounce()).isPresent();
        assertThat(status.error()).isEmpty();
    }

    private Announcer start(List<List<String>> tiers, AnnouncePolicy policy) {
        Announcer announcer = new Announcer(new TrackerTiers(tiers, trackers, new SplittableRandom(1)), torrent,
                policy, 6881, 7, List.of());
        started.add(announcer);
        announcer.start();
        return announcer;
    }

    private List<String> asked() {
        return trackers.announces().stream().map(FakeTrackers.Announce::url).toList();
    }

    private static String url(int i) {
        return "http://t" + i;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("time left for the condition").isNegative();
            Thread.sleep(5);
        }
    }

    private static Duration timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
