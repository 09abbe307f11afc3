package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that meet by local service discovery (BEP 14) alone: the torrent names no tracker, no peer address is given
 * and there is no DHT, so the only way is an announce multicast to 239.192.152.143:6771. Each client listens on a
 * 127.x address of its own and announces from it out of the loopback interface, where Linux delivers multicast
 * although {@code lo} has no MULTICAST flag; nothing leaves the machine. Whoever starts second is heard by the
 * first, which dials it: the seed starts first in each test, so the seed dials the leecher.
 */
class LocalDiscoveryIT {

    private static final long CONTENT_SIZE = 8 * 1024 * SampleContent.KIB;
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    static void requireMulticastOnLoopback() {
        try (DatagramChannel receiver = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)) {
            NetworkInterface loopback = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
            InetAddress group = InetAddress.getByName("239.192.152.143");
            receiver.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0)); // not 6771: a probe of its own
            receiver.join(group, loopback);
            sender.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            sender.setOption(StandardSocketOptions.IP_MULTICAST_IF, loopback);
            sender.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
            int port = ((InetSocketAddress) receiver.getLocalAddress()).getPort();
            sender.send(ByteBuffer.wrap("probe".getBytes(StandardCharsets.US_ASCII)), new InetSocketAddress(group, port));
            receiver.configureBlocking(false);
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (receiver.receive(ByteBuffer.allocate(16)) == null) {
                if (System.nanoTime() > deadline) {
                    throw ExternalTool.unmet("multicast on the loopback interface (a datagram to 239.192.152.143"
                            + " on lo did not come back)");
                }
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw ExternalTool.unmet("multicast on the loopback interface: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    @Timeout(240) // a backstop only: every wait below has its own, shorter limit and a clearer message
    void aJtorrentDownloadFindsAJtorrentSeedByLsdAloneAndIsBitExact() throws Exception {
        Path content = SampleContent.file(dir.resolve("seed"), "lsd.bin", CONTENT_SIZE, 61);
        Path torrent = trackerless(content);
        JtorrentSeeder seeder = new JtorrentSeeder(dir);
        started.add(seeder);
        seeder.start(torrent, content.getParent(), "127.0.0.61", Loopback.freePort("127.0.0.61"));

        Path downloads = dir.resolve("leecher");
        try (JtorrentLeecher.Running leecher = new JtorrentLeecher().start(torrent, downloads, "127.0.0.62",
                Loopback.freePort("127.0.0.62"))) {
            leecher.await(DOWNLOAD_TIMEOUT);
            assertThat(leecher.connectedPeers()).as("the leecher's peers").containsExactly("127.0.0.61");
        }
        SameContent.assertIdentical(content, downloads.resolve("lsd.bin"), seeder.describe());
        seeder.requireAlive();
    }

    @Test
    @Timeout(240)
    void aJtorrentDownloadFindsALibtorrentSeedByLsdAloneAndIsBitExact() throws Exception {
        Libtorrent libtorrent = Libtorrent.require();
        Path content = SampleContent.file(dir.resolve("seed"), "lsd.bin", CONTENT_SIZE, 63);
        Path torrent = trackerless(content);
        BackgroundProcess seed = BackgroundProcess.start("libtorrent-seed", List.of(libtorrent.python().toString(),
                script().toString(), "seed", torrent.toString(), content.getParent().toString(), "127.0.0.63",
                Integer.toString(Loopback.freePort("127.0.0.63")), "3600"), dir, Map.of());
        started.add(seed);
        seed.awaitLine("seeding", READY_TIMEOUT);

        Path downloads = dir.resolve("leecher");
        try (JtorrentLeecher.Running leecher = new JtorrentLeecher().start(torrent, downloads, "127.0.0.64",
                Loopback.freePort("127.0.0.64"))) {
            leecher.await(DOWNLOAD_TIMEOUT);
            assertThat(leecher.connectedPeers()).as("the leecher's peers").containsExactly("127.0.0.63");
        }
        SameContent.assertIdentical(content, downloads.resolve("lsd.bin"), seed.describe());
        assertThat(Files.readString(seed.log())).as("libtorrent heard jtorrent's announce\n%s", seed.describe())
                .contains("lsd-peer ");
    }

    @Test
    @Timeout(240)
    void aLibtorrentDownloadFindsAJtorrentSeedByLsdAloneAndIsBitExact() throws Exception {
        Libtorrent libtorrent = Libtorrent.require();
        Path content = SampleContent.file(dir.resolve("seed"), "lsd.bin", CONTENT_SIZE, 65);
        Path torrent = trackerless(content);
        JtorrentSeeder seeder = new JtorrentSeeder(dir);
        started.add(seeder);
        seeder.start(torrent, content.getParent(), "127.0.0.65", Loopback.freePort("127.0.0.65"));

        Path downloads = Files.createDirectories(dir.resolve("leecher"));
        ExternalProcess.Result run = ExternalProcess.of(DOWNLOAD_TIMEOUT.plusSeconds(30), List.of(
                libtorrent.python().toString(), "-", "leech", torrent.toString(), downloads.toString(), "127.0.0.66",
                Integer.toString(Loopback.freePort("127.0.0.66")), Long.toString(DOWNLOAD_TIMEOUT.toSeconds())))
                .withInput(Libtorrent.resource("libtorrent-lsd.py")).run().requireSuccess();
        String report = run.stdout().lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b).orElse("{}");
        Map<String, Object> result = JsonReader.readObject(report);

        String context = run.describe() + "\n" + seeder.describe();
        assertThat(result.get("complete")).as("libtorrent completed the download\n%s", context).isEqualTo(true);
        SameContent.assertIdentical(content, downloads.resolve("lsd.bin"), context);
        seeder.requireAlive();
    }

    /** A torrent of {@code content} that names no tracker, made by {@code jtorrent create}. */
    private Path trackerless(Path content) {
        return JtorrentCli.fromBuild().create(content, dir.resolve("lsd.torrent"), List.of("--no-date"));
    }

    /** The seeding script, written out: a background process reads it from a file, not from its input. */
    private Path script() {
        try {
            return Files.writeString(dir.resolve("libtorrent-lsd.py"), Libtorrent.resource("libtorrent-lsd.py"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void stopEveryProcess() {
        Harness.closeAll(started);
    }
}
