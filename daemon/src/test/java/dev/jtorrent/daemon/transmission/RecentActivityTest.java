package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.session.SessionEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class RecentActivityTest {
    @TempDir
    Path dir;

    /** A clock a test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-12-08T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aPausedTorrentIsRecentlyActiveForAMinuteAfterItChangedAndARunningOneAlways() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            DaemonTorrent paused = rpc.daemon.torrents().byId(rpc.addPaused("a.bin", 1000)).orElseThrow();
            ManualClock clock = new ManualClock();
            RecentActivity activity = new RecentActivity(clock);
            assertThat(activity.recentlyActive(paused, paused.handle().status())).isFalse();

            activity.onEvent(new SessionEvent.TorrentAdded(paused.handle()));
            assertThat(activity.recentlyActive(paused, paused.handle().status())).isTrue();
            clock.now = clock.now.plus(RecentActivity.WINDOW);
            assertThat(activity.recentlyActive(paused, paused.handle().status())).isTrue();
            clock.now = clock.now.plusSeconds(1);
            assertThat(activity.recentlyActive(paused, paused.handle().status())).isFalse();

            activity.touch(paused.infoHash());
            assertThat(activity.recentlyActive(paused, paused.handle().status())).isTrue();
            clock.now = clock.now.plus(Duration.ofMinutes(5));

            // Events were lost: for a window, every torrent counts as changed.
            activity.onEvent(new SessionEvent.EventsLost(3));
            assertThat(activity.recentlyActive(paused, paused.handle().status())).isTrue();
            clock.now = clock.now.plus(RecentActivity.WINDOW);
            assertThat(activity.recentlyActive(paused, paused.handle().status())).isFalse();

            paused.handle().resume();
            assertThat(activity.recentlyActive(paused, paused.handle().status())).isTrue();
        }
    }
}
