package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * jtorrent over IPv6 with a real client (issue 16): {@code jtorrent download --bind ::1} downloads bit-exact from a
 * libtorrent seeder that listens on {@code [::1]} alone, found (a) through jtorrent's own tracker, {@code jtorrent
 * tracker --bind ::1}, which records both at the IPv6 address their announces came from and lists them in {@code
 * peers6} (BEP 7), and (b) through a magnet link's {@code x.pe=[::1]:PORT}. Everything is on {@code ::1}: the seeder,
 * the tracker and jtorrent, which has neither the DHT nor LSD, so the tracker or the link is its one source of peers.
 *
 * <p>Every peer on IPv6 loopback shares {@code ::1}, so unlike the IPv4 tests they are told apart by port alone; the
 * seeder's script drops its filter against its own address there (see {@code libtorrent-peer.py}).
 */
class Ipv6LoopbackIT {

    private static final String IPV6_LOOPBACK = "::1";
    private static final int PIECE_SIZE = 64 * 1024;
    private static final long CONTENT_SIZE = 6L * 1024 * 1024 + 12_345;
    private static final Duration TRACKER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SEED_READY_TIMEOUT = Duration.ofSeconds(10);
    /** From jtorrent's start until it has exited with everything on disk (the JVM's start-up is granted on top). */
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(40);
    /**
     * jtorrent's debug line of a connection that completed both handshakes: {@code ADDRESS:PORT: connected
     * (outgoing} or {@code (incoming}; an IPv6 address as Java writes it, {@code 0:0:0:0:0:0:0:1}.
     */
    private static final Pattern CONNECTED = Pattern.compile(
            "(?<![0-9A-Fa-f.:])([0-9A-Fa-f.:]+):\\d+: connected \\((outgoing|incoming)");

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();

    @Test
    @Timeout(150) // a backstop only: every wait below has its own, shorter limit and a clearer message
    void downloadsFromALibtorrentSeederOnIpv6FoundThroughJtorrentsTrackerOnIpv6() throws Exception {
        Libtorrent libtorrent = requirements();
        int trackerPort = Loopback.freePort(IPV6_LOOPBACK);
        BackgroundProcess tracker = BackgroundProcess.start("jtorrent tracker", JtorrentCli.fromBuild().command(
                List.of("tracker", "--bind", IPV6_LOOPBACK, "--port", Integer.toString(trackerPort))),
                dir.resolve("tracker"), Map.of());
        started.add(tracker);
        String announce = "http://[::1]:" + trackerPort + "/announce";
        tracker.awaitLineStartingWith("Tracker listening on http://[0:0:0:0:0:0:0:1]:" + trackerPort + "/announce",
                TRACKER_TIMEOUT);

        Path content = SampleContent.file(dir.resolve("seed"), "over-tracker6.bin", CONTENT_SIZE, 61);
        Path torrent = dir.resolve("over-tracker6.torrent");
        libtorrent.create(content, torrent, PIECE_SIZE, Libtorrent.Layout.V1, List.of(announce));
        LibtorrentClient seed = libtorrentSeed(torrent, content, Loopback.freePort(IPV6_LOOPBACK));
        Await.untilTrue("libtorrent to announce to jtorrent's tracker on [::1]", TRACKER_TIMEOUT,
                () -> Files.readString(seed.process.log()).contains("tracker_reply_alert"),
                () -> seed.describe() + tracker.describe());

        JtorrentLeecher.Running jtorrent = download(torrent.toString(), "over-tracker6");
        finishBitExact(jtorrent, content, "over-tracker6", () -> seed.describe() + tracker.describe());
        System.out.printf("jtorrent download over IPv6 through jtorrent tracker on [::1]: %d bytes%n", CONTENT_SIZE);
    }

