package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Trackers edited, dates and totals over a restart: a leecher with a resume directory downloads from a seeder found
 * through the embedded tracker, has its trackers edited, closes, and a new session with the same directory finds
 * all of it as it was.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TorrentRecordSessionTest {
    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void editedTrackersDatesAndTotalsSurviveARestart() throws Exception {
        Path content = swarm.content("kept", 300_000);
        Torrent torrent = swarm.torrentOf(content, 16384);
        swarm.seed(torrent, content);
        Path resume = swarm.dir().resolve("resume");
        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        SessionConfig config = SessionConfig.builder().bindAddress(LoopbackSwarm.LOOPBACK).port(0)
                .resumeDirectory(resume).build();
        Session first = swarm.session(config);
        TorrentHandle leecher = swarm.add(first, torrent, downloads);
        leecher.completion().get(30, TimeUnit.SECONDS);
        String original = swarm.tracker().httpAnnounceUrl();
        String closedPort = "http://127.0.0.1:1/announce";

        leecher.addTracker(closedPort);
        FakePeer.await("the added tracker tried", Duration.ofSeconds(10), () -> leecher.trackers().stream()
                .anyMatch(t -> t.url().equals(closedPort) && t.lastAnnounce().isPresent()));
        assertThat(leecher.trackers()).extracting(TrackerStatus::url, TrackerStatus::tier)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(original, 0),
                        org.assertj.core.groups.Tuple.tuple(closedPort, 1));
        assertThat(leecher.removeTracker(original)).isTrue();
        assertThatThrownBy(() -> leecher.addTracker("gopher://x/announce"))
                .isInstanceOf(IllegalArgumentException.class);
        TorrentTimes before = leecher.times();
        long downloaded = leecher.status().downloaded();
        assertThat(before.completed()).isPresent();
        assertThat(downloaded).isGreaterThanOrEqualTo(300_000);
        first.close();

        Session second = swarm.session(config);
        TorrentHandle again = swarm.add(second, torrent, downloads);

        assertThat(again.trackers()).extracting(TrackerStatus::url).containsExactly(closedPort);
        TorrentTimes after = again.times();
        assertThat(after.added()).isEqualTo(before.added().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(after.completed()).isEqualTo(before.completed()
                .map(when -> when.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
        assertThat(after.downloading()).isGreaterThan(Duration.ZERO);
        assertThat(again.status().downloaded()).isEqualTo(downloaded);
        again.checked().get(10, TimeUnit.SECONDS);
        assertThat(again.status().state()).isInstanceOf(TorrentState.Seeding.class);
    }

    @Test
    void removingATorrentForgetsItsRecord() throws Exception {
        Path content = swarm.content("forgotten", 50_000);
        Torrent torrent = swarm.torrentOf(content, 16384);
        Path resume = swarm.dir().resolve("resume");
        Session session = swarm.session(SessionConfig.builder().bindAddress(LoopbackSwarm.LOOPBACK).port(0)
                .resumeDirectory(resume).build());
        TorrentHandle handle = Adds.added(session, torrent, AddOptions.builder()
                .downloadDirectory(content.getParent()).build()); // not paused after the test: it is removed
        handle.addTracker("http://127.0.0.1:1/announce");
        Path state = resume.resolve(torrent.infoHash().hex() + ".state");
        assertThat(state).exists();

        session.remove(handle, false);

        assertThat(state).doesNotExist();
        assertThat(List.of(resume.toFile().list())).noneMatch(name -> name.endsWith(".tmp"));
    }
}
