package dev.jtorrent.session;

import dev.jtorrent.tracker.AnnounceResponse;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static dev.jtorrent.tracker.AnnounceEvent.COMPLETED;
import static dev.jtorrent.tracker.AnnounceEvent.NONE;
import static dev.jtorrent.tracker.AnnounceEvent.STARTED;
import static dev.jtorrent.tracker.AnnounceEvent.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

/** One tracker's schedule, at instants the test gives: no clock, no sleeping. */
class TrackerStateTest {
    private static final long T0 = 1_000_000_000_000L;
    private static final AnnouncePolicy POLICY = AnnouncePolicy.DEFAULT;

    private final TrackerState tracker = new TrackerState("http://t/announce", POLICY, T0);

    @Test
    void startedIsDueAtOnceAndSentUntilAnswered() {
        assertThat(tracker.due(T0)).isTrue();
        assertThat(tracker.event()).isEqualTo(STARTED);

        tracker.failed(STARTED, "no reply", T0);
        assertThat(tracker.event()).as("a failed started is tried again as started").isEqualTo(STARTED);

        tracker.answered(STARTED, 100, reply(Duration.ofMinutes(20)), false, at(30));
        assertThat(tracker.event()).isEqualTo(NONE);
        assertThat(tracker.nextAnnounce()).isEqualTo(at(30 + 20 * 60));
    }

    @Test
    void failuresInARowAreRetriedAfter30SecondsDoublingTo30Minutes() {
        List<Long> waits = new ArrayList<>();
        long now = T0;
        for (int i = 0; i < 9; i++) {
            tracker.failed(STARTED, "no reply", now);
            waits.add((tracker.nextAnnounce() - now) / 1_000_000_000L);
            now = tracker.nextAnnounce();
        }

        assertThat(waits).containsExactly(30L, 60L, 120L, 240L, 480L, 960L, 1800L, 1800L, 1800L);
        assertThat(tracker.error()).isEqualTo("no reply");
    }

    @Test
    void anAnswerClearsTheErrorAndStartsTheBackoffAfresh() {
        tracker.failed(STARTED, "no reply", T0);
        tracker.failed(STARTED, "no reply", at(30));
        tracker.answered(STARTED, 100, reply(Duration.ofMinutes(20)), false, at(90));

        assertThat(tracker.error()).isNull();
        tracker.failed(NONE, "refused", at(1290));
        assertThat(tracker.nextAnnounce()).isEqualTo(at(1290 + 30));
        assertThat(tracker.error()).isEqualTo("refused");
    }

    @Test
    void aLonelyTorrentAsksAgainAfterAMinuteButNotBeforeTheTrackersMinInterval() {
        tracker.answered(STARTED, 100, reply(Duration.ofMinutes(30)), true, T0);
        assertThat(tracker.nextAnnounce()).isEqualTo(at(60));

        AnnounceResponse withMin = new AnnounceResponse(Duration.ofMinutes(30), Optional.of(Duration.ofMinutes(5)),
                List.of(), OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty());
        tracker.answered(NONE, 100, withMin, true, T0);
        assertThat(tracker.nextAnnounce()).isEqualTo(at(300));

        tracker.answered(NONE, 100, reply(Duration.ofSeconds(40)), true, T0);
        assertThat(tracker.nextAnnounce()).as("the tracker's own interval, when sooner").isEqualTo(at(40));
    }

    @Test
    void aTrackerAskingForNoIntervalIsNotAskedAgainInATightLoop() {
        tracker.answered(STARTED, 100, reply(Duration.ZERO), false, T0);

        assertThat(tracker.nextAnnounce()).isEqualTo(T0 + POLICY.leastInterval().toNanos()).isEqualTo(at(5));
    }

    @Test
    void completedIsDueAtOnceForATrackerThatKnowsUsAsALeecher() {
        tracker.answered(STARTED, 100, reply(Duration.ofMinutes(30)), false, T0);

        tracker.torrentCompleted(at(10));

        assertThat(tracker.due(at(10))).isTrue();
        assertThat(tracker.event()).isEqualTo(COMPLETED);
        tracker.answered(COMPLETED, 0, reply(Duration.ofMinutes(30)), false, at(11));
        assertThat(tracker.event()).as("completed is sent once").isEqualTo(NONE);
        assertThat(tracker.nextAnnounce()).isEqualTo(at(11 + 30 * 60));
    }

