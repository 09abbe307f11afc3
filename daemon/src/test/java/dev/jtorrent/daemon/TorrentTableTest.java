package dev.jtorrent.daemon;

import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TorrentTableTest {
    @TempDir
    Path dir;

    /** A clock a test moves by hand. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-12-08T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void idsAreNeverReusedAndRemovedIdsAreReportedForAMinute() throws Exception {
        ManualClock clock = new ManualClock();
        try (Session session = Session.start(DaemonTest.config(dir).session())) {
            TorrentTable table = new TorrentTable(session, clock);
            AddOptions paused = AddOptions.builder().paused(true).build();
            DaemonTorrent a = table.add(DaemonTest.metainfo(dir, "a", 1000), paused, List.of(), "").torrent();
            DaemonTorrent b = table.add(DaemonTest.metainfo(dir, "b", 2000), paused, List.of(), "").torrent();
            assertThat(List.of(a.id(), b.id())).containsExactly(1, 2);

            table.remove(a, false);
            DaemonTorrent c = table.add(DaemonTest.metainfo(dir, "c", 3000), paused, List.of(), "").torrent();
            assertThat(c.id()).isEqualTo(3);
            assertThat(table.all()).containsExactly(b, c);
            assertThat(table.byId(1)).isEmpty();
            assertThat(table.byHash(b.infoHash())).contains(b);

            clock.advance(TorrentTable.RECENTLY_REMOVED.minusSeconds(1));
            assertThat(table.recentlyRemoved()).containsExactly(1);
            clock.advance(Duration.ofSeconds(2));
            assertThat(table.recentlyRemoved()).isEmpty();
        }
    }

    @Test
    void atMostMaxRecentlyRemovedIdsAreRemembered() throws Exception {
        try (Session session = Session.start(DaemonTest.config(dir).session())) {
            TorrentTable table = new TorrentTable(session, new ManualClock());
            for (int id = 1; id <= TorrentTable.MAX_RECENTLY_REMOVED; id++) {
                table.noteRemoval(id);
            }
            assertThat(table.recentlyRemoved()).hasSize(TorrentTable.MAX_RECENTLY_REMOVED).first().isEqualTo(1);
            table.noteRemoval(TorrentTable.MAX_RECENTLY_REMOVED + 1);
            assertThat(table.recentlyRemoved()).hasSize(TorrentTable.MAX_RECENTLY_REMOVED).first().isEqualTo(2);
        }
    }
}
