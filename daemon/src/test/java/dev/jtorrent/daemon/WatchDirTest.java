package dev.jtorrent.daemon;

import dev.jtorrent.metainfo.MagnetLink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WatchDirTest {
    @TempDir
    Path dir;

    @Test
    void aFileIsReadyOnlyOnceUnchangedOverTwoPolls() {
        WatchDirScan scan = new WatchDirScan();
        var small = new WatchDirScan.Seen(10, 1_000);
        var grown = new WatchDirScan.Seen(20, 1_000);
        assertThat(scan.poll(Map.of("a.torrent", small, "notes.txt", small))).isEmpty();
        assertThat(scan.poll(Map.of("a.torrent", grown, "notes.txt", small))).isEmpty();
        assertThat(scan.poll(Map.of("a.torrent", grown, "b.MAGNET", small))).containsExactly("a.torrent");
        assertThat(scan.poll(Map.of("b.MAGNET", small))).containsExactly("b.MAGNET");
        assertThat(WatchDirScan.watched(".partial.torrent")).isFalse();
        assertThat(WatchDirScan.watched("x.torrent.added")).isFalse();
    }

    @Test
    void torrentAndMagnetFilesAreAddedAndRenamedAndBadOnesAreSetAside() throws Exception {
        Path watch = dir.resolve("watch");
        try (Daemon daemon = Daemon.start(DaemonTest.config(dir).withWatchDir(watch))) {
            WatchDir watchDir = daemon.watchDir().orElseThrow();
            byte[] metainfo = DaemonTest.metainfo(dir, "dropped.bin", 20_000);
            Files.write(watch.resolve("dropped.torrent"), metainfo);
            String link = "magnet:?xt=urn:btih:" + "cd".repeat(20) + "&dn=linked";
            Files.writeString(watch.resolve("linked.magnet"), link + "\n");
            Files.writeString(watch.resolve("broken.torrent"), "d4:infoi1ee");
            Files.writeString(watch.resolve("huge.magnet"), "magnet:?xt=" + "x".repeat(MagnetLink.MAX_LENGTH));
            Files.writeString(watch.resolve("readme.txt"), "left alone");

            watchDir.poll();
            watchDir.poll();

            assertThat(daemon.torrents().all()).extracting(torrent -> torrent.handle().name())
                    .containsExactlyInAnyOrder("dropped.bin", "linked");
            try (var files = Files.list(watch)) {
                assertThat(files.map(file -> file.getFileName().toString())).containsExactlyInAnyOrder(
                        "dropped.torrent.added", "linked.magnet.added", "broken.torrent.invalid",
                        "huge.magnet.invalid", "readme.txt");
            }

            Files.write(watch.resolve("again.torrent"), metainfo);
            watchDir.poll();
            assertThat(watchDir.poll()).containsExactly("again.torrent");
            assertThat(daemon.torrents().size()).isEqualTo(2);
            assertThat(watch.resolve("again.torrent.added")).exists();
        }
    }

    @Test
    void aFileStillBeingWrittenIsNotRead() throws Exception {
        Path watch = dir.resolve("watch");
        try (Daemon daemon = Daemon.start(DaemonTest.config(dir).withWatchDir(watch))) {
            WatchDir watchDir = daemon.watchDir().orElseThrow();
            byte[] metainfo = DaemonTest.metainfo(dir, "slow.bin", 20_000);
            Path file = watch.resolve("slow.torrent");
            Files.write(file, java.util.Arrays.copyOf(metainfo, metainfo.length / 2));
            assertThat(watchDir.poll()).isEmpty();
            Files.write(file, metainfo);
            assertThat(watchDir.poll()).isEmpty();
            assertThat(watchDir.poll()).containsExactly("slow.torrent");
            assertThat(daemon.torrents().all()).hasSize(1);
            assertThat(List.of(Files.exists(watch.resolve("slow.torrent.added")))).containsExactly(true);
        }
    }
}
