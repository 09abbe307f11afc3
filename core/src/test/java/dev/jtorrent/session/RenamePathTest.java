package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.Torrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Renaming files and folders of torrents in sessions on loopback: paused, downloading, over a restart and a crash. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RenamePathTest {
    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void aPausedTorrentsFileIsRenamedOnDiskAndInItsFilesAndStaysComplete() throws Exception {
        Path content = swarm.content("paused", 40_000, 30_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16384, List.of());
        Session session = swarm.session();
        TorrentHandle handle = swarm.add(session, torrent, content.getParent());
        handle.pause();
        byte[] bytes = Files.readAllBytes(content.resolve("file-1.bin"));

        handle.renamePath("paused/file-1.bin", "renamed.bin").get(10, TimeUnit.SECONDS);

        assertThat(content.resolve("renamed.bin")).hasBinaryContent(bytes);
        assertThat(content.resolve("file-1.bin")).doesNotExist();
        assertThat(handle.files()).extracting(FileStatus::path).containsExactly("paused/file-0.bin",
                "paused/renamed.bin");
        assertThat(handle.status().state()).isInstanceOf(TorrentState.Paused.class);
        handle.resume();
        handle.checked().get(10, TimeUnit.SECONDS);
        FakePeer.await("seeding", Duration.ofSeconds(10),
                () -> handle.status().state() instanceof TorrentState.Seeding);
        assertThat(handle.files()).allMatch(FileStatus::complete);
    }

    /** The top folder renamed while a leecher held to 64 KiB/s downloads: it goes on and ends bit-exact there. */
    @Test
    void theTopFolderIsRenamedWhileDownloadingAndTheDownloadEndsThere() throws Exception {
        Path content = swarm.content("busy", 300_000, 200_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16384, List.of());
        Session seeding = swarm.session();
        swarm.add(seeding, torrent, content.getParent());
        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        Session session = swarm.session(SessionConfig.builder().bindAddress(LoopbackSwarm.LOOPBACK).port(0)
                .resumeDirectory(swarm.dir().resolve("resume")).build());
        TorrentHandle leecher = swarm.add(session, torrent, AddOptions.builder().downloadDirectory(downloads)
                .downloadLimit(64 * 1024).build());
        leecher.addPeer(new InetSocketAddress(LoopbackSwarm.LOOPBACK, seeding.port()));
        FakePeer.await("the first piece", Duration.ofSeconds(20), () -> leecher.stats().havePieces() > 0);

        leecher.renamePath("busy", "Renamed").get(20, TimeUnit.SECONDS);
        assertThat(downloads.resolve("busy")).doesNotExist();
        leecher.setDownloadLimit(0);
        // It started again from where it was: a new swarm, which knows no peer without a tracker.
        FakePeer.await("running again", Duration.ofSeconds(10),
                () -> leecher.status().state() instanceof TorrentState.Downloading);
        assertThat(leecher.stats().havePieces()).as("kept what it had, unchecked").isPositive();
        leecher.addPeer(new InetSocketAddress(LoopbackSwarm.LOOPBACK, seeding.port()));
        leecher.completion().get(30, TimeUnit.SECONDS);

        for (String file : List.of("file-0.bin", "file-1.bin")) {
            assertThat(downloads.resolve("Renamed").resolve(file))
                    .hasSameBinaryContentAs(content.resolve(file));
        }
        assertThat(leecher.files()).extracting(FileStatus::path).containsExactly("Renamed/file-0.bin",
                "Renamed/file-1.bin");
    }

    @Test
    void renamedPathsSurviveARestart() throws Exception {
        Path content = swarm.content("kept", 50_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16384, List.of());
        SessionConfig config = SessionConfig.builder().bindAddress(LoopbackSwarm.LOOPBACK).port(0)
                .resumeDirectory(swarm.dir().resolve("resume")).build();
        Session first = swarm.session(config);
        TorrentHandle handle = swarm.add(first, torrent, content.getParent());
        handle.renamePath("kept/file-0.bin", "new name.bin").get(10, TimeUnit.SECONDS);
        handle.checked().get(10, TimeUnit.SECONDS);
        first.close();

        Session second = swarm.session(config);
        TorrentHandle again = swarm.add(second, torrent, content.getParent());

        assertThat(again.files()).extracting(FileStatus::path).containsExactly("kept/new name.bin");
        FakePeer.await("seeding", Duration.ofSeconds(10),
                () -> again.status().state() instanceof TorrentState.Seeding);
        assertThat(again.startNote()).hasValueSatisfying(note -> assertThat(note).contains("without a check"));
    }

    /**
     * A crash after the journal was written and before the file moved: the record names the new path and the old,
     * the file is still at the old one. The next start finishes the rename and the torrent seeds.
     */
    @Test
    void aRenameThatACrashCutShortIsFinishedAtTheNextStart() throws Exception {
        Path content = swarm.content("crash", 50_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16384, List.of());
        Path resume = Files.createDirectories(swarm.dir().resolve("resume"));
        InfoHash hash = torrent.infoHash();
        Files.write(resume.resolve(hash.hex() + ".state"), new TorrentRecord(hash, Instant.now(), Optional.empty(),
                Optional.empty(), Duration.ZERO, Duration.ZERO, 0, 0, 0, Optional.empty(),
                new TreeMap<>(Map.of(0, List.of("crash", "after.bin"))),
                new TreeMap<>(Map.of(0, List.of("crash", "file-0.bin")))).encode());
        Session session = swarm.session(SessionConfig.builder().bindAddress(LoopbackSwarm.LOOPBACK).port(0)
                .resumeDirectory(resume).build());

        TorrentHandle handle = swarm.add(session, torrent, content.getParent());

        FakePeer.await("seeding", Duration.ofSeconds(10),
                () -> handle.status().state() instanceof TorrentState.Seeding);
        assertThat(content.resolve("after.bin")).exists();
        assertThat(content.resolve("file-0.bin")).doesNotExist();
        assertThat(TorrentRecord.parse(Files.readAllBytes(resume.resolve(hash.hex() + ".state"))).renaming())
                .as("the journal is cleared").isEmpty();
    }

    @Test
    void aRenameOverAFileOnDiskFailsAndLeavesEverythingAsItWas() throws Exception {
        Path content = swarm.content("clash", 20_000, 20_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16384, List.of());
        Session session = swarm.session();
        TorrentHandle handle = swarm.add(session, torrent, content.getParent());
        Files.writeString(content.resolve("taken.bin"), "not the torrent's");

        assertThatThrownBy(() -> handle.renamePath("clash/file-0.bin", "taken.bin").get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("not overwritten");
        assertThatThrownBy(() -> handle.renamePath("clash/file-0.bin", "../escape"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> handle.renamePath("clash/file-9.bin", "x"))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(content.resolve("taken.bin")).hasContent("not the torrent's");
        assertThat(handle.files()).extracting(FileStatus::path).containsExactly("clash/file-0.bin",
                "clash/file-1.bin");
        FakePeer.await("seeding again", Duration.ofSeconds(10),
                () -> handle.status().state() instanceof TorrentState.Seeding);
    }
}
