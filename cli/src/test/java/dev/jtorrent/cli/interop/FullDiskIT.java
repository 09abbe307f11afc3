package dev.jtorrent.cli.interop;

import dev.jtorrent.cli.Main;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import dev.jtorrent.tracker.TrackerServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code download} into a real, tiny file system (a tmpfs this test mounts, so it needs root; CI runs as root):
 * when it fills up the download pauses with one clear line, nothing counted is lost, and it finishes once the file
 * system grows; when it turns read-only the command ends with one clear line.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FullDiskIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int SIZE = 6 * 1024 * 1024;

    @TempDir
    Path dir;

    private Path mount;
    private TrackerServer tracker;
    private Path content;
    private Path torrentFile;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void mountATinyFileSystem() throws Exception {
        if (!"0".equals(run("id", "-u").strip())) {
            throw ExternalTool.unmet("FullDiskIT mounts a tmpfs and needs root; CI runs as root");
        }
        mount = Files.createDirectories(dir.resolve("mnt"));
        run("mount", "-t", "tmpfs", "-o", "size=2m", "jtorrent-test", mount.toString());

        tracker = TrackerServer.start(new InetSocketAddress(LOOPBACK, 0), Duration.ofSeconds(5));
        open.add(tracker);
        content = Files.createDirectories(dir.resolve("seed").resolve("album"));
        byte[] bytes = new byte[SIZE];
        new Random(9).nextBytes(bytes);
        Files.write(content.resolve("track.bin"), bytes);
        TorrentBuilder builder = TorrentBuilder.of(content).withPieceLength(Optional.of(64 * 1024))
                .withTrackerTiers(List.of(List.of(tracker.httpAnnounceUrl())));
        torrentFile = dir.resolve("album.torrent");
        Files.write(torrentFile, builder.build(builder.plan(), new AtomicLong()));
    }

    @AfterEach
    void unmount() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        if (mount != null) {
            run("umount", "-l", mount.toString());
        }
    }

    @Test
    void aFullFileSystemPausesTheDownloadUntilItGrows() throws Exception {
        seed();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> download = download(err);

        Await.untilTrue("the pause is reported", Duration.ofSeconds(30),
                () -> err.toString().contains("No space left on device"), err::toString);
        String line = err.toString().strip();
        assertThat(line).doesNotContain("\n").startsWith("jtorrent: ")
                .endsWith("downloading paused until there is space");
        Thread.sleep(1500); // retried at least once, and still paused
        assertThat(download).isNotDone();

        run("mount", "-o", "remount,size=16m", mount.toString());
        assertThat(download.get(60, TimeUnit.SECONDS)).as("exit code; stderr: %s", err).isZero();
        assertThat(Files.mismatch(content.resolve("track.bin"), mount.resolve("album/track.bin"))).isEqualTo(-1L);
    }

    @Test
    void aFileSystemTurnedReadOnlyEndsTheDownloadWithOneLine() throws Exception {
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> download = download(err);
        Thread.sleep(500); // the command starts and finds nothing to check
        run("mount", "-o", "remount,ro", mount.toString());
        seed();

        assertThat(download.get(60, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(err.toString().strip()).doesNotContain("\n").startsWith("jtorrent: ")
                .contains("Read-only file system");
    }

    private CompletableFuture<Integer> download(StringWriter err) {
        StringWriter out = new StringWriter();
        return CompletableFuture.supplyAsync(() -> Main.run(new String[] {"download", torrentFile.toString(),
                "-d", mount.toString(), "--bind", LOOPBACK.getHostAddress(), "--port", "0",
                "--resume-dir", dir.resolve("state").toString()},
                new PrintWriter(out, true), new PrintWriter(err, true)), Thread::startVirtualThread);
    }

    private void seed() throws Exception {
        Session seeder = Session.start(SessionConfig.builder().bindAddress(LOOPBACK).port(0).build());
        open.add(seeder);
        Torrent torrent = Torrent.parse(Files.readAllBytes(torrentFile));
        open.add(seeder.add(torrent, AddOptions.builder().downloadDirectory(content.getParent()).build()).checked().join()::pause);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }
}
