package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.swarm.SwarmStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole swarms of jtorrent sessions on loopback, through the real wire protocol, sockets and disk, with the
 * embedded tracker: the download is bit-exact, and a second run over partial data fetches only what is missing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalSwarmTest {
    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @TempDir
    Path dir;

    @Test
    void downloadsAMultiFileTorrentBitExactFromASeeder() throws Exception {
        Path content = swarm.content("multi", 700_000, 16_384, 5, 0, 123_457);
        Torrent torrent = swarm.torrentOf(content, 32 * 1024);
        swarm.seed(torrent, content);

        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        TorrentHandle handle = Adds.checked(swarm.session(), torrent, downloads);
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
        Path content = swarm.content("stats", 2_000_000);
        Torrent torrent = swarm.torrentOf(content, 16 * 1024);
        swarm.seed(torrent, content);

        TorrentHandle handle = Adds.checked(swarm.session(), torrent, Files.createDirectories(dir.resolve("downloads")));
        CompletableFuture<SwarmStats> seen = handle.completion().thenApply(done -> handle.stats());

        SwarmStats stats = seen.get(30, TimeUnit.SECONDS);
        assertThat(stats.complete()).as("%s", stats).isTrue();
        assertThat(stats.bytesLeft()).as("%s", stats).isZero();
    }

    @Test
    void fetchesOnlyWhatIsMissingWhenDataIsAlreadyThere() throws Exception {
        Path content = swarm.content("partial", 1_000_000);
        Torrent torrent = swarm.torrentOf(content, 16 * 1024);
        swarm.seed(torrent, content);

        // The first half is already downloaded; one piece in it is corrupt.
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        Path target = Files.createDirectories(downloads.resolve("partial")).resolve("file-0.bin");
        byte[] original = Files.readAllBytes(content.resolve("file-0.bin"));
        byte[] half = java.util.Arrays.copyOf(original, original.length / 2);
        half[20_000] ^= 1;
        Files.write(target, half);

        TorrentHandle handle = Adds.checked(swarm.session(), torrent, downloads);
        handle.completion().get(30, TimeUnit.SECONDS);

        assertThat(Files.readAllBytes(target)).isEqualTo(original);
        long missing = original.length - (original.length / 2 / 16_384 - 1) * 16_384L;
        assertThat(handle.stats().downloaded()).isEqualTo(missing);
    }

    @Test
    void severalLeechersFinishTogether() throws Exception {
        Path content = swarm.content("shared", 2_000_000);
        Torrent torrent = swarm.torrentOf(content, 16 * 1024);
        swarm.seed(torrent, content);

        List<TorrentHandle> leechers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path downloads = Files.createDirectories(dir.resolve("leecher-" + i));
            leechers.add(Adds.checked(swarm.session(), torrent, downloads));
        }
        for (int i = 0; i < 3; i++) {
            leechers.get(i).completion().get(30, TimeUnit.SECONDS);
            assertSameTree(content, dir.resolve("leecher-" + i).resolve("shared"));
        }
    }

    @Test
    void aSeederThatTrustsItsDataNeverSendsAPieceThatDoesNotMatch() throws Exception {
        Path content = swarm.content("trusted", 40 * 16_384);
        Torrent torrent = swarm.torrentOf(content, 16_384);
        // Corrupt piece 7 after the torrent was made.
        byte[] bytes = Files.readAllBytes(content.resolve("file-0.bin"));
        bytes[7 * 16_384 + 100] ^= 1;
        Files.write(content.resolve("file-0.bin"), bytes);

        TorrentHandle seeder = Adds.trusted(swarm.session(), torrent, content.getParent(), true);
        swarm.closeLater(seeder::pause);
        assertThat(seeder.stats().complete()).as("taken on trust").isTrue();

        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        TorrentHandle leecher = Adds.checked(swarm.session(), torrent, downloads);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (leecher.stats().havePieces() < 39 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1_000);
        assertThat(leecher.stats().havePieces()).isEqualTo(39);
        assertThat(leecher.stats().complete()).isFalse();
        assertThat(leecher.stats().wasted()).as("no bad data was ever received").isZero();
        leecher.pause();
    }

    @Test
    void peersThatNeverAnswerDoNotHoldUpTheDownload() throws Exception {
        Path content = swarm.content("patient", 500_000);
        Torrent torrent = swarm.torrentOf(content, 16 * 1024);
        swarm.seed(torrent, content);
        // Three "peers" that accept connections and then say nothing: each handshake waits for its timeout.
        List<java.net.ServerSocket> silent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            java.net.ServerSocket server = new java.net.ServerSocket(0, 50, LoopbackSwarm.LOOPBACK);
            swarm.closeLater(server);
            silent.add(server);
            try (dev.jtorrent.tracker.Tracker announce = dev.jtorrent.tracker.Tracker.open(swarm.tracker().httpAnnounceUrl(),
                    dev.jtorrent.tracker.TrackerConfig.DEFAULTS)) {
                announce.announce(new dev.jtorrent.tracker.AnnounceRequest(torrent.infoHash(),
                        ("-XX0000-silent" + i + "-----").substring(0, 20).getBytes(), server.getLocalPort(), 0, 0,
                        1, dev.jtorrent.tracker.AnnounceEvent.STARTED, 0, i, Optional.empty()));
            }
        }

        long start = System.nanoTime();
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        TorrentHandle handle = Adds.checked(swarm.session(), torrent, downloads);
        handle.completion().get(30, TimeUnit.SECONDS);

        // The handshake timeout is 10 s; connecting happens off the swarm's thread, so nobody waits for it.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertSameTree(content, downloads.resolve("patient"));
    }

    static void assertSameTree(Path expected, Path actual) throws IOException {
        try (var files = Files.list(expected)) {
            for (Path file : files.toList()) {
                Path copy = actual.resolve(file.getFileName().toString());
                assertThat(copy).exists();
                assertThat(Files.mismatch(file, copy)).as("%s differs", copy).isEqualTo(-1L);
            }
        }
    }
}
