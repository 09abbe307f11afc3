package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.swarm.SwarmStats;
import dev.jtorrent.tracker.AnnounceResponse;
import dev.jtorrent.tracker.FakeHttpServer;
import dev.jtorrent.tracker.TrackerError;
import dev.jtorrent.tracker.TrackerServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile trackers met by whole sessions: a tracker that fails is that tracker's error alone while the torrent
 * downloads through the others, a tracker listing tens of thousands of peers fills the peer list only to its cap, and
 * a tracker listing our own address does not make us dial ourselves.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileTrackerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    private TrackerServer good;
    private Path content;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void makeContent() throws IOException {
        good = TrackerServer.start(new InetSocketAddress(LOOPBACK, 0), Duration.ofSeconds(5));
        open.add(good);
        content = Files.createDirectories(dir.resolve("seed").resolve("data"));
        byte[] bytes = new byte[600_000];
        new Random(11).nextBytes(bytes);
        Files.write(content.resolve("file.bin"), bytes);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    static Stream<Arguments> hostileTrackers() {
        return Stream.of(
                Arguments.of("an endless body", (FakeHttpServer.Script) (head, socket) -> {
                    OutputStream out = socket.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    while (true) {
                        out.write(chunk);
                    }
                }, (Predicate<String>) "reply larger than 1 MiB"::equals),
                Arguments.of("invalid bencode", FakeHttpServer.replying("d8:intervali60e5:peers"),
                        (Predicate<String>) m -> m.startsWith("bad tracker reply: the reply is not valid bencode")),
                Arguments.of("a redirect to the cloud metadata service", FakeHttpServer.replying(302,
                        "Location: http://169.254.169.254/latest/meta-data/\r\n", new byte[0]),
                        (Predicate<String>) ("refused a tracker at the link-local address 169.254.169.254, where "
                                + "clouds serve instance credentials")::equals));
    }

    /**
     * The hostile tracker is in the first tier, so that every announce, the seeder's and the leecher's, tries it
     * first; the good one, in the second, brings them together.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileTrackers")
    void aHostileTrackerFailsAloneAndTheDownloadCompletesThroughAGoodOne(String what, FakeHttpServer.Script script,
                                                                          Predicate<String> error) throws Exception {
        FakeHttpServer hostile = new FakeHttpServer(script);
        open.add(hostile);
        String hostileUrl = hostile.url("/announce");
        Torrent torrent = torrent(List.of(List.of(hostileUrl), List.of(good.httpAnnounceUrl())));
        TorrentHandle seeder = Adds.checked(session(LOOPBACK), torrent, content.getParent());
        open.add(seeder::pause);

        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        TorrentHandle leecher = Adds.checked(session(LOOPBACK), torrent, downloads);
        open.add(leecher::pause);
        leecher.completion().get(30, TimeUnit.SECONDS);

        assertThat(Files.mismatch(content.resolve("file.bin"), downloads.resolve("data").resolve("file.bin")))
                .isEqualTo(-1L);
        assertThat(hostile.requests.get()).as("the hostile tracker was asked").isPositive();
        assertThat(leecher.trackerError()).as("the announce as a whole worked").isNull();
        List<TrackerError> errors = leecher.trackerErrors();
        assertThat(errors).extracting(TrackerError::url).containsExactly(hostileUrl);
        assertThat(errors.getFirst().message()).as("the hostile tracker's error").matches(error);
    }

    /**
     * A session listening on every interface, told of itself at each of this machine's addresses (as a tracker
     * lists the announcing peer) and at the wildcard address, dials none of them. A decoy listed last shows the list
     * was taken in. (On a machine with no address but loopback, only the loopback half is tested.)
     */
    @Test
    void ourOwnAddressesListedByATrackerAreNeverDialled() throws Exception {
        AtomicInteger ourPort = new AtomicInteger();
        ServerSocket decoy = new ServerSocket(0, 50, LOOPBACK);
        open.add(decoy);
        FakeHttpServer tracker = new FakeHttpServer((head, socket) -> {
            List<InetSocketAddress> peers = new ArrayList<>(ourAddresses(ourPort.get()));
            peers.add(new InetSocketAddress(LOOPBACK, decoy.getLocalPort()));
            FakeHttpServer.announcing(peers).serve(head, socket);
        });
        open.add(tracker);
        // Any address: the wildcard. LSD off, since on the wildcard it would multicast on every interface, and the
        // DHT off, since it would bootstrap from the public routers.
        Session session = Session.start(SessionConfig.builder().port(0).lsd(false).dht(false).build());
        open.add(session);
        ourPort.set(session.port());

        TorrentHandle handle = Adds.checked(session, torrent(List.of(List.of(tracker.url("/announce")))),
                Files.createDirectories(dir.resolve("downloads")));
        open.add(handle::pause);
        decoy.setSoTimeout(10_000);
        try (Socket dialled = decoy.accept()) {
            assertThat(dialled.getInetAddress().isLoopbackAddress()).isTrue();
        }
        SwarmStats stats = awaitStats(handle, s -> s.knownPeers() > 0);

        assertThat(stats.knownPeers()).as("peers known: the decoy alone").isEqualTo(1);
    }

    /** 50,000 peers (300,000 bytes of compact peers) reach the swarm as the first 3000, its peer list's bound. */
    @Test
    void fiftyThousandPeersFromATrackerFillThePeerListOnlyToItsCap() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = probe.getLocalPort();
        }
        List<InetSocketAddress> peers = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            peers.add(new InetSocketAddress(InetAddress.getByAddress(
                    new byte[] {127, (byte) (1 + (i >> 16)), (byte) (i >> 8), (byte) i}), closedPort));
        }
        FakeHttpServer tracker = new FakeHttpServer(FakeHttpServer.announcing(peers));
        open.add(tracker);

        TorrentHandle handle = Adds.checked(session(LOOPBACK), torrent(List.of(List.of(tracker.url("/announce")))),
                Files.createDirectories(dir.resolve("downloads")));
        open.add(handle::pause);
        SwarmStats stats = awaitStats(handle, s -> s.knownPeers() > 0);

        assertThat(stats.knownPeers()).isEqualTo(AnnounceResponse.MAX_PEERS).isEqualTo(3000);
        assertThat(handle.trackerErrors()).isEmpty();
    }

    /** 0.0.0.0 and every address of this machine's interfaces, on {@code port}. */
    private static List<InetSocketAddress> ourAddresses(int port) throws IOException {
        List<InetSocketAddress> ours = new ArrayList<>();
        ours.add(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), port));
        NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .map(a -> new InetSocketAddress(stripScope(a), port))
                .forEach(ours::add);
        return ours;
    }

    /** Trackers list addresses without an IPv6 scope; so does this test. */
    private static InetAddress stripScope(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The stats once they satisfy {@code condition}; they are published about once a second. */
    private static SwarmStats awaitStats(TorrentHandle handle, Predicate<SwarmStats> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        SwarmStats stats = handle.stats();
        while (!condition.test(stats)) {
            assertThat(System.nanoTime() - deadline).as("time left waiting for the stats; last %s", stats)
                    .isNegative();
            Thread.sleep(20);
            stats = handle.stats();
        }
        return stats;
    }

    private Session session(InetAddress bind) throws IOException {
        Session session = Session.start(SessionConfig.builder().bindAddress(bind).port(0).build());
        open.add(session);
        return session;
    }

    private Torrent torrent(List<List<String>> tiers) throws Exception {
        TorrentBuilder builder = TorrentBuilder.of(content)
                .withTrackerTiers(tiers)
                .withPieceLength(Optional.of(16 * 1024))
                .withCreationDate(Optional.empty());
        return Torrent.parse(builder.build(builder.plan(), new AtomicLong()));
    }
}
