package dev.jtorrent.session;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.storage.FileState;
import dev.jtorrent.storage.ParkedSpans;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.swarm.PieceSet;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ResumeCheckTest {
    private static final InfoHash HASH = InfoHash.of(new byte[20]);
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
        assertThat(ResumeCheck.readable(MAP, now, ParkedSpans.none()).stream().boxed()).containsExactly(0, 1, 2, 5);
    }

    @Test
    void aFreshDownloadHasNothingToRead() {
        List<FileState> now = List.of(FileState.ABSENT, FileState.ABSENT, FileState.ABSENT, FileState.ABSENT);

        assertThat(ResumeCheck.readable(MAP, now, ParkedSpans.none()).isEmpty()).isTrue();
    }

    /** b is skipped and absent: the parts file holds piece 3's bytes of it, so piece 3 is worth reading; 4 is not. */
    @Test
    void piecesWhoseBytesThePartsFileHoldsAreWorthReading() {
        List<FileState> now = List.of(new FileState(25, 1), FileState.ABSENT, FileState.ABSENT,
                new FileState(30, 1));
        BitSet b = new BitSet();
        b.set(2);
        BitSet held = new BitSet();
        held.set(3);

        assertThat(ResumeCheck.readable(MAP, now, ParkedSpans.of(b, held)).stream().boxed())
                .containsExactly(0, 1, 2, 3, 5, 6, 7);
    }

    /**
     * A file absent when the resume data was saved holds none of the pieces it claims there: their bytes were in the
     * parts file, which file states cannot vouch for. Those pieces are checked; the others are trusted as before.
     */
    @Test
    void aClaimedPieceInAFileThatWasAbsentIsCheckedNotTrusted() throws Exception {
        List<FileState> files = List.of(new FileState(25, 1), FileState.ABSENT, FileState.ABSENT,
                new FileState(30, 1));
        PieceSet all = PieceSet.all(MAP.pieceCount());
        ResumeData data = ResumeData.of(HASH, "/d", all, files);

        ResumeCheck.Outcome outcome = ResumeCheck.of(data, HASH, "/d", MAP, files, Path.of("x.resume"));

        assertThat(outcome.trusted().count()).isEqualTo(6);
        assertThat(outcome.trusted().has(3) || outcome.trusted().has(4)).isFalse();
        assertThat(outcome.toCheck().stream().boxed()).containsExactly(3, 4);
    }
}
