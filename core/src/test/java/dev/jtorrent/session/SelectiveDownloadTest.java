package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.FileStorage;
import dev.jtorrent.swarm.SwarmStats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.jtorrent.session.FilePriority.HIGH;
import static dev.jtorrent.session.FilePriority.NORMAL;
import static dev.jtorrent.session.FilePriority.SKIP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A download of some of a torrent's files from a seeder on loopback, through sockets and disk: three files in pieces
 * of 32 KiB, the middle one skipped. It shares a piece with each neighbour, so some of its bytes must come, and go to
 * the parts file; none of them lands in the download directory.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SelectiveDownloadTest {
    private static final int PIECE = 32 * 1024;
    /** file-0 ends in piece 3, file-1 runs from piece 3 to piece 7, file-2 from piece 7 on. */
    private static final long[] SIZES = {100_000, 150_000, 120_000};
    private static final List<FilePriority> SKIP_MIDDLE = List.of(NORMAL, SKIP, NORMAL);

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    private Path content;
    private Torrent torrent;
    private Path downloads;
    private Path resumeDir;

    @BeforeEach
    void seed() throws Exception {
        content = swarm.content("select", SIZES);
        torrent = swarm.torrentOf(content, PIECE);
        swarm.seed(torrent, content);
        downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        resumeDir = swarm.dir().resolve("resume");
    }

    @Test
    void downloadsTheWantedFilesBitExactAndNeverCreatesTheSkippedOne() throws Exception {
        TorrentHandle handle = add(SKIP_MIDDLE);
        handle.completion().get(30, TimeUnit.SECONDS);

        assertSame("file-0.bin");
        assertSame("file-2.bin");
        assertThat(downloads.resolve("select/file-1.bin")).doesNotExist();
        assertThat(partsFile()).exists();
        SwarmStats stats = handle.stats();
        assertThat(stats.complete()).isTrue();
        assertThat(stats.bytesLeft()).isZero();
        // Pieces 0-3 and 7-11: the three pieces only the skipped file has bytes in (4-6) are not fetched.
        assertThat(stats.havePieces()).isEqualTo(stats.pieceCount() - 3);
        List<FileStatus> files = handle.files();
        assertThat(files.get(0).verifiedBytes()).isEqualTo(SIZES[0]);
        assertThat(files.get(2).verifiedBytes()).isEqualTo(SIZES[2]);
        // Of file-1, the bytes in the two pieces it shares: 4 * 32768 - 100000 and 250000 - 7 * 32768.
        assertThat(files.get(1).verifiedBytes()).isEqualTo((4L * PIECE - 100_000) + (250_000 - 7L * PIECE));
        assertThat(files.get(1).priority()).isEqualTo(SKIP);
        assertThat(handle.status().state()).isInstanceOf(TorrentState.Seeding.class);
    }

    @Test
    void aSkippedFileWantedWhileTheTorrentRunsIsDownloadedThen() throws Exception {
        TorrentHandle handle = add(SKIP_MIDDLE);
        handle.completion().get(30, TimeUnit.SECONDS);

        handle.setFilePriority(1, HIGH);

        awaitStats(handle, stats -> stats.havePieces() == stats.pieceCount());
        assertSame("file-0.bin");
        assertSame("file-1.bin");
        assertSame("file-2.bin");
        assertThat(partsFile()).as("its bytes moved into place").doesNotExist();
        assertThat(handle.stats().complete()).isTrue();
    }

    @Test
    void sequentialIsAnOptionAndASwitch() throws Exception {
        Session session = swarm.session();
        TorrentHandle handle = Adds.added(session, torrent,
                AddOptions.builder().downloadDirectory(downloads).sequential(true).build()); // removed by the test
        assertThat(handle.sequential()).isTrue();
        handle.completion().get(30, TimeUnit.SECONDS);
        assertSame("file-0.bin");
        assertSame("file-1.bin");
        assertSame("file-2.bin");

        handle.setSequential(false);
        assertThat(handle.sequential()).isFalse();
        session.remove(handle, false);
        assertThatThrownBy(() -> handle.setSequential(true)).isInstanceOf(IllegalStateException.class);
    }

    /** After a restart the pieces in the parts file are checked, as any other data: good ones count, bad ones not. */
    @Test
    void aRestartChecksThePiecesInThePartsFile() throws Exception {
        TorrentHandle first = add(resumingSession(), SKIP_MIDDLE);
        first.completion().get(30, TimeUnit.SECONDS);
        int have = first.stats().havePieces();
        first.pause();

        TorrentHandle again = add(resumingSession(), SKIP_MIDDLE);
        assertThat(again.stats().havePieces()).isEqualTo(have);
        assertThat(again.startNote()).hasValue("resumed " + (have - 2) + " of 12 pieces without a check");
        again.pause();

        corruptPiece3InThePartsFile();
        TorrentHandle third = add(resumingSession(), SKIP_MIDDLE);
        assertThat(third.stats().havePieces()).as("the corrupt piece is not ours").isEqualTo(have - 1);
        third.completion().get(30, TimeUnit.SECONDS);
        assertSame("file-0.bin");
        assertThat(downloads.resolve("select/file-1.bin")).doesNotExist();
    }

    /** A restart that wants the skipped file moves its bytes out of the parts file, then fetches the rest. */
    @Test
    void aRestartThatWantsTheSkippedFileMovesItsBytesIntoPlace() throws Exception {
        TorrentHandle first = add(resumingSession(), SKIP_MIDDLE);
        first.completion().get(30, TimeUnit.SECONDS);
        int have = first.stats().havePieces();
        first.pause();

        TorrentHandle again = add(resumingSession(), List.of());
        assertThat(partsFile()).doesNotExist();
        assertThat(again.stats().havePieces()).as("the shared pieces are still ours").isEqualTo(have);
        again.completion().get(30, TimeUnit.SECONDS);
        assertSame("file-1.bin");
    }

    /** The parts file belongs to the torrent's files: it moves with them, and goes when they are deleted. */
    @Test
    void thePartsFileMovesWithTheFilesAndIsDeletedWithThem() throws Exception {
        Session session = swarm.session();
        TorrentHandle handle = Adds.added(session, torrent, options(SKIP_MIDDLE)); // removed by the test
        handle.completion().get(30, TimeUnit.SECONDS);
        Path elsewhere = swarm.dir().resolve("elsewhere");

        handle.moveStorage(elsewhere).get(30, TimeUnit.SECONDS);

        assertThat(partsFile()).doesNotExist();
        Path moved = elsewhere.resolve(FileStorage.partsFileName(torrent.infoHash()));
        assertThat(moved).exists();
        handle.setFilePriority(1, NORMAL);
        awaitStats(handle, stats -> stats.havePieces() == stats.pieceCount());
        assertThat(Files.mismatch(content.resolve("file-1.bin"), elsewhere.resolve("select/file-1.bin")))
                .isEqualTo(-1L);
        handle.setFilePriority(0, SKIP); // on disk already: stays where it is

        session.remove(handle, true);
        assertThat(elsewhere.resolve("select")).doesNotExist();
        assertThat(moved).doesNotExist();
    }

    @Test
    void removingWithTheDataDeletesThePartsFile() throws Exception {
        Session session = swarm.session();
        TorrentHandle handle = Adds.added(session, torrent, options(SKIP_MIDDLE)); // removed by the test
        handle.completion().get(30, TimeUnit.SECONDS);

        session.remove(handle, true);

        assertThat(partsFile()).doesNotExist();
        assertThat(downloads.resolve("select")).doesNotExist();
    }

    private TorrentHandle add(List<FilePriority> priorities) throws IOException {
        return add(swarm.session(), priorities);
    }

    /** Adds the torrent with these file priorities (the rest normal), and waits for its check. */
    private TorrentHandle add(Session session, List<FilePriority> priorities) throws IOException {
        return swarm.add(session, torrent, options(priorities));
    }

    private AddOptions options(List<FilePriority> priorities) {
        return AddOptions.builder().downloadDirectory(downloads).filePriorities(priorities).build();
    }

    private Session resumingSession() throws IOException {
        return swarm.session(LoopbackSwarm.config().toBuilder().resumeDirectory(resumeDir).build());
    }

    private Path partsFile() {
        return downloads.resolve(FileStorage.partsFileName(torrent.infoHash()));
    }

    /** Flips a byte of piece 3's bytes of file-1 in the parts file: the piece no longer hashes right. */
    private void corruptPiece3InThePartsFile() throws IOException {
        long header = 1024; // 2 + 12 words, rounded up to a kibibyte
        long inSlot = 100_000 - 3L * PIECE; // where file-1's bytes start in piece 3
        try (FileChannel channel = FileChannel.open(partsFile(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer slot = ByteBuffer.allocate(4);
            channel.read(slot, 8 + 4 * 3);
            long at = header + (long) slot.getInt(0) * PIECE + inSlot;
            ByteBuffer b = ByteBuffer.allocate(1);
            channel.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 1));
            channel.write(b.clear(), at);
        }
    }

    private void awaitStats(TorrentHandle handle, Predicate<SwarmStats> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.test(handle.stats()) && System.nanoTime() < deadline) {
            Thread.sleep(20); // the stats are a snapshot the swarm publishes; nothing to wait on
        }
        assertThat(handle.stats()).matches(done);
    }

    private void assertSame(String name) throws IOException {
        assertThat(Files.mismatch(content.resolve(name), downloads.resolve("select").resolve(name)))
                .as("%s differs", name).isEqualTo(-1L);
    }
}
