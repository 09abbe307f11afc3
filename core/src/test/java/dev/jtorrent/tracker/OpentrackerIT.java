package dev.jtorrent.tracker;

import dev.jtorrent.Prerequisite;
import dev.jtorrent.metainfo.InfoHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.jtorrent.tracker.Announces.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

/** Our HTTP and UDP clients against the real opentracker (see interop.md): two peers find each other. */
class OpentrackerIT {
    private static final String MISSING = "opentracker is missing: apt-get install opentracker";
    private static final InfoHash HTTP_TORRENT = InfoHash.fromHex("1111111111111111111111111111111111111111");
    private static final InfoHash UDP_TORRENT = InfoHash.fromHex("2222222222222222222222222222222222222222");
    private static final TrackerConfig CONFIG = TrackerConfig.DEFAULTS
            .withBindAddress(InetAddress.getLoopbackAddress())
            .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
            .withUdpRetransmission(Duration.ofMillis(500), 3);

    @TempDir
    Path dir;
    private Process opentracker;
    private int port;

    @BeforeEach
    void startOpentracker() throws Exception {
        Path binary = findOnPath("opentracker").orElse(null);
        Prerequisite.require(binary != null, MISSING);
        // Debian's build only tracks whitelisted hashes, and wants the whitelist's absolute path.
        Path whitelist = dir.resolve("whitelist.txt").toAbsolutePath();
        Files.writeString(whitelist, HTTP_TORRENT.hex() + "\n" + UDP_TORRENT.hex() + "\n");
        // Started as root, opentracker drops to an unprivileged user before reading the list; @TempDir is 0700.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(whitelist, PosixFilePermissions.fromString("rw-r--r--"));
        port = freePort();
        opentracker = new ProcessBuilder(binary.toString(), "-i", "127.0.0.1", "-p", Integer.toString(port),
                "-P", Integer.toString(port), "-w", whitelist.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("opentracker.log").toFile())
                .start();
        awaitListening();
    }

    @AfterEach
    void stopOpentracker() throws InterruptedException {
        if (opentracker != null) {
            opentracker.destroy();
            if (!opentracker.waitFor(5, TimeUnit.SECONDS)) {
                opentracker.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void twoPeersAnnouncingOverHttpSeeEachOther() throws Exception {
        try (Tracker tracker = Tracker.open("http://127.0.0.1:" + port + "/announce", CONFIG)) {
            tracker.announce(request(HTTP_TORRENT, 6001, 0, AnnounceEvent.STARTED));
            AnnounceResponse second = tracker.announce(request(HTTP_TORRENT, 6002, 100, AnnounceEvent.STARTED));
            AnnounceResponse first = tracker.announce(request(HTTP_TORRENT, 6001, 0, AnnounceEvent.NONE));

            assertThat(second.peers()).contains(new InetSocketAddress("127.0.0.1", 6001));
            assertThat(first.peers()).contains(new InetSocketAddress("127.0.0.1", 6002));
            assertThat(first.seeders()).hasValue(1);
            assertThat(first.leechers()).hasValue(1);
            assertThat(tracker.scrape(java.util.List.of(HTTP_TORRENT)))
                    .containsExactly(new ScrapeResult(HTTP_TORRENT, 1, 0, 1));
        }
    }

    @Test
    void twoPeersAnnouncingOverUdpSeeEachOther() throws Exception {
        try (Tracker tracker = Tracker.open("udp://127.0.0.1:" + port + "/announce", CONFIG)) {
            tracker.announce(request(UDP_TORRENT, 6003, 0, AnnounceEvent.STARTED));
            AnnounceResponse second = tracker.announce(request(UDP_TORRENT, 6004, 100, AnnounceEvent.STARTED));
            AnnounceResponse first = tracker.announce(request(UDP_TORRENT, 6003, 0, AnnounceEvent.NONE));

            assertThat(second.peers()).contains(new InetSocketAddress("127.0.0.1", 6003));
            assertThat(first.peers()).contains(new InetSocketAddress("127.0.0.1", 6004));
            assertThat(tracker.scrape(java.util.List.of(UDP_TORRENT)))
                    .containsExactly(new ScrapeResult(UDP_TORRENT, 1, 0, 1));
        }
    }

    @Test
    void aTorrentOffTheWhitelistIsRefusedInTheTrackersWords() throws Exception {
        InfoHash unknown = InfoHash.fromHex("3333333333333333333333333333333333333333");
        try (Tracker tracker = Tracker.open("http://127.0.0.1:" + port + "/announce", CONFIG)) {
            assertThatThrownBy(() -> tracker.announce(request(unknown, 6005, 0, AnnounceEvent.STARTED)))
                    .isInstanceOf(TrackerException.class)
                    .hasMessageStartingWith("tracker said: Requested download is not authorized");
        }
    }

    private static Optional<Path> findOnPath(String program) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + File.pathSeparator + "/usr/bin";
        for (String d : path.split(File.pathSeparator)) {
            Path candidate = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A port number free for both TCP and UDP on 127.0.0.1. */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 DatagramSocket udp = new DatagramSocket(
                         new InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.getLocalPort()))) {
                return udp.getLocalPort();
            } catch (IOException e) {
                // UDP side taken; try another.
            }
        }
        throw new IOException("no port free for both TCP and UDP");
    }

    /**
     * Waits until opentracker answers an announce for a listed torrent: it opens its ports before it has read the
     * whitelist, and refuses every torrent until then.
     */
    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String lastError = "nothing";
        try (Tracker probe = Tracker.open("http://127.0.0.1:" + port + "/announce", CONFIG)) {
            while (System.nanoTime() < deadline) {
                if (!opentracker.isAlive()) {
                    fail("opentracker exited with " + opentracker.exitValue() + ": "
                            + Files.readString(dir.resolve("opentracker.log")));
                }
                try {
                    // A started announce, since opentracker accepts a stopped one for any torrent.
                    probe.announce(request(HTTP_TORRENT, 6999, 0, AnnounceEvent.STARTED));
                    probe.announce(request(HTTP_TORRENT, 6999, 0, AnnounceEvent.STOPPED));
                    return;
                } catch (TrackerException e) {
                    lastError = e.getMessage();
                    Thread.sleep(50);
                }
            }
        }
        fail("opentracker on port " + port + " was not ready within 10 s; last answer: " + lastError);
    }
}
