package dev.jtorrent.swarm;

import dev.jtorrent.storage.FilePriority;
import dev.jtorrent.wire.BlockRef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.jtorrent.storage.FilePriority.HIGH;
import static dev.jtorrent.storage.FilePriority.LOW;
import static dev.jtorrent.storage.FilePriority.NORMAL;
import static dev.jtorrent.storage.FilePriority.SKIP;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The picker with piece priorities and in sequential mode, in pictures as {@link PiecePickerTest}: {@code "2213"}
 * gives each piece's availability, {@code "* **"} which pieces a peer (or we) have, and {@code "HNLS"} each piece's
 * priority (high, normal, low, skip).
 */
class PiecePrioritiesTest {
    private static final int PIECE = 4 * BlockRef.SIZE;

    private static PiecePicker picker(String availability, String have, String priorities, int pieceSize) {
        return picker(availability, have, priorities, pieceSize, 100);
    }

    private static PiecePicker picker(String availability, String have, String priorities, int pieceSize,
                                      int maxInProgress) {
        PiecePicker picker = new PiecePicker(availability.length(), i -> pieceSize, maxInProgress,
                new SplittableRandom(7));
        for (int i = 0; i < availability.length(); i++) {
            for (int n = 0; n < availability.charAt(i) - '0'; n++) {
                picker.peerHas(i);
            }
        }
        picker.setPriorities(priorities(priorities));
        for (int i = 0; i < have.length(); i++) {
            if (have.charAt(i) == '*') {
                picker.pieceVerified(i);
            }
        }
        return picker;
    }

    private static FilePriority[] priorities(String picture) {
        FilePriority[] pieces = new FilePriority[picture.length()];
        for (int i = 0; i < pieces.length; i++) {
            pieces[i] = switch (picture.charAt(i)) {
                case 'H' -> HIGH;
                case 'N' -> NORMAL;
                case 'L' -> LOW;
                case 'S' -> SKIP;
                default -> throw new IllegalArgumentException(picture);
            };
        }
        return pieces;
    }

    private static PieceSet pieces(String picture) {
        PieceSet set = new PieceSet(picture.length());
        for (int i = 0; i < picture.length(); i++) {
            if (picture.charAt(i) == '*') {
                set.add(i);
            }
        }
        return set;
    }

    /** The new pieces a peer is asked for, a whole piece at a time, until the picker has no new one for it. */
    private static List<Integer> pickOrder(PiecePicker picker, PieceSet peer, int blocksPerPiece) {
        List<Integer> order = new ArrayList<>();
        while (!picker.isEndgame()) {
            List<BlockRef> picked = picker.pick("a", peer, blocksPerPiece, b -> false);
            if (picked.isEmpty()) {
                return order;
            }
            order.add(picked.getFirst().piece());
        }
        return order;
    }

    @Test
    void picksHighThenNormalThenLowEachRarestFirstAndNeverSkipped() {
        // Past random first: four pieces are ours. Within a priority, the rarest comes first.
        PiecePicker picker = picker("9999" + "12" + "21" + "34" + "45", "****", "NNNN" + "LL" + "NN" + "HH" + "SS",
                PIECE);
        assertThat(pickOrder(picker, PieceSet.all(12), 4)).containsExactly(8, 9, 7, 6, 4, 5);
    }

    @Test
    void aPeerWithoutHighPiecesIsAskedForWhatItHas() {
        PiecePicker picker = picker("99991111", "****", "NNNNHHLN", PIECE);
        assertThat(pickOrder(picker, pieces("      **"), 4)).containsExactly(7, 6);
    }

    @Test
    void randomFirstPicksFromTheMostWantedPiecesToo() {
        for (int seed = 0; seed < 20; seed++) {
            PiecePicker picker = new PiecePicker(100, i -> PIECE, 100, new SplittableRandom(seed));
            picker.peerHas(PieceSet.all(100));
            FilePriority[] priorities = new FilePriority[100];
            java.util.Arrays.fill(priorities, NORMAL);
            priorities[37] = HIGH;
            priorities[80] = HIGH;
            picker.setPriorities(priorities);
            assertThat(pickOrder(picker, PieceSet.all(100), 4).subList(0, 2)).containsExactlyInAnyOrder(37, 80);
        }
    }

    @Test
    void skippedPiecesAreNotWantedAndTheDownloadIsCompleteWithoutThem() {
        PiecePicker picker = picker("1111", "", "NSSN", PIECE);
        assertThat(picker.isInteresting(pieces(" ** "))).as("a peer with skipped pieces only").isFalse();
        assertThat(picker.isInteresting(pieces("   *"))).isTrue();
        assertThat(picker.wantedBytesLeft()).isEqualTo(2L * PIECE);
        picker.pieceVerified(0);
        picker.pieceVerified(3);
        assertThat(picker.isComplete()).isTrue();
        assertThat(picker.wantedBytesLeft()).isZero();
        assertThat(picker.pick("a", PieceSet.all(4), 100, b -> false)).isEmpty();
    }

