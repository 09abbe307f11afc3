package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.daemon.Daemon;
import dev.jtorrent.daemon.DaemonConfig;
import dev.jtorrent.daemon.HttpAccess;
import dev.jtorrent.session.SessionConfig;
import dev.jtorrent.tracker.TrackerServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The npm {@code @ctrl/qbittorrent} library (the one Flood's and many scripts' qBittorrent support is built on)
 * drives jtorrent's daemon over its qBittorrent Web API: login, add a .torrent with a category and tags, list it,
 * follow its download from a libtorrent seeder (ltpeer.py on 127.0.76.2) to completion, stop and start it, change its
 * category and tags, set its limits, and remove it with its data. The daemon runs in this JVM on 127.0.76.1 (its
 * Web API on 127.0.0.1), both peers find each other through jtorrent's embedded tracker, DHT and LSD are off.
 *
 * <p>The library lives in {@code src/test/node} (package.json and lock file; {@code npm ci} there makes its
 * node_modules, as .ci/run does). Without node or the library the test is aborted with the command that installs
 * them, and fails under CI=true.
 */
class QbittorrentApiIT {
    private static final String DAEMON_IP = "127.0.76.1";
    private static final String SEEDER_IP = "127.0.76.2";
    private static final ExternalTool NODE = new ExternalTool("node", "nodejs");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String USER = "sonarr";
    private static final String PASSWORD = "a password of the test";

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable each : started.reversed()) {
            each.close();
        }
    }

    @Test
    @Timeout(300) // a backstop: each wait has its own limit
    void theCtrlQbittorrentLibraryAddsFollowsLabelsLimitsAndRemovesADownload() throws Exception {
        Path node = NODE.require();
        Path nodeDir = Path.of(System.getProperty("jtorrent.node.dir", "src/test/node")).toAbsolutePath();
        if (!Files.isDirectory(nodeDir.resolve("node_modules/@ctrl/qbittorrent"))) {
            throw ExternalTool.unmet("the npm package @ctrl/qbittorrent is missing: cd " + nodeDir + " && npm ci");
        }
        Libtorrent libtorrent = Libtorrent.require();

        TrackerServer tracker = TrackerServer.start(new InetSocketAddress(Loopback.address(Loopback.TRACKER_IP), 0),
                Duration.ofSeconds(2));
        started.add(tracker);
        Path data = Files.createDirectories(dir.resolve("seed"));
        byte[] content = new byte[3 << 20];
        new Random(76).nextBytes(content);
        Path source = data.resolve("episode.mkv");
        Files.write(source, content);
        Path torrent = dir.resolve("episode.torrent");
        libtorrent.create(source, torrent, 64 << 10, Libtorrent.Layout.V1, List.of(tracker.httpAnnounceUrl()));

        Path script = dir.resolve("ltpeer.py");
        Files.writeString(script, Libtorrent.resource("ltpeer.py"));
        BackgroundProcess seeder = BackgroundProcess.start("libtorrent-seeder", List.of(
                libtorrent.python().toString(), script.toString(), "--ip", SEEDER_IP, "--port",
                Integer.toString(Loopback.freePort(SEEDER_IP)), "--seed", torrent.toString(), "--data",
                data.toString(), "--exit-on-finish", "--max-seconds", "300"), dir, Map.of("HOME", dir.toString()));
        started.add(seeder);
        seeder.awaitLineStartingWith("{\"event\": \"ready\"", WAIT);

        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        SessionConfig session = SessionConfig.builder()
                .bindAddress(Loopback.address(DAEMON_IP))
                .port(0)
                .dht(false)
                .lsd(false)
                .downloadDirectory(dir.resolve("default"))
                .resumeDirectory(dir.resolve("config/resume"))
                .build();
        HttpAccess.Credentials account = (user, password) -> user.equals(USER) && password.equals(PASSWORD);
        HttpAccess access = new HttpAccess(InetAddress::isLoopbackAddress,
                host -> host.equals(Loopback.TRACKER_IP) || host.equals("localhost"), Optional.of(account));
        Daemon daemon = Daemon.start(new DaemonConfig(session, dir.resolve("config"),
                Loopback.address(Loopback.TRACKER_IP), 0, access));
        started.add(daemon);

        ExternalProcess.Result drive = ExternalProcess.of(Duration.ofSeconds(240), List.of(node.toString(),
                        nodeDir.resolve("drive-qbittorrent.mjs").toString(),
                        "http://" + Loopback.TRACKER_IP + ":" + daemon.rpcPort(), USER, PASSWORD, torrent.toString(),
                        downloads.toString(), source.toString()))
                .inDirectory(nodeDir).run();
        System.out.println("@ctrl/qbittorrent against jtorrent:\n" + drive.stdout());
        assertThat(drive.exitCode()).as(drive.stderr() + "\n" + seeder.describe()).isZero();
        assertThat(drive.stdout()).contains("{\"step\":\"login\",\"version\":\"v4.6.7\",\"api\":\"2.9.3\"}",
                "\"step\":\"completed\"", "\"step\":\"stopped\",\"state\":\"pausedUP\"", "\"step\":\"started\"",
                "\"step\":\"labelled\",\"category\":\"films\",\"tags\":\"b, c\"", "\"step\":\"limited\"",
                "{\"step\":\"removed\"}");
        assertThat(daemon.torrents().all()).isEmpty();
        assertThat(daemon.categories().snapshot()).containsOnlyKeys("tv", "films");
        assertThat(daemon.tags().snapshot()).containsExactly("a", "b", "c");
        assertThat(downloads.resolve("episode.mkv")).doesNotExist();
    }
}
