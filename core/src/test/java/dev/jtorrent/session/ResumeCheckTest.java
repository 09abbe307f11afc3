package dev.jtorrent.session;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.storage.FileState;
import dev.jtorrent.storage.PieceMap;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ResumeCheckTest {
    /** Pieces of 10 bytes over a (25 bytes), a pad (5), b (20) and c (30): pieces 0-2 a, 3-4 b, 5-7 c. */
    private static final PieceMap MAP = new PieceMap(List.of(
            FileEntry.of(List.of("a"), 25, 0),
            new FileEntry(List.of(".pad", "5"), 5, 25, true, false, false, Optional.empty()),
            FileEntry.of(List.of("b"), 20, 30),
            FileEntry.of(List.of("c"), 30, 50)), 10, 8);

    @Test
    void onlyPiecesWhoseFilesAllExistAndAreLongEnoughAreWorthReading() {
        List<FileState> now = List.of(new FileState(25, 1), FileState.ABSENT, FileState.ABSENT,
                new FileState(12, 1));

        // a whole (0, 1, 2: piece 2 ends in the pad), b absent (3, 4), c only 12 bytes long (5 but not 6, 7)
        assertThat(ResumeCheck.readable(MAP, now).stream().boxed()).containsExactly(0, 1, 2, 5);
    }

    @Test
    void aFreshDownloadHasNothingToRead() {
        List<FileState> now = List.of(FileState.ABSENT, FileState.ABSENT, FileState.ABSENT, FileState.ABSENT);

        assertThat(ResumeCheck.readable(MAP, now).isEmpty()).isTrue();
    }
}
