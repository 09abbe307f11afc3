package dev.jtorrent.session;

import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.Torrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Torrents added by magnet link alone, between jtorrent sessions on loopback: the metadata is fetched from the
 * link's peers ({@code x.pe}) or from those its tracker ({@code tr}) lists, then the download runs as from the
 * .torrent, bit-exact; the metadata is kept in the resume directory so that the next run does not fetch it again;
 * a pause while waiting stops the search and a resume starts another; {@code so} picks the files.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MagnetDownloadTest {
    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void downloadsFromTheLinksPeerAlone() throws Exception {
        Path content = swarm.content("album", 300_000, 50_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        int seederPort = seed(torrent, content).port();

        Session leecher = swarm.session();
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        swarm.closeLater(leecher.subscribe(events::add));
        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        TorrentHandle handle = leecher.add(MagnetLink.parse(link(torrent, "&dn=Waiting&x.pe=127.0.0.1:" + seederPort)),
                AddOptions.builder().downloadDirectory(downloads).build());

        handle.completion().get(30, TimeUnit.SECONDS);
        assertThat(handle.torrent().orElseThrow().infoHash()).isEqualTo(torrent.infoHash());
        assertThat(handle.name()).isEqualTo("album");
        LocalSwarmTest.assertSameTree(content, downloads.resolve("album"));
        assertThat(events).anySatisfy(event -> assertThat(event).isInstanceOf(SessionEvent.MetadataReceived.class));
    }

    @Test
    void downloadsFromThePeersOfTheLinksTracker() throws Exception {
        Path content = swarm.content("tracked", 200_000);
        Torrent torrent = swarm.torrentOf(content, 16 * 1024);
        swarm.seed(torrent, content);

        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        TorrentHandle handle = swarm.session().add(MagnetLink.parse(link(torrent, "&tr="
                        + URLEncoder.encode(swarm.tracker().httpAnnounceUrl(), StandardCharsets.UTF_8))),
                AddOptions.builder().downloadDirectory(downloads).build());

        assertThat(handle.trackers()).extracting(TrackerStatus::url).containsExactly(swarm.tracker().httpAnnounceUrl());
        handle.completion().get(30, TimeUnit.SECONDS);
        LocalSwarmTest.assertSameTree(content, downloads.resolve("tracked"));
        assertThat(handle.torrent().orElseThrow().trackers()).containsExactly(swarm.tracker().httpAnnounceUrl());
    }

    @Test
    void theMetadataIsKeptSoTheNextRunDoesNotFetchIt() throws Exception {
        Path content = swarm.content("kept", 100_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        Session seeder = seed(torrent, content);
        Path resume = swarm.dir().resolve("resume");
        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        SessionConfig config = LoopbackSwarm.config().toBuilder().resumeDirectory(resume).build();
        String link = link(torrent, "&x.pe=127.0.0.1:" + seeder.port());

        try (Session first = Session.start(config)) {
            first.add(MagnetLink.parse(link), AddOptions.builder().downloadDirectory(downloads).build())
                    .completion().get(30, TimeUnit.SECONDS);
        }
        seeder.close(); // no peer left to fetch it from
        try (Session second = Session.start(config)) {
            TorrentHandle again = second.add(MagnetLink.parse(link),
                    AddOptions.builder().downloadDirectory(downloads).build());
            assertThat(again.torrent().orElseThrow().infoHash()).isEqualTo(torrent.infoHash());
            again.completion().get(30, TimeUnit.SECONDS); // complete from its own data
        }
    }

    @Test
    void keptMetadataThatIsCorruptOrOfAnotherTorrentIsFetchedAgain() throws Exception {
        Path content = swarm.content("refetched", 100_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        Torrent other = LoopbackSwarm.torrentOf(swarm.content("other", 1_000), 16 * 1024, List.of());
        Session seeder = seed(torrent, content);
        Path resume = Files.createDirectories(swarm.dir().resolve("resume"));
        SessionConfig config = LoopbackSwarm.config().toBuilder().resumeDirectory(resume).build();
        Path kept = resume.resolve(torrent.infoHash().hex() + ".torrent");

        for (byte[] bad : List.of("d4:infoi3ee".getBytes(StandardCharsets.US_ASCII), other.encode())) {
            Files.write(kept, bad);
            Path downloads = Files.createDirectories(swarm.dir().resolve("downloads-" + bad.length));
            try (Session session = Session.start(config)) {
                TorrentHandle handle = session.add(MagnetLink.parse(link(torrent, "&x.pe=127.0.0.1:" + seeder.port())),
                        AddOptions.builder().downloadDirectory(downloads).build());
                handle.completion().get(30, TimeUnit.SECONDS);
                LocalSwarmTest.assertSameTree(content, downloads.resolve("refetched"));
            }
            assertThat(Torrent.load(kept).infoHash()).isEqualTo(torrent.infoHash()); // kept right this time
        }
    }

    @Test
    void aPauseWhileWaitingStopsTheSearchAndAResumeStartsAnother() throws Exception {
        Path content = swarm.content("paused", 100_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        Session seeder = seed(torrent, content);
        Session leecher = swarm.session();
        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));

        TorrentHandle handle = leecher.add(MagnetLink.parse(link(torrent, "")),
                AddOptions.builder().downloadDirectory(downloads).build());
        assertThat(handle.status().state()).isEqualTo(new TorrentState.WaitingForMetadata());
        handle.pause();
        assertThat(handle.status().state()).isEqualTo(new TorrentState.Paused());
        handle.addPeer(new java.net.InetSocketAddress(LoopbackSwarm.LOOPBACK, seeder.port())); // ignored
        handle.resume();
        assertThat(handle.status().state()).isEqualTo(new TorrentState.WaitingForMetadata());
        handle.addPeer(new java.net.InetSocketAddress(LoopbackSwarm.LOOPBACK, seeder.port()));

        handle.completion().get(30, TimeUnit.SECONDS);
        LocalSwarmTest.assertSameTree(content, downloads.resolve("paused"));
    }

    @Test
    void selectOnlyPicksTheFilesToDownload() throws Exception {
        Path content = swarm.content("picked", 100_000, 200_000, 30_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        Session seeder = seed(torrent, content);
        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));

        TorrentHandle handle = swarm.session().add(
                MagnetLink.parse(link(torrent, "&so=0,2&x.pe=127.0.0.1:" + seeder.port())),
                AddOptions.builder().downloadDirectory(downloads).build());

        handle.completion().get(30, TimeUnit.SECONDS);
        assertThat(handle.files()).extracting(FileStatus::priority)
                .containsExactly(FilePriority.NORMAL, FilePriority.SKIP, FilePriority.NORMAL);
        for (int file : new int[] {0, 2}) {
            assertThat(downloads.resolve("picked").resolve("file-" + file + ".bin"))
                    .hasSameBinaryContentAs(content.resolve("file-" + file + ".bin"));
        }
    }

    @Test
    void stopAfterMetadataPausesWithTheFilesKnownForTheProgramToChoose() throws Exception {
        Path content = swarm.content("chosen", 100_000, 200_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        Session seeder = seed(torrent, content);
        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));

        TorrentHandle handle = swarm.session().add(MagnetLink.parse(link(torrent, "&x.pe=127.0.0.1:" + seeder.port())),
                AddOptions.builder().downloadDirectory(downloads).stopAfterMetadata(true).build());
        assertThat(handle.metadata().get(30, TimeUnit.SECONDS)).isSameAs(handle);
        assertThat(handle.status().state()).isEqualTo(new TorrentState.Paused());
        assertThat(handle.files()).hasSize(2);
        assertThat(Files.exists(downloads.resolve("chosen"))).isFalse(); // nothing checked or written yet

        handle.setFilePriority(0, FilePriority.SKIP);
        handle.resume();
        handle.completion().get(30, TimeUnit.SECONDS);
        assertThat(downloads.resolve("chosen").resolve("file-1.bin"))
                .hasSameBinaryContentAs(content.resolve("file-1.bin"));
        assertThat(downloads.resolve("chosen").resolve("file-0.bin")).doesNotExist();
    }

    @Test
    void theMetadataFutureOfATorrentAddedWithItsMetadataIsDoneAtOnce() throws Exception {
        Path content = swarm.content("known", 10_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        TorrentHandle handle = swarm.session().add(torrent, AddOptions.builder().paused(true).build());
        assertThat(handle.metadata().get(5, TimeUnit.SECONDS)).isSameAs(handle);
    }

    private static String link(Torrent torrent, String parameters) {
        return "magnet:?xt=urn:btih:" + torrent.infoHash().hex() + parameters;
    }

    /** A session of its own that seeds {@code torrent} from {@code content}. */
    private Session seed(Torrent torrent, Path content) throws Exception {
        Session seeder = swarm.session();
        assertThat(swarm.add(seeder, torrent, content.getParent()).stats().complete()).isTrue();
        return seeder;
    }
}