    @Test
    void aFailedCompletedIsTriedAgainAsCompleted() {
        tracker.answered(STARTED, 100, reply(Duration.ofMinutes(30)), false, T0);
        tracker.torrentCompleted(at(10));

        tracker.failed(COMPLETED, "no reply", at(10));

        assertThat(tracker.event()).isEqualTo(COMPLETED);
        assertThat(tracker.nextAnnounce()).isEqualTo(at(40));
    }

    @Test
    void aTrackerThatHasNotAnsweredStartedIsOwedNoCompleted() {
        tracker.torrentCompleted(T0);

        assertThat(tracker.event()).isEqualTo(STARTED);
        tracker.answered(STARTED, 0, reply(Duration.ofMinutes(30)), false, at(1));
        assertThat(tracker.event()).as("complete when it answered started, as BEP 3 says").isEqualTo(NONE);
        assertThat(tracker.due(at(2))).isFalse();
    }

    @Test
    void aStartedSentBeforeTheDownloadEndedAndAnsweredAfterIsFollowedByCompleted() {
        tracker.torrentCompleted(T0);

        tracker.answered(STARTED, 100, reply(Duration.ofMinutes(30)), false, at(1));

        assertThat(tracker.event()).isEqualTo(COMPLETED);
        assertThat(tracker.due(at(1))).isTrue();
    }

    @Test
    void stoppedIsOwedOnlyByATrackerThatAnsweredStarted() {
        tracker.failed(STARTED, "no reply", T0);
        tracker.stopping();
        assertThat(tracker.owesStopped()).isFalse();
        assertThat(tracker.stopEvent()).isEmpty();
    }

    @Test
    void aStoppingTorrentOwesStoppedOnceEvenAfterAFailure() {
        tracker.answered(STARTED, 100, reply(Duration.ofMinutes(30)), false, T0);
        tracker.failed(NONE, "no reply", at(60));
        assertThat(tracker.owesStopped()).as("it knows us still").isTrue();

        tracker.stopping();
        assertThat(tracker.stopEvent()).contains(STOPPED);
        tracker.failed(STOPPED, "no reply", at(61));

        assertThat(tracker.owesStopped()).isFalse();
        assertThat(tracker.stopEvent()).isEmpty();
    }

    @Test
    void aStoppingTorrentThatJustCompletedOwesCompletedThenStopped() {
        tracker.answered(STARTED, 100, reply(Duration.ofMinutes(30)), false, T0);
        tracker.torrentCompleted(at(1));
        tracker.stopping();

        assertThat(tracker.stopEvent()).contains(COMPLETED);
        tracker.answered(COMPLETED, 0, reply(Duration.ofMinutes(30)), false, at(2));
        assertThat(tracker.stopEvent()).contains(STOPPED);
        tracker.answered(STOPPED, 0, reply(Duration.ofMinutes(30)), false, at(3));
        assertThat(tracker.stopEvent()).isEmpty();
    }

    @Test
    void aCompletedThatFailsWhileStoppingIsNotTriedAgain() {
        tracker.answered(STARTED, 100, reply(Duration.ofMinutes(30)), false, T0);
        tracker.torrentCompleted(at(1));
        tracker.stopping();

        tracker.failed(COMPLETED, "no reply", at(2));

        assertThat(tracker.stopEvent()).contains(STOPPED);
    }

    @Test
    void theTrackerIdIsKeptUntilTheTrackerGivesAnother() {
        tracker.answered(STARTED, 100, reply(Duration.ofMinutes(30), "first"), false, T0);
        tracker.answered(NONE, 100, reply(Duration.ofMinutes(30)), false, at(1));
        assertThat(tracker.trackerId()).contains("first");

        tracker.answered(NONE, 100, reply(Duration.ofMinutes(30), "second"), false, at(2));
        assertThat(tracker.trackerId()).contains("second");
    }

