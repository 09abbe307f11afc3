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

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code download} end to end in-process: from an embedded tracker and seeder, then seeding for a while. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DownloadAndSeedTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Pattern SUMMARY = Pattern.compile(
            "(?m)^Stopped seeding album after \\d+:\\d\\d: uploaded .+ \\(ratio (\\d+\\.\\d\\d)\\)$");

    @TempDir
    Path dir;

    private TrackerServer tracker;
    private Session seeder;
    private Path content;
    private Path torrentFile;
    private TorrentHandle seeding;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

    /** A 3 MB album seeded by an in-process session, announced to an embedded tracker. */
    @BeforeEach
    void seedAnAlbum() throws Exception {
        content = Files.createDirectories(dir.resolve("seed").resolve("album"));
        byte[] bytes = new byte[3_000_000];
        new Random(9).nextBytes(bytes);
        Files.write(content.resolve("track.bin"), bytes);
        tracker = TrackerServer.start(new InetSocketAddress(LOOPBACK, 0), Duration.ofSeconds(5));
        seeder = Session.start(SessionConfig.builder().bindAddress(LOOPBACK).port(0).build());
        torrentFile = dir.resolve("album.torrent");
        assertThat(CliRun.of("create", content.toString(), "-o", torrentFile.toString(), "-t",
                tracker.httpAnnounceUrl()).exitCode()).isZero();
        seeding = seeder.add(Torrent.load(torrentFile), AddOptions.builder().downloadDirectory(content.getParent()).build()).checked().join();
    }

    /**
     * Each test's own resume directory: a torrent's record keeps its upload totals across runs, and those of another
     * test's run of this torrent (the same content, so the same info hash) would meet a ratio at once.
     */
    private String resumeDir() {
        return dir.resolve("resume").toString();
    }

    @AfterEach
    void stopAll() {
        background.shutdownNow();
        seeding.pause();
        seeder.close();
        tracker.close();
    }

    @Test
    void downloadsThenSeedsForTheTimeAskedAndExitsZero() throws Exception {
        long start = System.nanoTime();
        CliRun run = CliRun.of("download", torrentFile.toString(), "-d", dir.resolve("downloads").toString(),
                "--bind", "127.0.0.1", "--port", "0", "--seed-time", "2s", "--resume-dir", resumeDir());
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.mismatch(content.resolve("track.bin"),
                dir.resolve("downloads").resolve("album").resolve("track.bin"))).isEqualTo(-1);
        assertThat(run.out()).contains("Downloaded album").contains("all 92 pieces verified");
        assertThat(seconds).as("seeded for the 2 s asked").isGreaterThanOrEqualTo(2.0);
        assertThat(run.out()).containsPattern(SUMMARY);
    }

    /**
     * With {@code --seed-ratio 1}, download goes on after its download until it has uploaded a whole copy: the
     * original seed leaves once the download is done, so a second leecher can only finish from it, and it must
     * still be there for that; then it exits 0 by itself.
     */
    @Test
    void seedsAfterDownloadingUntilTheRatioIsReachedThenExitsZero() throws Exception {
        Torrent torrent = Torrent.load(torrentFile);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"download",
                torrentFile.toString(), "-d", dir.resolve("downloads").toString(), "--bind", "127.0.0.1",
                "--port", "0", "--seed-ratio", "1.0", "--resume-dir", resumeDir()}, new PrintWriter(out, true),
                new PrintWriter(err, true)), background);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!out.toString().contains("Downloaded album")) {
            assertThat(exit).as("download exited before printing \"Downloaded\"; stderr: %s", err).isNotDone();
            assertThat(System.nanoTime() - deadline).as("time left for the download; stdout: %s", out).isNegative();
            Thread.sleep(20);
        }
        seeding.pause(); // from now on, the downloader is the only one with the data
        assertThat(exit).as("download still seeding (ratio 0 of 1); stdout: %s", out).isNotDone();

        try (Session second = Session.start(SessionConfig.builder().bindAddress(LOOPBACK).port(0).build())) {
            Path secondDir = Files.createDirectories(dir.resolve("second"));
            TorrentHandle fetching = second.add(torrent, AddOptions.builder().downloadDirectory(secondDir).build()).checked().join();
            fetching.completion().get(30, TimeUnit.SECONDS);
            int code = exit.get(30, TimeUnit.SECONDS);

            assertThat(code).as("exit code; stdout: %s; stderr: %s", out, err).isZero();
            assertThat(Files.mismatch(content.resolve("track.bin"), secondDir.resolve("album").resolve("track.bin")))
                    .isEqualTo(-1);
            assertThat(fetching.status().downloaded()).as("bytes the second leecher had from the downloader")
                    .isEqualTo(torrent.info().totalLength());
            fetching.pause();
        }
        Matcher summary = SUMMARY.matcher(out.toString());
        assertThat(summary.find()).as("a \"Stopped seeding\" line in %s", out).isTrue();
        assertThat(Double.parseDouble(summary.group(1))).as("the ratio it stopped at").isGreaterThanOrEqualTo(1.0);
    }

    /** The ratio or the time, whichever comes first; a time of centuries (more nanoseconds than a long) is no error. */
    @Test
    void stopsSeedingAtARatioOfZeroWhateverTheSeedTime() {
        CliRun run = CliRun.of("download", torrentFile.toString(), "-d", dir.resolve("downloads").toString(),
                "--bind", "127.0.0.1", "--port", "0", "--seed-ratio", "0", "--seed-time", "999999999999d",
                "--resume-dir", resumeDir());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Downloaded album").containsPattern(SUMMARY);
    }

    /** A disk error while seeding after the download (here: the file cut short under it) ends the command with it. */
    @Test
    void aDiskErrorWhileSeedingEndsTheCommandWithTheError() throws Exception {
        Torrent torrent = Torrent.load(torrentFile);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path downloads = dir.resolve("downloads");
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"download",
                torrentFile.toString(), "-d", downloads.toString(), "--bind", "127.0.0.1", "--port", "0",
                "--seed-ratio", "1.0", "--resume-dir", resumeDir()}, new PrintWriter(out, true),
                new PrintWriter(err, true)), background);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!out.toString().contains("Downloaded album")) {
            assertThat(exit).as("download exited before printing \"Downloaded\"; stderr: %s", err).isNotDone();
            assertThat(System.nanoTime() - deadline).as("time left for the download; stdout: %s", out).isNegative();
            Thread.sleep(20);
        }
        seeding.pause();
        try (var file = Files.newByteChannel(downloads.resolve("album").resolve("track.bin"),
                java.nio.file.StandardOpenOption.WRITE)) {
            file.truncate(0); // (deleting it would not do: the open descriptor still reads it)
        }

        try (Session second = Session.start(SessionConfig.builder().bindAddress(LOOPBACK).port(0).build())) {
            TorrentHandle fetching = second.add(torrent, AddOptions.builder().downloadDirectory(Files.createDirectories(dir.resolve("second"))).build()).checked().join();
            int code = exit.get(30, TimeUnit.SECONDS);
            fetching.pause();

            assertThat(code).as("exit code; stdout: %s; stderr: %s", out, err).isEqualTo(1);
            assertThat(err.toString()).startsWith("jtorrent: ").contains("track.bin").hasLineCount(1);
        }
    }
}
