package dev.jtorrent.session;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.storage.FileSpan;
import dev.jtorrent.storage.FileState;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.swarm.PieceSet;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes in a resume file are either refused with an {@link ResumeData.InvalidResumeDataException} or parsed;
 * whatever parses re-encodes to data that parses the same; and {@link ResumeCheck} never throws on it and never
 * trusts a piece that the data does not claim, that touches a file changed since, or that the recorded file sizes
 * cannot hold. Under plain {@code mvn test} this runs the seed corpus in {@code ResumeFuzzTestInputs}.
 */
class ResumeFuzzTest {
    private static final InfoHash HASH = InfoHash.of(new byte[20]);
    private static final String DIRECTORY = "/d";
    /** Three files over 5 pieces of 16 bytes: a piece spans two files, the last piece is short. */
    private static final PieceMap MAP = new PieceMap(List.of(
            FileEntry.of(List.of("a"), 24, 0), FileEntry.of(List.of("b"), 40, 24), FileEntry.of(List.of("c"), 6, 64)),
            16, 5);
    /** The files now: a and c as recorded by the seed corpus, b changed. */
    private static final List<FileState> NOW = List.of(new FileState(24, 7), new FileState(40, 9),
            new FileState(6, 7));

    @FuzzTest(maxDuration = "30s")
    void parsesOrRefusesAndNeverTrustsTooMuch(byte[] input) throws Exception {
        ResumeData data;
        try {
            data = ResumeData.parse(input);
        } catch (ResumeData.InvalidResumeDataException refused) {
            return;
        }
        ResumeData again = ResumeData.parse(data.encode());
        assertThat(again.infoHash()).isEqualTo(data.infoHash());
        assertThat(again.directory()).isEqualTo(data.directory());
        assertThat(again.bitfield()).isEqualTo(data.bitfield());
        assertThat(again.files()).isEqualTo(data.files());

        // Every file exists in NOW, so this never refuses; an exception fails the test.
        ResumeCheck.Outcome outcome = ResumeCheck.of(data, HASH, DIRECTORY, MAP, NOW, Path.of("x.resume"));
        PieceSet trusted = outcome.trusted();
        if (trusted.isEmpty()) {
            return;
        }
        PieceSet claimed = PieceSet.fromBitfield(data.bitfield(), MAP.pieceCount());
        for (int piece = trusted.next(0); piece >= 0; piece = trusted.next(piece + 1)) {
            assertThat(claimed.has(piece)).as("piece %d trusted but not claimed", piece).isTrue();
            assertThat(outcome.toCheck().get(piece)).as("piece %d both trusted and checked", piece).isFalse();
            for (FileSpan span : MAP.spans(piece)) {
                FileState recorded = data.files().get(span.fileIndex());
                assertThat(recorded).as("piece %d in a changed file", piece).isEqualTo(NOW.get(span.fileIndex()));
                assertThat(recorded.size()).as("piece %d beyond its file", piece)
                        .isGreaterThanOrEqualTo(span.fileOffset() + span.length());
            }
        }
    }
}
