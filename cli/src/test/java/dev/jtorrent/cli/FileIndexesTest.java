package dev.jtorrent.cli;

import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --select-file}'s list, as aria2 writes it: indexes and ranges from 1, separated by commas. */
class FileIndexesTest {
    @Test
    void readsIndexesAndRanges() {
        BitSet indexes = FileIndexes.parse("--select-file", "1,3-5, 9 ,4");
        assertThat(indexes.stream().boxed()).containsExactly(1, 3, 4, 5, 9);
        assertThat(FileIndexes.parse("--select-file", "7-7").stream().boxed()).containsExactly(7);
    }

    @Test
    void refusesIndexZeroBackwardRangesAndGarbageNamingTheItem() {
        assertThatThrownBy(() -> FileIndexes.parse("--select-file", "0,2")).isInstanceOf(UsageException.class)
                .hasMessage("--select-file: file indexes start at 1, as jtorrent info prints them, not 0");
        assertThatThrownBy(() -> FileIndexes.parse("--select-file", "1,3-1")).isInstanceOf(UsageException.class)
                .hasMessage("--select-file: the range 3-1 runs backwards");
        for (String garbage : new String[] {"x", "1,,2", "", "1-", "-3", "1-2-3", "2.5", "1;2", "9999999999"}) {
            assertThatThrownBy(() -> FileIndexes.parse("--select-file", garbage)).as(garbage)
                    .isInstanceOf(UsageException.class)
                    .hasMessageStartingWith("--select-file: not a file index or range: '")
                    .hasMessageEndingWith("' (example: 1,3-5)");
        }
    }

    @Test
    void refusesAnIndexPastTheLastFile() {
        BitSet indexes = FileIndexes.parse("--select-file", "2,4-6");
        FileIndexes.checkRange("--select-file", indexes, 6);
        assertThatThrownBy(() -> FileIndexes.checkRange("--select-file", indexes, 5))
                .isInstanceOf(UsageException.class)
                .hasMessage("--select-file: there is no file 6: the torrent has 5 files (jtorrent info lists them)");
    }
}
