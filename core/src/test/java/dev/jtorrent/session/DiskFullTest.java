package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.FaultyDisk;
import dev.jtorrent.storage.FileStorage;
import dev.jtorrent.storage.PieceVerifier;
import dev.jtorrent.swarm.SwarmStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A full disk pauses the torrent with a clear reason, corrupts nothing already written, and the download goes on
 * when space returns; any other write error stops the torrent until it is resumed; a download directory that
 * vanishes stops only its own torrent. The full disk is simulated here ({@link FaultyDisk}: each write fails half
 * way, with the message of a German system, and the disk reports no free space); {@code FullDiskIT} fills a real
 * tmpfs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiskFullTest {
    private static final int PIECE = 32 * 1024;

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @TempDir
    Path dir;

    @Test
    void aFullDiskPausesTheDownloadCorruptsNothingAndItGoesOnWhenSpaceReturns() throws Exception {
        Path content = swarm.content("full", 4 * 1024 * 1024);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        FaultyDisk disk = new FaultyDisk();
        TorrentHandle handle = swarm.add(swarm.session(config(), disk), torrent, downloads);
        disk.fill();
        swarm.seed(torrent, content);

        SwarmStats paused = awaitStats(handle, s -> s.paused() != null);
        assertThat(paused.paused()).contains(FaultyDisk.GERMAN_NO_SPACE)
                .endsWith("downloading paused until there is space");
        assertThat(paused.error()).isNull();
        assertThat(handle.completion()).isNotDone();
        Thread.sleep(300); // retries meet the full disk again, and stay paused
        assertThat(handle.stats().paused()).isNotNull();
        assertCountedPiecesAreIntact(torrent, downloads, handle.stats());

        disk.free();
        handle.completion().get(30, TimeUnit.SECONDS);
        assertThat(handle.stats().paused()).isNull();
        assertThat(Files.mismatch(content.resolve("file-0.bin"), downloads.resolve("full/file-0.bin"))).isEqualTo(-1L);
    }

    @Test
    void aWriteThatFailsWithSpaceLeftStopsTheTorrentWhateverItsMessageSays() throws Exception {
        Path content = swarm.content("broken", 1024 * 1024);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        FaultyDisk disk = new FaultyDisk();
        TorrentHandle handle = swarm.add(swarm.session(config(), disk), torrent, downloads);
        disk.failWrites("No space left on device"); // English, and once taken for a full disk by its text alone
        swarm.seed(torrent, content);

        assertThatThrownBy(() -> handle.completion().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().hasMessageContaining("No space left on device");
        assertThat(handle.stats().paused()).isNull();
    }

    @Test
    void resumingATorrentStoppedByADiskErrorStartsItAgainAndItFinishes() throws Exception {
        Path content = swarm.content("retried", 1024 * 1024);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        FaultyDisk disk = new FaultyDisk();
        Session session = swarm.session(config(), disk);
        List<Class<?>> states = new CopyOnWriteArrayList<>();
        session.subscribe(event -> {
            if (event instanceof SessionEvent.StateChanged changed) {
                states.add(changed.to().getClass());
            }
        });
        TorrentHandle handle = swarm.add(session, torrent, downloads);
        disk.failWrites("Input/output error");
        swarm.seed(torrent, content);
        assertThatThrownBy(() -> handle.completion().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().hasMessageContaining("Input/output error");
        // The swarm publishes its statistics before its completion fails, so subscribers hear of the change too.
        assertThat(handle.status().state()).isInstanceOf(TorrentState.Failed.class);
        long failedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!states.contains(TorrentState.Failed.class) && System.nanoTime() < failedBy) {
            Thread.sleep(20);
        }
        assertThat(states).as("a state change to Failed is published").contains(TorrentState.Failed.class);

        disk.free(); // the fault has passed, as a loose cable's does: the user starts the torrent again
        handle.resume();

        awaitState(handle, TorrentState.Seeding.class);
        assertThat(Files.mismatch(content.resolve("file-0.bin"), downloads.resolve("retried/file-0.bin")))
                .isEqualTo(-1L);
        // Stopped and started again as a pause and a resume do: checking what changed, then downloading the rest.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!states.contains(TorrentState.Seeding.class) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(states).containsSubsequence(TorrentState.Failed.class, TorrentState.Paused.class,
                TorrentState.Queued.class, TorrentState.Seeding.class);
    }

    @Test
    void aVanishedDownloadDirectoryStopsItsTorrentWithAClearErrorAndNoOther() throws Exception {
        Path contentA = swarm.content("a", 1024 * 1024);
        Path contentB = swarm.content("b", 1024 * 1024);
        Torrent a = swarm.torrentOf(contentA, PIECE);
        Torrent b = swarm.torrentOf(contentB, PIECE);
        Path dirA = Files.createDirectories(dir.resolve("downloads-a"));
        Path dirB = Files.createDirectories(dir.resolve("downloads-b"));
        Session leecher = swarm.session(config());
        TorrentHandle handleA = swarm.add(leecher, a, dirA);
        TorrentHandle handleB = swarm.add(leecher, b, dirB);
        Files.delete(dirA); // an unmounted disk looks like this: jtorrent must not recreate it and fill the disk below
        swarm.seed(a, contentA);
        swarm.seed(b, contentB);

        handleB.completion().get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> handleA.completion().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().hasMessageContaining(dirA.toString()).hasMessageNotContaining("\n");
        assertThat(dirA).doesNotExist();
        assertThat(Files.mismatch(contentB.resolve("file-0.bin"), dirB.resolve("b/file-0.bin"))).isEqualTo(-1L);
    }

    private static SwarmStats awaitStats(TorrentHandle handle, java.util.function.Predicate<SwarmStats> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            SwarmStats stats = handle.stats();
            if (condition.test(stats)) {
                return stats;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never happened; last stats " + handle.stats());
    }

    private static void awaitState(TorrentHandle handle, Class<? extends TorrentState> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!state.isInstance(handle.status().state()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(handle.status().state()).isInstanceOf(state);
    }

    /** Whatever counts as ours reads back right, although writes failed half way beside it. */
    private static void assertCountedPiecesAreIntact(Torrent torrent, Path downloads, SwarmStats stats)
            throws IOException {
        if (stats.havePieces() == 0) {
            return;
        }
        int found = 0;
        try (FileStorage storage = FileStorage.open(downloads, torrent.info())) {
            for (int piece = 0; piece < torrent.info().pieceCount(); piece++) {
                ByteBuffer data = ByteBuffer.allocate(torrent.info().pieceSize(piece));
                try {
                    storage.read(piece, 0, data);
                } catch (IOException e) {
                    continue;
                }
                found += PieceVerifier.matches(torrent.info().pieceHash(piece), data.flip()) ? 1 : 0;
            }
        }
        assertThat(found).isGreaterThanOrEqualTo(stats.havePieces());
    }

    private static SessionConfig config() {
        SessionConfig config = LoopbackSwarm.config();
        return config.withSwarm(config.swarm().withDiskFullRetry(Duration.ofMillis(100)));
    }
}
