package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A libtorrent leecher with a magnet link alone (no tracker, no DHT, no metadata) and a jtorrent seed's address
 * (connect_peer) gets the info dictionary from jtorrent over ut_metadata (BEP 9), then downloads the content
 * bit-exact. The torrent has 16 KiB pieces, so that its info dictionary spans two metadata pieces and the last,
 * shorter one is served too.
 */
class MagnetFromJtorrentIT {

    private static final String SEED_IP = "127.0.0.51";
    private static final String LEECHER_IP = "127.0.0.52";
    /** 1,600 pieces of 16 KiB: 32,000 bytes of piece hashes, an info dictionary of two metadata pieces. */
    private static final long CONTENT_SIZE = 1_600 * 16 * SampleContent.KIB;
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();

    @Test
    @Timeout(240) // a backstop only: every wait below has its own, shorter limit and a clearer message
    void libtorrentWithAMagnetLinkGetsTheMetadataFromJtorrentAndDownloadsBitExact() throws Exception {
        Libtorrent libtorrent = Libtorrent.require();
        Path content = SampleContent.file(dir.resolve("seed"), "magnet.bin", CONTENT_SIZE, 51);
        Path torrent = dir.resolve("magnet.torrent");
        libtorrent.create(content, torrent, 16 * 1024, Libtorrent.Layout.V1, List.of());
        String infoHash = Harness.infoHashOf(torrent).hex();
        assertThat(Files.size(torrent)).as("the torrent file, about its info dictionary")
                .isGreaterThan(16 * 1024);

        JtorrentSeeder seeder = new JtorrentSeeder(dir);
        started.add(seeder);
        int seedPort = Loopback.freePort(SEED_IP);
        seeder.start(torrent, content.getParent(), SEED_IP, seedPort);

        Path leecher = dir.resolve("leecher");
        Files.createDirectories(leecher);
        String magnet = "magnet:?xt=urn:btih:" + infoHash;
        List<String> command = List.of(libtorrent.python().toString(), "-", magnet, leecher.toString(), LEECHER_IP,
                Integer.toString(Loopback.freePort(LEECHER_IP)), SEED_IP, Integer.toString(seedPort),
                Long.toString(DOWNLOAD_TIMEOUT.toSeconds()));
        ExternalProcess.Result run = ExternalProcess.of(DOWNLOAD_TIMEOUT.plusSeconds(30), command)
                .withInput(Libtorrent.resource("libtorrent-magnet.py")).run().requireSuccess();
        Map<String, Object> result = JsonReader.readObject(run.stdout().strip());

        String context = run.describe() + "\n" + seeder.describe();
        assertThat(result.get("metadata")).as("libtorrent got the metadata from jtorrent\n%s", context)
                .isEqualTo(true);
        assertThat(result.get("complete")).as("libtorrent completed the download\n%s", context).isEqualTo(true);
        SameContent.assertIdentical(content, leecher.resolve("magnet.bin"), context);
        System.out.printf("libtorrent from a magnet link: metadata from jtorrent in %.3f s, download in %.3f s%n",
                ((Number) result.get("metadataSeconds")).doubleValue(), ((Number) result.get("seconds")).doubleValue());
        seeder.requireAlive();
    }

    @AfterEach
    void stopEveryProcess() {
        Harness.closeAll(started);
    }
}