    @Test
    void aForcedAnnounceIsDueAtOnceWhenTheLastWasSentAtLeastTheGapAgo() {
        tracker.sending(T0);
        tracker.answered(STARTED, 100, reply(Duration.ofMinutes(30)), false, at(1));

        tracker.forceAnnounce(at(60));

        assertThat(tracker.due(at(60))).isTrue();
        assertThat(tracker.nextAnnounce()).isEqualTo(at(60));
    }

    @Test
    void aForcedAnnounceWithinTheGapWaitsForItsEndAndALoopOfThemSendsNoMore() {
        tracker.sending(T0);
        tracker.answered(STARTED, 100, reply(Duration.ofMinutes(30)), false, at(1));

        for (int second = 2; second < 60; second++) {
            tracker.forceAnnounce(at(second));
            assertThat(tracker.due(at(second))).as("forced at second %d", second).isFalse();
        }
        assertThat(tracker.nextAnnounce()).as("one announce, a gap after the last sent")
                .isEqualTo(at(POLICY.forcedGap().toSeconds()));
    }

    @Test
    void aForcedAnnounceKeepsToTheTrackersMinIntervalWhenLongerThanTheGap() {
        AnnounceResponse withMin = new AnnounceResponse(Duration.ofMinutes(30), Optional.of(Duration.ofMinutes(5)),
                List.of(), OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty());
        tracker.sending(T0);
        tracker.answered(STARTED, 100, withMin, false, at(1));

        tracker.forceAnnounce(at(61));

        assertThat(tracker.nextAnnounce()).isEqualTo(at(300));
    }

    @Test
    void aForcedAnnounceNeverPutsOffOneDueSoonerNorAnnouncesWhileStopping() {
        tracker.sending(T0);
        tracker.failed(STARTED, "no reply", at(1)); // retried at 31 s
        tracker.forceAnnounce(at(2));
        assertThat(tracker.nextAnnounce()).as("due sooner anyway").isEqualTo(at(31));

        tracker.sending(at(31));
        tracker.answered(STARTED, 100, reply(Duration.ofMinutes(30)), false, at(32));
        tracker.stopping();
        tracker.forceAnnounce(at(200));
        assertThat(tracker.nextAnnounce()).isEqualTo(at(32 + 30 * 60));
    }

    @Test
    void aTrackerNeverSentAnythingIsDueAtOnceWhenForced() {
        TrackerState fresh = new TrackerState("http://t/announce", POLICY, at(100));
        fresh.forceAnnounce(at(5));
        assertThat(fresh.nextAnnounce()).isEqualTo(at(5));
    }

    @Test
    void theLastAnswerIsRememberedForTheStatus() {
        assertThat(tracker.lastFinished()).isEmpty();
        assertThat(tracker.lastPeers()).isEmpty();
        tracker.answered(STARTED, 100, new AnnounceResponse(Duration.ofMinutes(30), Optional.empty(),
                List.of(new InetSocketAddress("127.0.0.2", 6881)), OptionalInt.of(3), OptionalInt.of(4),
                Optional.empty(), Optional.empty()), false, at(7));

        assertThat(tracker.lastFinished()).hasValue(at(7));
        assertThat(tracker.lastPeers()).hasValue(1);
        assertThat(tracker.seeders()).hasValue(3);
        assertThat(tracker.leechers()).hasValue(4);
        tracker.failed(NONE, "refused", at(9));
        assertThat(tracker.lastFinished()).hasValue(at(9));
        assertThat(tracker.lastPeers()).as("the last answer's, kept over a failure").hasValue(1);
    }

    private static long at(long seconds) {
        return T0 + seconds * 1_000_000_000L;
    }

    private static AnnounceResponse reply(Duration interval) {
        return new AnnounceResponse(interval, Optional.empty(), List.<InetSocketAddress>of(), OptionalInt.empty(),
                OptionalInt.empty(), Optional.empty(), Optional.empty());
    }

    private static AnnounceResponse reply(Duration interval, String trackerId) {
        return new AnnounceResponse(interval, Optional.empty(), List.of(), OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty(), Optional.of(trackerId));
    }
}
