package dev.jtorrent.session;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A torrent's dates and running times, at instants the test gives. */
class ActivityTest {
    private static final Instant ADDED = Instant.parse("2026-01-01T00:00:00Z");
    private static final long S = 1_000_000_000L;

    private final Activity activity = Activity.startingAt(ADDED);

    @Test
    void timeRunningIsCountedAsDownloadingThenSeedingAndNotWhilePaused() {
        activity.observe(new TorrentState.Queued(), 0);
        activity.observe(new TorrentState.Downloading(), 10 * S);
        activity.completed(ADDED.plusSeconds(70), 70 * S);
        activity.observe(new TorrentState.Paused(), 100 * S);
        activity.observe(new TorrentState.Seeding(), 1000 * S);

        TorrentTimes times = activity.times(1005 * S);

        assertThat(times.downloading()).isEqualTo(Duration.ofSeconds(60));
        assertThat(times.seeding()).isEqualTo(Duration.ofSeconds(35));
        assertThat(times.active()).isEqualTo(Duration.ofSeconds(95));
        assertThat(times.added()).isEqualTo(ADDED);
        assertThat(times.completed()).contains(ADDED.plusSeconds(70));
    }

    @Test
    void theFirstCompletionIsTheOneKept() {
        activity.completed(ADDED.plusSeconds(5), 5 * S);
        activity.completed(ADDED.plusSeconds(500), 500 * S);

        assertThat(activity.times(600 * S).completed()).contains(ADDED.plusSeconds(5));
    }

    @Test
    void activityIsWhenPayloadWasSeenMovingOrHavingMoved() {
        activity.payload(0, false, ADDED.plusSeconds(1));
        assertThat(activity.times(0).lastActivity()).isEmpty();

        activity.payload(0, true, ADDED.plusSeconds(2));
        assertThat(activity.times(0).lastActivity()).contains(ADDED.plusSeconds(2));

        activity.payload(500, false, ADDED.plusSeconds(9));
        assertThat(activity.times(0).lastActivity()).as("moved since the last look").contains(ADDED.plusSeconds(9));

        activity.payload(500, false, ADDED.plusSeconds(30));
        assertThat(activity.times(0).lastActivity()).contains(ADDED.plusSeconds(9));
    }

    @Test
    void timesKeptFromARecordGoOnFromThere() {
        Activity kept = new Activity(ADDED, Optional.of(ADDED.plusSeconds(3)), Optional.empty(),
                Duration.ofSeconds(100), Duration.ofSeconds(200));
        kept.observe(new TorrentState.Seeding(), 50 * S);

        TorrentTimes times = kept.times(60 * S);

        assertThat(times.downloading()).isEqualTo(Duration.ofSeconds(100));
        assertThat(times.seeding()).isEqualTo(Duration.ofSeconds(210));
        assertThat(times.completed()).contains(ADDED.plusSeconds(3));
    }
}
