package dev.jtorrent.daemon;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.FilePriority;
import dev.jtorrent.session.FileStatus;
import dev.jtorrent.session.TorrentState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon's torrents come back after a restart, and after a crash: each with its labels, category, time added,
 * download dir, paused or not, limits, sequential flag and file priorities, in the same order.
 */
class DaemonStateTest {
    @TempDir
    Path dir;

    /** What a test checks of a torrent across a restart. */
    private record Kept(String hash, List<String> labels, String category, java.time.Instant added, Path directory,
                        boolean paused, long uploadLimit, long downloadLimit, boolean sequential,
                        List<FilePriority> priorities) {
        static Kept of(DaemonTorrent torrent) {
            var handle = torrent.handle();
            return new Kept(torrent.infoHash().hex(), torrent.labels(), torrent.category(),
                    torrent.addedAt().truncatedTo(ChronoUnit.MILLIS), handle.directory(),
                    handle.status().state() instanceof TorrentState.Paused, handle.uploadLimit(),
                    handle.downloadLimit(), handle.sequential(),
                    handle.files().stream().map(FileStatus::priority).toList());
        }
    }

    private static List<Kept> kept(Daemon daemon) {
        return daemon.torrents().all().stream().map(Kept::of).toList();
    }

    /** Three torrents: one running, one paused with settings of its own, one magnet link waiting for metadata. */
    private void addThree(Daemon daemon) throws Exception {
        TorrentTable table = daemon.torrents();
        table.add(DaemonTest.metainfo(dir, "running.bin", 50_000), AddOptions.defaults(), List.of("tv", "hd"),
                "shows");
        Path elsewhere = dir.resolve("elsewhere");
        Files.createDirectories(elsewhere);
        DaemonTorrent paused = table.add(DaemonTest.metainfo(dir, "paused.bin", 30_000),
                AddOptions.builder().paused(true).downloadDirectory(elsewhere).build(), List.of(), "").torrent();
        paused.handle().setUploadLimit(5_000);
        paused.handle().setDownloadLimit(7_000);
        paused.handle().setSequential(true);
        paused.handle().setFilePriority(0, FilePriority.SKIP);
        table.changed(paused);
        table.add(MagnetLink.parse("magnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=later"),
                AddOptions.builder().paused(true).build(), List.of("m"), "films");
    }

    @Test
    void aRestartBringsBackEveryTorrentWithItsState() throws Exception {
        List<Kept> before;
        try (Daemon daemon = Daemon.start(DaemonTest.config(dir))) {
            addThree(daemon);
            before = kept(daemon);
            assertThat(before).extracting(Kept::paused).containsExactly(false, true, true);
        }
        try (Daemon daemon = Daemon.start(DaemonTest.config(dir))) {
            assertThat(kept(daemon)).containsExactlyElementsOf(before);
            assertThat(daemon.torrents().all()).extracting(DaemonTorrent::id).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aCrashAfterTheStateWasWrittenLosesNothing() throws Exception {
        DaemonConfig first = DaemonTest.config(dir.resolve("a"));
        Path copy = dir.resolve("b");
        List<Kept> before;
        try (Daemon daemon = Daemon.start(first)) {
            addThree(daemon);
            DaemonTorrent running = daemon.torrents().all().getFirst();
            running.handle().pause();
            daemon.torrents().changed(running);
            daemon.torrents().setLabels(daemon.torrents().all().get(1), List.of("relabelled"));
            assertThat(daemon.state().flush(Duration.ofSeconds(20))).isTrue();
            before = kept(daemon);
            // What a kill -9 now leaves: the config dir as it is on disk, no close() having saved anything more.
            copyTree(first.configDir(), DaemonTest.config(copy).configDir());
        }
        try (Daemon daemon = Daemon.start(DaemonTest.config(copy))) {
            List<Kept> after = kept(daemon);
            assertThat(after).hasSize(3);
            assertThat(after.get(0).paused()).isTrue();
            assertThat(after.get(1).labels()).containsExactly("relabelled");
            // The torrents' download dirs were the first daemon's: the copy keeps them.
            assertThat(after).containsExactlyElementsOf(before);
        }
    }

    @Test
    void aCorruptRecordSkipsItsTorrentAndTheRestLoad() throws Exception {
        InfoHash skipped;
        try (Daemon daemon = Daemon.start(DaemonTest.config(dir))) {
            addThree(daemon);
            skipped = daemon.torrents().all().get(1).infoHash();
        }
        Path record = dir.resolve("config").resolve(StateStore.DIRECTORY).resolve(skipped.hex() + ".json");
        Files.writeString(record, "{\"added\": \"yesterday\"");
        Path data = dir.resolve("elsewhere");
        try (Daemon daemon = Daemon.start(DaemonTest.config(dir))) {
            assertThat(daemon.torrents().all()).hasSize(2);
            assertThat(daemon.torrents().byHash(skipped)).isEmpty();
        }
        assertThat(Files.readString(record)).isEqualTo("{\"added\": \"yesterday\"");
        assertThat(data).isDirectory();
    }

    @Test
    void aRemovedTorrentsStateIsDeleted() throws Exception {
        try (Daemon daemon = Daemon.start(DaemonTest.config(dir))) {
            addThree(daemon);
            DaemonTorrent first = daemon.torrents().all().getFirst();
            daemon.torrents().remove(first, false);
            assertThat(daemon.state().flush(Duration.ofSeconds(20))).isTrue();
            try (Stream<Path> files = Files.list(daemon.state().directory())) {
                assertThat(files.map(file -> file.getFileName().toString()))
                        .noneMatch(name -> name.startsWith(first.infoHash().hex()));
            }
        }
        try (Daemon daemon = Daemon.start(DaemonTest.config(dir))) {
            assertThat(daemon.torrents().all()).hasSize(2);
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    @Test
    void theQueueOrderComesBackAfterARestart() throws Exception {
        List<InfoHash> order;
        try (Daemon daemon = Daemon.start(DaemonTest.config(dir))) {
            addThree(daemon);
            DaemonTorrent last = daemon.torrents().all().get(2);
            last.handle().moveQueueToTop();
            daemon.torrents().changed(last);
            order = daemon.torrents().all().stream()
                    .sorted(java.util.Comparator.comparingInt(torrent -> torrent.handle().queuePosition()))
                    .map(DaemonTorrent::infoHash).toList();
            assertThat(order.getFirst()).isEqualTo(last.infoHash());
        }
        try (Daemon daemon = Daemon.start(DaemonTest.config(dir))) {
            assertThat(daemon.torrents().all().stream()
                    .sorted(java.util.Comparator.comparingInt(torrent -> torrent.handle().queuePosition()))
                    .map(DaemonTorrent::infoHash).toList()).containsExactlyElementsOf(order);
        }
    }
}