    @Test
    void aSkippedPieceWantedAgainIsPickedAndTheDownloadIsIncompleteAgain() {
        PiecePicker picker = picker("1111", "*  *", "NSSN", PIECE);
        assertThat(picker.isComplete()).isTrue();
        picker.setPriorities(priorities("NSLN"));
        assertThat(picker.isComplete()).isFalse();
        assertThat(picker.wantedBytesLeft()).isEqualTo(PIECE);
        assertThat(pickOrder(picker, PieceSet.all(4), 4)).containsExactly(2);
    }

    @Test
    void aPieceInProgressWhenSkippedIsFinishedButNoNewOneStarts() {
        PiecePicker picker = picker("1111", "", "NNNN", PIECE);
        List<BlockRef> started = picker.pick("a", pieces("*   "), 2, b -> false);
        picker.setPriorities(priorities("SNNN"));
        assertThat(picker.pick("a", pieces("*   "), 4, b -> false)).as("the rest of piece 0")
                .allMatch(block -> block.piece() == 0).hasSize(2);
        assertThat(started).hasSize(2);
        assertThat(picker.pick("b", pieces("*   "), 4, b -> false)).isEmpty();
    }

    @Test
    void endgameWaitsOnlyForWantedPieces() {
        PiecePicker picker = picker("11", "", "NS", PIECE);
        List<BlockRef> all = picker.pick("a", PieceSet.all(2), 100, b -> false);
        assertThat(all).allMatch(block -> block.piece() == 0).hasSize(4);
        assertThat(picker.isEndgame()).isTrue();
        assertThat(picker.isEndgameCountedSlowly()).isTrue();
    }

    // ---- sequential -----------------------------------------------------------------------------------------

    /** Pieces of 4 MiB: the window is its least, four pieces (16 MiB). */
    private static final int BIG = 4 * 1024 * 1024;
    private static final int BIG_BLOCKS = BIG / BlockRef.SIZE;

    @Test
    void sequentialPicksTheRarestOfTheFirstPiecesWeLackAndMovesOnAsTheyBecomeOurs() {
        // Four pieces in flight at most, as many as the window holds.
        PiecePicker picker = picker("3321" + "2121" + "1", "", "NNNN" + "NNNN" + "N", BIG, 4);
        picker.setSequential(true);
        // Window 0-3: rarest 3, then 2, then 0 and 1 (equally rare: in order).
        assertThat(pickOrder(picker, PieceSet.all(9), BIG_BLOCKS)).containsExactly(3, 2, 0, 1);
        for (int piece = 0; piece < 4; piece++) {
            picker.pieceVerified(piece);
        }
        // Window 4-7: 5 and 7, then 4 and 6.
        assertThat(pickOrder(picker, PieceSet.all(9), BIG_BLOCKS)).containsExactly(5, 7, 4, 6);
        for (int piece = 4; piece < 8; piece++) {
            picker.pieceVerified(piece);
        }
        assertThat(pickOrder(picker, PieceSet.all(9), BIG_BLOCKS)).containsExactly(8);
    }

    @Test
    void theWindowStaysAtThePiecesInProgressUntilTheyAreOurs() {
        PiecePicker picker = picker("1111" + "1111", "", "NNNNNNNN", BIG);
        picker.setSequential(true);
        for (int piece = 0; piece < 4; piece++) {
            picker.pick("a" + piece, PieceSet.all(8), BIG_BLOCKS, b -> false);
        }
        // 0-3 are in flight, not ours: the window is still 0-3, so what comes next is past it, in order.
        assertThat(pickOrder(picker, PieceSet.all(8), BIG_BLOCKS)).containsExactly(4, 5, 6, 7);
        picker.pieceVerified(0);
        assertThat(picker.isSequential()).isTrue();
    }

    @Test
    void aPeerWithNothingInTheWindowIsAskedForItsFirstPieceAfterIt() {
        PiecePicker picker = picker("1111" + "1111", "", "NNNNNNNN", BIG);
        picker.setSequential(true);
        assertThat(pickOrder(picker, pieces("     * *"), BIG_BLOCKS)).containsExactly(5, 7);
    }

    @Test
    void sequentialStillTakesHighPiecesFirst() {
        PiecePicker picker = picker("11111111", "", "NNNNNNHH", BIG);
        picker.setSequential(true);
        assertThat(pickOrder(picker, PieceSet.all(8), BIG_BLOCKS)).containsExactly(6, 7, 0, 1, 2, 3, 4, 5);
    }

    @Test
    void turnedOffSequentialPicksRarestFirstAgain() {
        PiecePicker picker = picker("9999" + "3421", "****", "NNNN" + "NNNN", BIG);
        picker.setSequential(true);
        picker.setSequential(false);
        assertThat(pickOrder(picker, PieceSet.all(8), BIG_BLOCKS)).containsExactly(7, 6, 4, 5);
    }
}