    @Test
    @Timeout(150) // a backstop only, as above
    void downloadsFromALibtorrentSeederOnIpv6NamedByAMagnetLinksXpe() throws Exception {
        Libtorrent libtorrent = requirements();
        Path content = SampleContent.file(dir.resolve("seed"), "over-xpe6.bin", CONTENT_SIZE, 62);
        Path torrent = dir.resolve("over-xpe6.torrent");
        libtorrent.create(content, torrent, PIECE_SIZE, Libtorrent.Layout.V1, List.of());
        int seedPort = Loopback.freePort(IPV6_LOOPBACK);
        LibtorrentClient seed = libtorrentSeed(torrent, content, seedPort);
        // libtorrent prints "seeding" before it has started the torrent (torrent_resumed_alert, half a second on): a
        // connection that comes in between is closed, and jtorrent dials a link's peer again only a minute later.
        Await.untilTrue("libtorrent to start its torrent", SEED_READY_TIMEOUT,
                () -> Files.readString(seed.process.log()).contains("torrent_resumed_alert"), seed::describe);

        String magnet = "magnet:?xt=urn:btih:" + Harness.infoHashOf(torrent).hex() + "&x.pe=[::1]:" + seedPort;
        JtorrentLeecher.Running jtorrent = download(magnet, "over-xpe6");
        finishBitExact(jtorrent, content, "over-xpe6", seed::describe);
    }

    @AfterEach
    void stopEveryProcess() {
        Harness.closeAll(started);
    }

    /** libtorrent, and IPv6 on the loopback interface; the test is skipped (fails under CI=true) without them. */
    private static Libtorrent requirements() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(IPV6_LOOPBACK), 0));
        } catch (IOException e) {
            throw ExternalTool.unmet("IPv6 on the loopback interface (::1 cannot be bound: " + e.getMessage() + ")");
        }
        return Libtorrent.require();
    }

    /** A libtorrent seeder of the content on [::1]:port, holding all of it; closed after the test. */
    private LibtorrentClient libtorrentSeed(Path torrent, Path content, int port) {
        LibtorrentClient seed = new LibtorrentClient(ReferenceClient.Role.SEED);
        started.add(seed);
        seed.start(torrent, content.getParent(), IPV6_LOOPBACK, port);
        return seed;
    }

    /** {@code jtorrent download SOURCE --bind ::1}, its peers from the tracker or the link alone. */
    private JtorrentLeecher.Running download(String source, String name) {
        JtorrentLeecher.Running jtorrent = new JtorrentLeecher().start(source, dir.resolve("jtorrent-" + name),
                IPV6_LOOPBACK, Loopback.freePort(IPV6_LOOPBACK), List.of("--no-dht", "--no-lsd",
                        "--resume-dir", dir.resolve("resume-" + name).toString()));
        started.add(jtorrent);
        return jtorrent;
    }

    private void finishBitExact(JtorrentLeecher.Running jtorrent, Path content, String name,
            java.util.function.Supplier<String> context) {
        try {
            jtorrent.await(DOWNLOAD_TIMEOUT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + context.get(), e);
        }
        // It dialled the seeder: the tracker's interval (30 minutes) keeps libtorrent from learning of jtorrent in
        // time to dial it, and the magnet link names the seeder to jtorrent alone.
        assertThat(connectedPeers(jtorrent.log())).as("the peers jtorrent connected to\n%s", jtorrent.describe())
                .containsExactly("0:0:0:0:0:0:0:1 outgoing");
        SameContent.assertIdentical(content, dir.resolve("jtorrent-" + name).resolve(content.getFileName()),
                "jtorrent download --bind ::1 (" + name + ")");
    }

    /**
     * The addresses of the peers jtorrent completed both handshakes with, IPv6 ones too, each with the direction of
     * the connection ({@code ADDRESS outgoing}), from its debug log.
     */
    private static Set<String> connectedPeers(String log) {
        Set<String> peers = new TreeSet<>();
        Matcher matcher = CONNECTED.matcher(log);
        while (matcher.find()) {
            peers.add(matcher.group(1) + " " + matcher.group(2));
        }
        return peers;
    }
}
