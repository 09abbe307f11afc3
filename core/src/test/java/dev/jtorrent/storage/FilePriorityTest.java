package dev.jtorrent.storage;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.jtorrent.storage.FilePriority.HIGH;
import static dev.jtorrent.storage.FilePriority.LOW;
import static dev.jtorrent.storage.FilePriority.NORMAL;
import static dev.jtorrent.storage.FilePriority.SKIP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilePriorityTest {
    @Test
    void aPieceTakesTheHighestPriorityOfTheFilesItCarries() {
        // pieces of 16: a 0-40, b 40-70, c 70-110
        PieceMap map = SampleTorrent.of(16, "a.bin=40", "b.bin=30", "c.bin=40").map();
        assertThat(FilePriority.ofPieces(map, List.of(LOW, SKIP, HIGH)))
                .containsExactly(LOW, LOW, LOW, SKIP, HIGH, HIGH, HIGH);
        assertThat(FilePriority.ofPieces(map, List.of(SKIP, NORMAL, SKIP)))
                .containsExactly(SKIP, SKIP, NORMAL, NORMAL, NORMAL, SKIP, SKIP);
    }

    @Test
    void padFilesAndEmptyFilesWantNothing() {
        // a 0-8, pad 8-16, b 16-32, empty, c 32-40
        PieceMap map = SampleTorrent.of(16, "a.bin=8", "pad=8", "b.bin=16", "empty=0", "c.bin=8").map();
        assertThat(FilePriority.ofPieces(map, List.of(SKIP, HIGH, SKIP, HIGH, LOW)))
                .containsExactly(SKIP, SKIP, LOW);
    }

    @Test
    void thereIsAPriorityForEveryFile() {
        PieceMap map = SampleTorrent.of(16, "a.bin=8", "pad=8", "b.bin=16").map();
        assertThatThrownBy(() -> FilePriority.ofPieces(map, List.of(NORMAL, NORMAL)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("2 file priorities for a torrent of 3 files (pad files included)");
    }

    @Test
    void theWantedAreListedMostWantedFirst() {
        assertThat(FilePriority.WANTED_FIRST_TO_LAST).containsExactly(HIGH, NORMAL, LOW);
        assertThat(FilePriority.allNormal(2)).containsExactly(NORMAL, NORMAL);
        assertThat(SKIP.wanted()).isFalse();
    }
}
