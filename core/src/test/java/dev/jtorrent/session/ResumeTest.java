package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.FileState;
import dev.jtorrent.swarm.SwarmStats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Resume data through a whole session: saved when a torrent stops, trusted on the next start while the files are
 * as it recorded them, and otherwise checked, never a crash or a piece wrongly counted as ours.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResumeTest {
    private static final int PIECE = 32 * 1024;

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    private Path dir;
    private Path content;
    private Torrent torrent;
    private Path downloads;
    private Path resumeDir;

    @BeforeEach
    void downloadOnce() throws Exception {
        dir = swarm.dir();
        content = swarm.content("content", 10 * PIECE, 10 * PIECE + 1000);
        torrent = swarm.torrentOf(content, PIECE);
        swarm.seed(torrent, content);

        downloads = Files.createDirectories(dir.resolve("downloads"));
        resumeDir = dir.resolve("state").resolve("resume");
        TorrentHandle leecher = Adds.checked(session(Optional.of(resumeDir)), torrent, downloads);
        assertThat(leecher.startNote()).as("no resume file yet: nothing to say").isEmpty();
        leecher.completion().get(30, TimeUnit.SECONDS);
        leecher.pause();
    }

    @Test
    void aStoppedTorrentIsResumedWithoutReadingItsData() throws Exception {
        // Proof that nothing is read: a byte changed behind the session's back, size and time kept, goes unseen,
        // as in libtorrent and Transmission, which also trust unchanged sizes and times.
        Path file = downloads.resolve("content/file-0.bin");
        FileTime modified = Files.getLastModifiedTime(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(5);
            raf.write(raf.read() ^ 1);
        }
        Files.setLastModifiedTime(file, modified);

        TorrentHandle again = restart();

        assertThat(again.startNote()).hasValue("resumed 21 of 21 pieces without a check");
        assertThat(again.stats().complete()).isTrue();
    }

    @Test
    void aFileChangedSinceTheSaveHasItsPiecesChecked() throws Exception {
        Path file = downloads.resolve("content/file-1.bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(3 * PIECE + 7);
            raf.write(raf.read() ^ 1);
        }
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));

        TorrentHandle again = restart();

        // file-1 starts in piece 10 (after file-0's 10 pieces) and ends in piece 20
        assertThat(again.startNote()).hasValue("resumed 10 of 21 pieces; 1 file changed since, so 11 pieces were "
                + "checked");
        SwarmStats stats = again.stats();
        assertThat(stats.havePieces()).isEqualTo(20);
        again.completion().get(30, TimeUnit.SECONDS);
        assertThat(Files.mismatch(content.resolve("file-1.bin"), file)).isEqualTo(-1L);
    }

    @Test
    void aDeletedFileLosesItsPiecesAndTheRestStay() throws Exception {
        Files.delete(downloads.resolve("content/file-0.bin"));

        TorrentHandle again = restart();

        assertThat(again.stats().havePieces()).as("file-1's 11 pieces").isEqualTo(11);
        again.completion().get(30, TimeUnit.SECONDS);
        assertThat(Files.mismatch(content.resolve("file-0.bin"), downloads.resolve("content/file-0.bin")))
                .isEqualTo(-1L);
    }

    @Test
    void aCorruptResumeFileMeansACheckNotACrash() throws Exception {
        Path resumeFile = resumeDir.resolve(torrent.infoHash().hex() + ".resume");
        byte[] bytes = Files.readAllBytes(resumeFile);
        bytes[bytes.length / 2] = '!';
        Files.write(resumeFile, bytes);

        TorrentHandle again = restart();

        assertThat(again.startNote()).hasValueSatisfying(note -> assertThat(note)
                .startsWith("resume file " + resumeFile + " not used (not bencoded").endsWith("): checked the data"));
        assertThat(again.stats().complete()).isTrue();
    }

    @Test
    void aTruncatedResumeFileMeansACheck() throws Exception {
        Path resumeFile = resumeDir.resolve(torrent.infoHash().hex() + ".resume");
        byte[] bytes = Files.readAllBytes(resumeFile);
        Files.write(resumeFile, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        // a piece lost as well: only a check can tell
        Files.write(downloads.resolve("content/file-0.bin"), new byte[PIECE], java.nio.file.StandardOpenOption.WRITE);

        TorrentHandle again = restart();

        assertThat(again.startNote()).hasValueSatisfying(note -> assertThat(note).contains("not used"));
        assertThat(again.stats().havePieces()).isEqualTo(20);
    }

    @Test
    void resumeDataForAnotherDirectoryIsNotTrusted() throws Exception {
        Path moved = Files.createDirectories(dir.resolve("moved"));
        Files.move(downloads.resolve("content"), moved.resolve("content"));

        TorrentHandle again = swarm.add(session(Optional.of(resumeDir)), torrent, moved);

        String saved = downloads.toRealPath().toString();
        assertThat(again.startNote()).hasValueSatisfying(note -> assertThat(note)
                .startsWith("resume data was saved for " + saved));
        assertThat(again.stats().complete()).isTrue();
    }

    @Test
    void aTruncatedFileIsCaughtByItsSizeEvenWithItsTimeRestored() throws Exception {
        // Truncate the file and give it back exactly the recorded time: only the sizes betray it.
        Path file = downloads.resolve("content/file-0.bin");
        FileTime modified = Files.getLastModifiedTime(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(PIECE);
        }
        Files.setLastModifiedTime(file, modified);

        TorrentHandle again = restart();

        assertThat(again.startNote()).hasValueSatisfying(note -> assertThat(note).contains("1 file changed"));
        assertThat(again.stats().havePieces()).as("file-0's first piece and file-1's 11").isEqualTo(1 + 11);
    }

    @Test
    void aResumeFileThatClaimsPiecesItsOwnFileSizesCannotHoldIsNotTrusted() throws Exception {
        // A forged or buggy file: it claims every piece, and records file-0 shorter than its pieces need.
        Path resumeFile = resumeDir.resolve(torrent.infoHash().hex() + ".resume");
        ResumeData saved = ResumeData.parse(Files.readAllBytes(resumeFile));
        List<FileState> files = new ArrayList<>(saved.files());
        files.set(0, new FileState(100, files.get(0).modifiedNanos()));
        Files.write(resumeFile, new ResumeData(saved.infoHash(), saved.directory(), saved.bitfield(), files).encode());

        TorrentHandle again = restart();

        assertThat(again.startNote()).hasValue("resume data claims piece 0, which its files cannot hold: checked "
                + "the data");
        assertThat(again.stats().havePieces()).isEqualTo(again.stats().pieceCount());
    }

    /**
     * Pieces claimed in a file recorded as absent (its bytes were in the parts file then) are never taken on trust:
     * here the file is gone, so they are missing, and the rest is resumed without a check.
     */
    @Test
    void piecesClaimedInAFileRecordedAbsentAreCheckedNotTrusted() throws Exception {
        Files.delete(downloads.resolve("content/file-0.bin"));
        Path resumeFile = resumeDir.resolve(torrent.infoHash().hex() + ".resume");
        ResumeData saved = ResumeData.parse(Files.readAllBytes(resumeFile));
        List<FileState> files = new ArrayList<>(saved.files());
        files.set(0, FileState.ABSENT);
        Files.write(resumeFile, new ResumeData(saved.infoHash(), saved.directory(), saved.bitfield(), files).encode());

        TorrentHandle again = restart();

        assertThat(again.stats().havePieces()).isEqualTo(11);
        assertThat(again.startNote()).hasValue("resumed 11 of " + again.stats().pieceCount()
                + " pieces without a check");
    }

    @Test
    void anEmptyDirectoryWhereResumeDataSaysTheFilesAreIsRefusedNotDownloadedAgain() throws Exception {
        // An unmounted disk: the mount point is there, empty, on the disk below it.
        Path files = downloads.resolve("content");
        try (var list = Files.list(files)) {
            for (Path file : list.toList()) {
                Files.delete(file);
            }
        }
        Path resumeFile = resumeDir.resolve(torrent.infoHash().hex() + ".resume");

        Session session = session(Optional.of(resumeDir));
        String refusal = "resume data says 21 pieces are in " + downloads.toRealPath() + ", but none of the "
                + "torrent's files is there: is the disk mounted? To download everything again, delete " + resumeFile;
        TorrentHandle handle = session.add(torrent, AddOptions.builder().downloadDirectory(downloads).build());
        assertThatThrownBy(() -> handle.checked().join())
                .hasCauseInstanceOf(IOException.class)
                .cause().hasMessage(refusal);
        assertThat(handle.status().state()).isEqualTo(new TorrentState.Failed(refusal, false));
        assertThat(downloads.resolve("content")).isEmptyDirectory();

        Files.delete(resumeFile);
        handle.resume();
        handle.completion().get(30, TimeUnit.SECONDS);
    }

    @Test
    void closingASessionStopsItsTorrentsAndSavesTheirResumeData() throws Exception {
        Path resumeFile = resumeDir.resolve(torrent.infoHash().hex() + ".resume");
        Files.delete(resumeFile);
        Session session = Session.start(LoopbackSwarm.config().toBuilder().resumeDirectory(resumeDir).build());
        TorrentHandle handle = Adds.checked(session, torrent, downloads);

        session.close();

        assertThat(handle.completion()).isDone();
        assertThat(resumeFile).exists();
        assertThat(restart().startNote()).hasValue("resumed 21 of 21 pieces without a check");
    }

    private TorrentHandle restart() throws Exception {
        return swarm.add(session(Optional.of(resumeDir)), torrent, downloads);
    }

    private Session session(Optional<Path> resume) throws IOException {
        SessionConfig config = LoopbackSwarm.config();
        return swarm.session(resume.map(dir -> config.toBuilder().resumeDirectory(dir).build()).orElse(config));
    }
}
