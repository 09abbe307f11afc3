package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each reference client really seeds, announced over HTTP and over UDP: a leecher finds it through opentracker alone
 * and downloads the torrent bit-exact, every block from it. This proves the harness the jtorrent download tests
 * stand on; the leecher is libtorrent until jtorrent can download ({@link #leecher()}).
 */
class SeederIT {

    private static final String LEECHER_IP = "127.0.0.10";
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private Swarm swarm;

    static Stream<Arguments> seedersAndAnnounces() {
        return Arrays.stream(SeederClient.values())
                .flatMap(client -> Arrays.stream(Announce.values()).map(announce -> Arguments.of(client, announce)));
    }

    /** The client that downloads; a jtorrent leecher can take its place here, or in a copy of this class. */
    Leecher leecher() {
        return new LibtorrentClient(ReferenceClient.Role.LEECH);
    }

    @ParameterizedTest(name = "{0} seeds, announced over {1}")
    @MethodSource("seedersAndAnnounces")
    @Timeout(240) // a backstop only: every wait below has its own, shorter limit and a clearer message
    void leecherDownloadsBitExactFromTheSeeder(SeederClient client, Announce announce) {
        swarm = new Swarm(dir, client, announce);
        swarm.seed();

        Leecher.Download download = swarm.download(leecher(), LEECHER_IP, dir.resolve("leecher"), DOWNLOAD_TIMEOUT);

        swarm.assertServedBySeeder(download);
        System.out.printf("%s seeding over %s: %s downloaded in %d ms, blocks from %s%n", client, announce,
                leecher().name(), download.elapsed().toMillis(), download.blocksFrom());
        assertThat(download.elapsed()).isLessThan(DOWNLOAD_TIMEOUT);
    }

    @AfterEach
    void stopEveryProcess() {
        if (swarm != null) {
            swarm.close();
        }
    }
}
