package dev.jtorrent.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PartsFile}: slots taken and freed, and what it makes of a file it did not write whole. */
class PartsFileTest {
    private static final int PIECES = 300;
    private static final int PIECE_LENGTH = 32;

    @TempDir
    Path dir;

    private Path path() {
        return dir.resolve(".x.parts");
    }

    private PartsFile open() throws IOException {
        return PartsFile.open(path(), ChannelOpener.DEFAULT, PIECES, PIECE_LENGTH);
    }

    @Test
    void theHeaderIsTwoWordsAndAWordAPieceRoundedUpToAKibibyte() {
        assertThat(PartsFile.headerSize(1)).isEqualTo(1024);
        assertThat(PartsFile.headerSize(254)).isEqualTo(1024);
        assertThat(PartsFile.headerSize(255)).isEqualTo(2048);
        assertThat(PartsFile.headerSize(300)).isEqualTo(2048);
    }

    @Test
    void slotsAreTakenLowestFirstAndFreedSlotsAreReused() throws IOException {
        PartsFile parts = open();
        parts.write(7, 0, bytes(1, 4));
        parts.write(200, 4, bytes(2, 4));
        parts.force();
        assertThat(parts.pieces().stream().boxed()).containsExactly(7, 200);
        parts.free(7);
        parts.write(9, 0, bytes(3, 4));
        parts.close();
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(path()));
        assertThat(file.getInt(8 + 4 * 7)).isEqualTo(-1);
        assertThat(file.getInt(8 + 4 * 9)).as("the freed slot 0").isZero();
        assertThat(file.getInt(8 + 4 * 200)).isEqualTo(1);
    }

    @Test
    void aReadOfAPieceWithoutASlotLeavesTheBufferAlone() throws IOException {
        PartsFile parts = open();
        ByteBuffer dst = ByteBuffer.allocate(4);
        assertThat(parts.read(3, 0, dst)).isFalse();
        assertThat(dst.position()).isZero();
        assertThat(path()).doesNotExist();
    }

    @Test
    void whatWasWrittenIsReadBackAfterAReopen() throws IOException {
        PartsFile parts = open();
        parts.write(42, 10, bytes(9, 12));
        parts.force();
        parts.close();
        PartsFile again = open();
        ByteBuffer dst = ByteBuffer.allocate(12);
        assertThat(again.read(42, 10, dst)).isTrue();
        assertThat(dst.flip()).isEqualTo(bytes(9, 12));
        again.close();
    }

    @Test
    void theFileGoesWithItsLastSlot() throws IOException {
        PartsFile parts = open();
        parts.write(1, 0, bytes(1, 4));
        parts.write(2, 0, bytes(1, 4));
        parts.free(1);
        assertThat(path()).exists();
        parts.free(2);
        assertThat(path()).doesNotExist();
        parts.write(5, 0, bytes(1, 4));
        parts.close();
        assertThat(open().pieces().stream().boxed()).containsExactly(5);
    }

    @Test
    void aFileOfAnotherLayoutHoldsNothingAndIsOverwritten() throws IOException {
        ByteBuffer header = ByteBuffer.allocate((int) PartsFile.headerSize(PIECES));
        header.putInt(PIECES).putInt(PIECE_LENGTH * 2).putInt(0);
        Files.write(path(), header.array());
        PartsFile parts = open();
        assertThat(parts.pieces().isEmpty()).isTrue();
        parts.write(3, 0, bytes(7, 4));
        parts.close();
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(path()));
        assertThat(file.getInt(4)).isEqualTo(PIECE_LENGTH);
        assertThat(file.getInt(8)).as("piece 0").isEqualTo(-1);
        assertThat(open().pieces().stream().boxed()).containsExactly(3);
    }

    @Test
    void aHeaderCutShortHoldsNothing() throws IOException {
        Files.write(path(), new byte[100]);
        assertThat(open().pieces().isEmpty()).isTrue();
    }

    /** Two pieces naming one slot cannot both be right; neither is trusted (their pieces are fetched again). */
    @Test
    void entriesThatNameOneSlotTwiceOrNoSlotAreDropped() throws IOException {
        ByteBuffer header = ByteBuffer.allocate((int) PartsFile.headerSize(PIECES));
        header.putInt(PIECES).putInt(PIECE_LENGTH);
        for (int piece = 0; piece < PIECES; piece++) {
            header.putInt(switch (piece) {
                case 4, 6 -> 2;
                case 8 -> PIECES;
                case 10 -> 5;
                default -> -1;
            });
        }
        Files.write(path(), header.array());
        assertThat(open().pieces().stream().boxed()).containsExactly(10);
    }

    private static ByteBuffer bytes(int value, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        for (int i = 0; i < length; i++) {
            buffer.put((byte) (value + i));
        }
        return buffer.flip();
    }
}
