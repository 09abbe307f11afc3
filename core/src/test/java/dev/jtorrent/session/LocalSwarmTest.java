package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.swarm.SwarmStats;
import dev.jtorrent.tracker.TrackerServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
 * Whole swarms of jtorrent sessions on loopback, through the real wire protocol, sockets and disk, with the
 * embedded tracker: the download is bit-exact, and a second run over partial data fetches only what is missing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalSwarmTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    private TrackerServer tracker;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void startTracker() throws IOException {
        tracker = TrackerServer.start(new InetSocketAddress(LOOPBACK, 0), Duration.ofSeconds(5));
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        tracker.close();
    }

    @Test
    void downloadsAMultiFileTorrentBitExactFromASeeder() throws Exception {
        Path content = content("multi", 700_000, 16_384, 5, 0, 123_457);
        Torrent torrent = torrentOf(content, 32 * 1024);
        seed(torrent, content.getParent());

        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        TorrentHandle handle = session().add(torrent, downloads, new AtomicLong());
        handle.completion().get(30, TimeUnit.SECONDS);

        assertSameTree(content, downloads.resolve("multi"));
        assertThat(handle.stats().complete()).isTrue();
        assertThat(handle.stats().bytesLeft()).isZero();
        assertThat(handle.stats().downloaded()).isEqualTo(torrent.info().totalLength());
    }

    /**
     * The stats already say complete when the completion fires: a caller that waited on it reads them next (the
     * download command prints how much it fetched from them). Read from an action run by the completion itself.
     */
    @Test
    void theStatsSayCompleteWhenTheCompletionFires() throws Exception {
        Path content = content("stats", 2_000_000);
        Torrent torrent = torrentOf(content, 16 * 1024);
        seed(torrent, content.getParent());

        TorrentHandle handle = session().add(torrent, Files.createDirectories(dir.resolve("downloads")),
                new AtomicLong());
        CompletableFuture<SwarmStats> seen = handle.completion().thenApply(done -> handle.stats());

        SwarmStats stats = seen.get(30, TimeUnit.SECONDS);
        assertThat(stats.complete()).as("%s", stats).isTrue();
        assertThat(stats.bytesLeft()).as("%s", stats).isZero();
    }

    @Test
    void fetchesOnlyWhatIsMissingWhenDataIsAlreadyThere() throws Exception {
        Path content = content("partial", 1_000_000);
        Torrent torrent = torrentOf(content, 16 * 1024);
        seed(torrent, content.getParent());

        // The first half is already downloaded; one piece in it is corrupt.
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        Path target = Files.createDirectories(downloads.resolve("partial")).resolve("file-0.bin");
        byte[] original = Files.readAllBytes(content.resolve("file-0.bin"));
        byte[] half = java.util.Arrays.copyOf(original, original.length / 2);
        half[20_000] ^= 1;
        Files.write(target, half);

        TorrentHandle handle = session().add(torrent, downloads, new AtomicLong());
        handle.completion().get(30, TimeUnit.SECONDS);

        assertThat(Files.readAllBytes(target)).isEqualTo(original);
        long missing = original.length - (original.length / 2 / 16_384 - 1) * 16_384L;
        assertThat(handle.stats().downloaded()).isEqualTo(missing);
    }

    @Test
    void severalLeechersFinishTogether() throws Exception {
        Path content = content("shared", 2_000_000);
        Torrent torrent = torrentOf(content, 16 * 1024);
        seed(torrent, content.getParent());

        List<TorrentHandle> leechers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path downloads = Files.createDirectories(dir.resolve("leecher-" + i));
            leechers.add(session().add(torrent, downloads, new AtomicLong()));
        }
        for (int i = 0; i < 3; i++) {
            leechers.get(i).completion().get(30, TimeUnit.SECONDS);
            assertSameTree(content, dir.resolve("leecher-" + i).resolve("shared"));
        }
    }

    @Test
    void leechersTradePiecesAmongThemselves() throws Exception {
        Path content = content("traded", 16 * 1024 * 1024);
        Torrent torrent = torrentOf(content, 64 * 1024);
        Session seederSession = session();
        TorrentHandle seeder = seederSession.add(torrent, content.getParent(), new AtomicLong());
        open.add(seeder::stop);

        List<TorrentHandle> leechers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            leechers.add(session().add(torrent, Files.createDirectories(dir.resolve("trader-" + i)), new AtomicLong()));
        }
        for (int i = 0; i < 5; i++) {
            leechers.get(i).completion().get(45, TimeUnit.SECONDS);
            assertSameTree(content, dir.resolve("trader-" + i).resolve("traded"));
        }
        Thread.sleep(1_500); // statistics are published once a second
        long size = torrent.info().totalLength();
        long fromSeeder = seeder.stats().uploaded();
        long fromLeechers = leechers.stream().mapToLong(l -> l.stats().uploaded()).sum();
        // Every leecher got one copy; five from the seeder would mean no sharing at all.
        assertThat(fromSeeder + fromLeechers).isGreaterThanOrEqualTo(5 * size);
        assertThat(fromSeeder).isLessThan(4 * size);
        assertThat(fromLeechers).isGreaterThan(size);
    }

    @Test
    void aSeederThatTrustsItsDataNeverSendsAPieceThatDoesNotMatch() throws Exception {
        Path content = content("trusted", 40 * 16_384);
        Torrent torrent = torrentOf(content, 16_384);
        // Corrupt piece 7 after the torrent was made.
        byte[] bytes = Files.readAllBytes(content.resolve("file-0.bin"));
        bytes[7 * 16_384 + 100] ^= 1;
        Files.write(content.resolve("file-0.bin"), bytes);

        TorrentHandle seeder = session().add(torrent, content.getParent(), new AtomicLong(), true);
        open.add(seeder::stop);
        assertThat(seeder.stats().complete()).as("taken on trust").isTrue();

        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        TorrentHandle leecher = session().add(torrent, downloads, new AtomicLong());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (leecher.stats().havePieces() < 39 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1_000);
        assertThat(leecher.stats().havePieces()).isEqualTo(39);
        assertThat(leecher.stats().complete()).isFalse();
        assertThat(leecher.stats().wasted()).as("no bad data was ever received").isZero();
        leecher.stop();
    }

    @Test
    void peersThatNeverAnswerDoNotHoldUpTheDownload() throws Exception {
        Path content = content("patient", 500_000);
        Torrent torrent = torrentOf(content, 16 * 1024);
        seed(torrent, content.getParent());
        // Three "peers" that accept connections and then say nothing: each handshake waits for its timeout.
        List<java.net.ServerSocket> silent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            java.net.ServerSocket server = new java.net.ServerSocket(0, 50, LOOPBACK);
            open.add(server);
            silent.add(server);
            try (dev.jtorrent.tracker.Tracker announce = dev.jtorrent.tracker.Tracker.open(tracker.httpAnnounceUrl(),
                    dev.jtorrent.tracker.TrackerConfig.DEFAULTS)) {
                announce.announce(new dev.jtorrent.tracker.AnnounceRequest(torrent.infoHash(),
                        ("-XX0000-silent" + i + "-----").substring(0, 20).getBytes(), server.getLocalPort(), 0, 0,
                        1, dev.jtorrent.tracker.AnnounceEvent.STARTED, 0, i, Optional.empty()));
            }
        }

        long start = System.nanoTime();
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        TorrentHandle handle = session().add(torrent, downloads, new AtomicLong());
        handle.completion().get(30, TimeUnit.SECONDS);

        // The handshake timeout is 10 s; connecting happens off the swarm's thread, so nobody waits for it.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertSameTree(content, downloads.resolve("patient"));
    }

    private void seed(Torrent torrent, Path parent) throws Exception {
        TorrentHandle seeder = session().add(torrent, parent, new AtomicLong());
        assertThat(seeder.completion()).isDone();
        open.add(seeder::stop);
    }

    private Session session() throws IOException {
        Session session = Session.start(SessionConfig.DEFAULT.withBindAddress(LOOPBACK).withPort(0));
        open.add(session);
        return session;
    }

    private Torrent torrentOf(Path content, int pieceLength) throws Exception {
        TorrentBuilder builder = TorrentBuilder.of(content)
                .withTrackerTiers(List.of(List.of(tracker.httpAnnounceUrl())))
                .withPieceLength(Optional.of(pieceLength))
                .withCreationDate(Optional.empty());
        return Torrent.parse(builder.build(builder.plan(), new AtomicLong()));
    }

    private Path content(String name, long... sizes) throws IOException {
        Path root = Files.createDirectories(dir.resolve("seed").resolve(name));
        Random random = new Random(name.hashCode());
        for (int i = 0; i < sizes.length; i++) {
            byte[] bytes = new byte[(int) sizes[i]];
            random.nextBytes(bytes);
            Files.write(root.resolve("file-" + i + ".bin"), bytes);
        }
        return root;
    }

    private static void assertSameTree(Path expected, Path actual) throws IOException {
        try (var files = Files.list(expected)) {
            for (Path file : files.toList()) {
                Path copy = actual.resolve(file.getFileName().toString());
                assertThat(copy).exists();
                assertThat(Files.mismatch(file, copy)).as("%s differs", copy).isEqualTo(-1L);
            }
        }
    }
}
