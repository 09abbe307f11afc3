package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.metainfo.Torrent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jtorrent daemon --foreground} as systemd runs it, on loopback ports: the first start prints a password
 * once, SIGTERM stops it within its bound with exit code 0, and a torrent added before a restart, or before a kill -9,
 * is there again after it. Torrents are added through the watch dir, the one way in that needs no RPC.
 */
@Timeout(180)
class DaemonIT {
    private static final String LOOPBACK = "127.0.0.1";
    /** The JVM's start and the daemon's; more on a loaded machine. */
    private static final Duration READY = Duration.ofSeconds(60);
    /** The daemon's own bound on a stop (DaemonCommand.STOP_TIMEOUT), with room for the JVM's exit. */
    private static final Duration STOP = Duration.ofSeconds(15);
    private static final Pattern PASSWORD = Pattern.compile("password ([A-Za-z0-9]+)$");

    @TempDir
    Path dir;

    private final JtorrentCli jtorrent = JtorrentCli.fromBuild();
    private final List<BackgroundProcess> processes = new ArrayList<>();
    private int runs;

    @AfterEach
    void stopAll() {
        processes.forEach(BackgroundProcess::close);
    }

    private BackgroundProcess start() {
        List<String> command = jtorrent.command(List.of("daemon", "--foreground",
                "--config-dir", dir.resolve("config").toString(), "--download-dir", dir.resolve("downloads").toString(),
                "--watch-dir", dir.resolve("watch").toString(), "--bind", LOOPBACK, "--port", "0",
                "--rpc-bind", LOOPBACK, "--rpc-port", "0", "--no-dht", "--no-lsd"));
        BackgroundProcess daemon = BackgroundProcess.start("daemon-" + ++runs, command, dir,
                Map.of("HOME", dir.toString()));
        processes.add(daemon);
        daemon.awaitLineContaining(" INFO jtorrent daemon running: ", READY);
        return daemon;
    }

    private static String log(BackgroundProcess process) throws Exception {
        return Files.readString(process.log(), StandardCharsets.UTF_8);
    }

    /** Drops a new torrent in the watch dir and waits until the daemon has added it and saved its record. */
    private String addThroughWatchDir(BackgroundProcess daemon, String name) throws Exception {
        return addThroughWatchDir(daemon, name, List.of());
    }

    private String addThroughWatchDir(BackgroundProcess daemon, String name, List<String> createOptions)
            throws Exception {
        Path content = SampleContent.file(dir.resolve("content"), name, 64 * SampleContent.KIB, name.hashCode());
        Path torrent = jtorrent.create(content, dir.resolve(name + ".torrent"), createOptions);
        String hex = Torrent.load(torrent).infoHash().hex();
        Files.createDirectories(dir.resolve("watch"));
        Files.copy(torrent, dir.resolve("watch").resolve(name + ".torrent"));
        Path record = dir.resolve("config").resolve("torrents").resolve(hex + ".json");
        Await.untilTrue(name + " to be added and its record saved", READY,
                () -> Files.exists(dir.resolve("watch").resolve(name + ".torrent.added")) && Files.exists(record),
                daemon::describe);
        return hex;
    }

    @Test
    void aPasswordIsPrintedOnceSigtermStopsItInTimeAndTorrentsSurviveARestartAndAKill() throws Exception {
        BackgroundProcess first = start();
        Matcher password = PASSWORD.matcher(log(first).lines().filter(line -> line.contains("made a password"))
                .findFirst().orElseThrow(() -> new AssertionError("no password printed\n" + first.describe())));
        assertThat(password.find()).isTrue();
        assertThat(Files.readString(dir.resolve("config").resolve("settings.json")))
                .doesNotContain(password.group(1)).contains("PBKDF2WithHmacSHA256");
        String kept = addThroughWatchDir(first, "kept.bin");

        long stopping = System.nanoTime();
        OptionalInt code = first.terminate(STOP);
        Duration took = Duration.ofNanos(System.nanoTime() - stopping);
        assertThat(code).as("exit code after SIGTERM\n" + first.describe()).hasValue(0);
        assertThat(took).isLessThan(STOP);
        assertThat(log(first)).contains("INFO stopped");

        BackgroundProcess second = start();
        assertThat(log(second)).doesNotContain("made a password").contains("restored 1 torrent(s)");
        String killed = addThroughWatchDir(second, "killed.bin");
        second.signal("KILL");
        assertThat(second.awaitExit(STOP)).hasValue(137);

        BackgroundProcess third = start();
        assertThat(log(third)).contains("restored 2 torrent(s)");
        assertThat(dir.resolve("config").resolve("torrents").resolve(kept + ".torrent")).exists();
        assertThat(dir.resolve("config").resolve("torrents").resolve(killed + ".torrent")).exists();
        assertThat(third.terminate(STOP)).hasValue(0);
    }

    /**
     * A second SIGTERM during the stop exits at once, with 143: the stop is held up by a tracker that answers the
     * {@code started} announce and never answers {@code stopped} (the session waits 2 s for it).
     */
    @Test
    void aSecondSigtermDuringTheStopExitsAtOnce() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        com.sun.net.httpserver.HttpServer tracker = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(LOOPBACK, 0), 16);
        tracker.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        tracker.createContext("/announce", exchange -> {
            String query = String.valueOf(exchange.getRequestURI().getRawQuery());
            if (query.contains("event=stopped")) {
                try {
                    release.await(STOP.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            byte[] reply = "d8:intervali1800e5:peers0:e".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
            started.countDown();
        });
        tracker.start();
        try {
            BackgroundProcess daemon = start();
            addThroughWatchDir(daemon, "tracked.bin", List.of("--tracker",
                    "http://" + LOOPBACK + ":" + tracker.getAddress().getPort() + "/announce"));
            assertThat(started.await(READY.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                    .as("the torrent to announce\n" + daemon.describe()).isTrue();
            daemon.signal("TERM");
            daemon.awaitLineContaining("INFO stopping:", STOP);
            long second = System.nanoTime();
            daemon.signal("TERM");
            assertThat(daemon.awaitExit(STOP)).as(daemon.describe()).hasValue(143);
            assertThat(Duration.ofNanos(System.nanoTime() - second)).isLessThan(Duration.ofSeconds(2));
            assertThat(log(daemon)).doesNotContain("INFO stopped");
        } finally {
            release.countDown();
            tracker.stop(0);
        }
    }
}
