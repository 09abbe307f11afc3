package dev.jtorrent.cli.interop;

import static dev.jtorrent.cli.interop.SampleContent.KIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code jtorrent download} in swarms that are not one healthy seeder: several seeders of different clients at
 * once, a seeder that dies half-way, and a dead tracker in the first tier.
 */
class DownloadScenariosIT {

    private static final String LEECHER_IP = "127.0.0.12";
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(60);
    private static final long MIB = 1024 * KIB;

    @TempDir
    Path dir;

    private Swarm swarm;
    private JtorrentLeecher.Running jtorrent;

    /**
     * libtorrent, aria2 and qBittorrent seed together; jtorrent downloads 16 MiB and a tree of small files from them,
     * bit-exact, and has connected to more than one of them by then (which of them served how much it does not
     * tell).
     */
    @Test
    @Timeout(180)
    void downloadsFromThreeSeedersOfDifferentClients() {
        List<SeederClient> clients = List.of(SeederClient.LIBTORRENT, SeederClient.ARIA2, SeederClient.QBITTORRENT);
        swarm = new Swarm(dir, clients, Announce.HTTP, parent -> {
            Path root = Swarm.content(parent);
            SampleContent.file(root, "media/bigger.bin", 16 * MIB + 12_345, 21);
            return root;
        }, "64KiB", List.of(), 0).seed();
        Path into = dir.resolve("leecher");

        jtorrent = new JtorrentLeecher().start(swarm.torrent(), into, LEECHER_IP, Loopback.freePort(LEECHER_IP));
        Leecher.Download download = awaitDownload();

        SameContent.assertIdentical(swarm.content(), into.resolve(swarm.content().getFileName()),
                "jtorrent from " + clients);
        Set<String> peers = jtorrent.connectedPeers();
        System.out.printf("jtorrent downloaded from %s in %d ms, connected to %s%n", clients,
                download.elapsed().toMillis(), peers);
        assertThat(peers).as("seeders jtorrent connected to; its log:\n%s", jtorrent.describe())
                .hasSizeGreaterThan(1)
                .isSubsetOf(clients.stream().map(SeederClient::ip).toList());
    }

    /**
     * libtorrent and aria2 seed, each throttled to 4 MiB/s so the download takes seconds; once libtorrent has
     * uploaded an eighth of the content to jtorrent (its own counter, printed by its script), it is killed with
     * SIGKILL while jtorrent still runs, and jtorrent completes the download from aria2 alone.
     */
    @Test
    @Timeout(180)
    void finishesFromTheOtherSeederWhenOneDisappearsMidway() {
        long size = 32 * MIB + 777;
        swarm = new Swarm(dir, List.of(SeederClient.LIBTORRENT, SeederClient.ARIA2), Announce.HTTP,
                parent -> SampleContent.file(parent, "big.bin", size, 22), "256KiB", List.of(), 4 * MIB).seed();
        LibtorrentClient libtorrent = (LibtorrentClient) swarm.seeders().get(0);
        Path into = dir.resolve("leecher");

        jtorrent = new JtorrentLeecher().start(swarm.torrent(), into, LEECHER_IP, Loopback.freePort(LEECHER_IP));
        Await.untilTrue("libtorrent to upload " + size / 8 + " bytes to jtorrent", DOWNLOAD_TIMEOUT, () -> {
            if (!jtorrent.isAlive()) {
                throw new AssertionError("jtorrent exited before libtorrent was killed");
            }
            return libtorrent.uploaded() >= size / 8;
        }, () -> jtorrent.describe() + swarm.describe());
        long uploadedBeforeKill = libtorrent.uploaded();
        libtorrent.kill();
        assertThat(jtorrent.isAlive()).as("jtorrent still downloading when libtorrent was killed (else the test "
                + "proves nothing: throttle harder)\n%s", jtorrent.describe()).isTrue();
        Leecher.Download download = awaitDownload();

        SameContent.assertIdentical(swarm.content(), into.resolve(swarm.content().getFileName()),
                "jtorrent from libtorrent (killed) and aria2");
        System.out.printf("jtorrent downloaded %d bytes in %d ms; libtorrent had uploaded %d when killed%n", size,
                download.elapsed().toMillis(), uploadedBeforeKill);
    }

    /**
     * The torrent's first tier is a tracker nobody listens on (a closed port on 127.0.0.1, over the same scheme as
     * the working one); the second tier is the swarm's opentracker. jtorrent must go on to the next tier and
     * download from libtorrent.
     */
    @ParameterizedTest(name = "dead {0} tracker in the first tier")
    @EnumSource(Announce.class)
    @Timeout(180)
    void usesTheNextTierWhenTheFirstTrackerIsDead(Announce announce) {
        int closedPort = Loopback.freePort(Loopback.TRACKER_IP);
        String dead = announce.name().toLowerCase(java.util.Locale.ROOT) + "://" + Loopback.TRACKER_IP + ":"
                + closedPort + "/announce";
        swarm = new Swarm(dir, List.of(SeederClient.LIBTORRENT), announce, Swarm::content, Swarm.PIECE_SIZE,
                List.of(dead), 0).seed();

        Leecher.Download download = swarm.download(new JtorrentLeecher(), LEECHER_IP, dir.resolve("leecher"),
                DOWNLOAD_TIMEOUT);

        System.out.printf("jtorrent downloaded past the dead %s in %d ms%n", dead, download.elapsed().toMillis());
    }

    private Leecher.Download awaitDownload() {
        try {
            return jtorrent.await(DOWNLOAD_TIMEOUT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + swarm.describe(), e);
        }
    }

    @AfterEach
    void stopEveryProcess() {
        try {
            if (jtorrent != null) {
                jtorrent.close();
            }
        } finally {
            if (swarm != null) {
                swarm.close();
            }
        }
    }
}
