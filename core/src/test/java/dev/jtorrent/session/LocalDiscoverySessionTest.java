package dev.jtorrent.session;

import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.metainfo.TorrentBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions on loopback addresses of their own find each other by Local Service Discovery alone: their torrents name
 * no tracker. Multicast on {@code lo} stays on this machine (see {@code LocalDiscoveryMulticastTest}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalDiscoverySessionTest {
    /** Long enough for several announces each way on loopback, where one takes milliseconds. */
    private static final long QUIET_MILLIS = 3_000;

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    private Session session(String address, boolean lsd) throws Exception {
        return swarm.session(SessionConfig.builder().bindAddress(InetAddress.getByName(address)).port(0).lsd(lsd)
                .build());
    }

    @Test
    void aLeecherAndASeederWithNoTrackerFindEachOtherOnTheLanAndTheDownloadIsBitExact() throws Exception {
        Path content = swarm.content("lsd", 900_000, 70_001);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 32 * 1024, List.of());
        TorrentHandle seeder = Adds.checked(session("127.0.0.21", true), torrent, content.getParent());
        assertThat(seeder.stats().complete()).isTrue();

        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        TorrentHandle leecher = Adds.checked(session("127.0.0.22", true), torrent, downloads);
        leecher.completion().get(30, TimeUnit.SECONDS);

        for (String file : List.of("file-0.bin", "file-1.bin")) {
            assertThat(downloads.resolve("lsd").resolve(file)).hasSameBinaryContentAs(content.resolve(file));
        }
    }

    /** A magnet link alone: the search for its metadata is announced on the LAN, and the seeder there answers. */
    @Test
    void aMagnetLinkWithNoPeerNorTrackerGetsItsMetadataAndDataFromTheLan() throws Exception {
        Path content = swarm.content("lsd-magnet", 300_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        Adds.checked(session("127.0.0.27", true), torrent, content.getParent());

        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        TorrentHandle leecher = session("127.0.0.28", true).add(
                MagnetLink.parse("magnet:?xt=urn:btih:" + torrent.infoHash().hex()),
                AddOptions.builder().downloadDirectory(downloads).build());
        leecher.completion().get(30, TimeUnit.SECONDS);

        assertThat(downloads.resolve("lsd-magnet").resolve("file-0.bin"))
                .hasSameBinaryContentAs(content.resolve("file-0.bin"));
    }

    /**
     * With a tracker too, the leecher dials the seeder it got from the tracker while the seeder dials the leecher it
     * heard announce itself: a connection each way at once, of which both must keep the same one. Each round goes
     * wrong about half the time when each side keeps the connection it had first.
     */
    @Test
    void aSeederAndALeecherDiallingEachOtherAtOnceKeepAConnectionAndTheDownloadCompletes() throws Exception {
        for (int round = 0; round < 5; round++) {
            Path content = swarm.content("both-" + round, 700_000, 16_384);
            Torrent torrent = swarm.torrentOf(content, 32 * 1024);
            swarm.seed(torrent, content); // on 127.0.0.1, as the leecher: the tracker and LSD give the same address
            TorrentHandle leecher = Adds.checked(swarm.session(), torrent,
                    Files.createDirectories(swarm.dir().resolve("downloads-" + round)));

            leecher.completion().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withLsdOffTheyDoNot() throws Exception {
        Path content = swarm.content("off", 100_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        Adds.checked(session("127.0.0.23", false), torrent, content.getParent());
        TorrentHandle leecher = Adds.checked(session("127.0.0.24", true), torrent,
                Files.createDirectories(swarm.dir().resolve("downloads")));

        Thread.sleep(QUIET_MILLIS);
        assertThat(leecher.stats().knownPeers()).isZero();
    }

    @Test
    void aPrivateTorrentIsNeitherAnnouncedNorGivenPeersFromTheLan() throws Exception {
        Path content = swarm.content("private", 100_000);
        TorrentBuilder builder = TorrentBuilder.of(content).withPrivate(true).withPieceLength(Optional.of(16 * 1024))
                .withCreationDate(Optional.empty());
        Torrent torrent = Torrent.parse(builder.build(builder.plan(), new AtomicLong()));
        TorrentHandle seeder = Adds.checked(session("127.0.0.25", true), torrent, content.getParent());
        TorrentHandle leecher = Adds.checked(session("127.0.0.26", true), torrent,
                Files.createDirectories(swarm.dir().resolve("downloads")));

        Thread.sleep(QUIET_MILLIS);
        assertThat(leecher.stats().knownPeers()).isZero();
        assertThat(seeder.stats().knownPeers()).isZero();
    }
}
