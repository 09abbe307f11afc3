package dev.jtorrent.cli;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import dev.jtorrent.session.TorrentHandle;
import dev.jtorrent.tracker.TrackerServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code download --select-file} and {@code --exclude} end to end in-process, from an embedded tracker and seeder: an
 * album of five files whose sizes are no multiple of the piece size, so every file shares pieces with its neighbours.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SelectFilesTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    private TrackerServer tracker;
    private Session seeder;
    private Path content;
    private Path torrentFile;
    private TorrentHandle seeding;

    /** In the torrent's order (UTF-8 order of paths): 1 Sample/clip.bin, 2 cover.jpg, 3 info.nfo, 4 and 5 tracks. */
    @BeforeEach
    void seedAnAlbum() throws Exception {
        content = Files.createDirectories(dir.resolve("seed").resolve("album"));
        Files.createDirectories(content.resolve("Sample"));
        write("Sample/clip.bin", 200_000);
        write("cover.jpg", 50_000);
        write("info.nfo", 3_000);
        write("track-1.bin", 700_000);
        write("track-2.bin", 500_000);
        tracker = TrackerServer.start(new InetSocketAddress(LOOPBACK, 0), Duration.ofSeconds(5));
        seeder = Session.start(SessionConfig.builder().bindAddress(LOOPBACK).port(0).build());
        torrentFile = dir.resolve("album.torrent");
        assertThat(CliRun.of("create", content.toString(), "-o", torrentFile.toString(), "--piece-size", "32KiB",
                "-t", tracker.httpAnnounceUrl()).exitCode()).isZero();
        seeding = seeder.add(Torrent.load(torrentFile),
                AddOptions.builder().downloadDirectory(content.getParent()).build()).checked().join();
    }

    @AfterEach
    void stopAll() {
        seeding.pause();
        seeder.close();
        tracker.close();
    }

    @Test
    void infoNumbersTheFilesAsSelectFileTakesThem() {
        CliRun run = CliRun.of("info", torrentFile.toString());
        assertThat(run.out()).contains("Files (5, numbered as download --select-file takes them):\n"
                + "  1     195 KiB  album/Sample/clip.bin\n"
                + "  2    48.8 KiB  album/cover.jpg\n"
                + "  3    2.93 KiB  album/info.nfo\n"
                + "  4     684 KiB  album/track-1.bin\n"
                + "  5     488 KiB  album/track-2.bin");
    }

    @Test
    void downloadsTheSelectedFilesLessTheExcludedOnesAndCreatesNoOther() throws Exception {
        Path downloads = dir.resolve("downloads");
        CliRun run = CliRun.of("download", torrentFile.toString(), "-d", downloads.toString(), "--bind", "127.0.0.1",
                "--port", "0", "--select-file", "2-5", "--exclude", "*.nfo", "--sequential",
                "--download-limit", "100MiB");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Path album = downloads.resolve("album");
        for (String name : new String[] {"cover.jpg", "track-1.bin", "track-2.bin"}) {
            assertThat(Files.mismatch(content.resolve(name), album.resolve(name))).as(name).isEqualTo(-1);
        }
        assertThat(album.resolve("info.nfo")).doesNotExist();
        assertThat(album.resolve("Sample")).doesNotExist();
        assertThat(run.out()).contains("Downloaded album").contains("3 of 5 files verified");
    }

    @Test
    void excludesByAPathInsideTheTorrent() throws Exception {
        Path downloads = dir.resolve("downloads");
        CliRun run = CliRun.of("download", torrentFile.toString(), "-d", downloads.toString(), "--bind", "127.0.0.1",
                "--port", "0", "--exclude", "Sample/*", "--exclude", "track-?.bin");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Path album = downloads.resolve("album");
        assertThat(Files.mismatch(content.resolve("cover.jpg"), album.resolve("cover.jpg"))).isEqualTo(-1);
        assertThat(Files.mismatch(content.resolve("info.nfo"), album.resolve("info.nfo"))).isEqualTo(-1);
        try (var listed = Files.list(album)) {
            assertThat(listed.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("cover.jpg",
                    "info.nfo");
        }
        assertThat(run.out()).contains("2 of 5 files verified");
    }

    private void write(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(name.hashCode()).nextBytes(bytes);
        Files.write(content.resolve(name), bytes);
    }
}
