package dev.jtorrent.swarm;

import dev.jtorrent.storage.FilePriority;
import dev.jtorrent.wire.BlockRef;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Policy tests in pictures, as libtorrent's picker tests do: {@code "2213"} gives each piece's availability,
 * {@code "* **"} which pieces a peer (or we) have.
 */
class PiecePickerTest {
    private static final int PIECE = 4 * BlockRef.SIZE;

    private static PiecePicker picker(String availability, String have) {
        PiecePicker picker = new PiecePicker(availability.length(), i -> PIECE, 100, new SplittableRandom(7));
        for (int i = 0; i < availability.length(); i++) {
            for (int n = 0; n < availability.charAt(i) - '0'; n++) {
                picker.peerHas(i);
            }
        }
        for (int i = 0; i < have.length(); i++) {
            if (have.charAt(i) == '*') {
                picker.pieceVerified(i);
            }
        }
        return picker;
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

    private static List<Integer> piecesOf(List<BlockRef> blocks) {
        return blocks.stream().map(BlockRef::piece).distinct().toList();
    }

    @Test
    void picksRarestPieceFirstOnceRandomFirstIsOver() {
        PiecePicker picker = picker("3312323", "****   ");
        List<BlockRef> picked = picker.pick("a", pieces("*******"), 4, b -> false);
        assertThat(piecesOf(picked)).containsExactly(5);
    }

    @Test
    void picksOnlyPiecesThePeerHas() {
        PiecePicker picker = picker("3312333", "****   ");
        assertThat(piecesOf(picker.pick("a", pieces("      *"), 100, b -> false))).containsExactly(6);
    }

    @Test
    void requestsEveryBlockOfAPieceInOrder() {
        PiecePicker picker = picker("11", "");
        List<BlockRef> picked = picker.pick("a", pieces("* "), 10, b -> false);
        assertThat(picked).containsExactly(new BlockRef(0, 0, BlockRef.SIZE),
                new BlockRef(0, BlockRef.SIZE, BlockRef.SIZE), new BlockRef(0, 2 * BlockRef.SIZE, BlockRef.SIZE),
                new BlockRef(0, 3 * BlockRef.SIZE, BlockRef.SIZE));
    }

    @Test
    void givesTheLastBlockOfAShortPieceItsRealLength() {
        PiecePicker picker = new PiecePicker(2, i -> i == 0 ? PIECE : 20_000, 10, new SplittableRandom(1));
        picker.peerHas(1);
        List<BlockRef> picked = picker.pick("a", pieces(" *"), 10, b -> false);
        assertThat(picked).containsExactly(new BlockRef(1, 0, BlockRef.SIZE),
                new BlockRef(1, BlockRef.SIZE, 20_000 - BlockRef.SIZE));
    }

    @Test
    void neverRequestsABlockTwiceBeforeEndgame() {
        PiecePicker picker = picker("2222", "");
        Set<BlockRef> all = new HashSet<>();
        List<BlockRef> first = picker.pick("a", pieces("****"), 6, b -> false);
        List<BlockRef> second = picker.pick("b", pieces("****"), 6, b -> false);
        all.addAll(first);
        all.addAll(second);
        assertThat(all).hasSize(first.size() + second.size());
        assertThat(picker.isEndgame()).isFalse();
    }

    @Test
    void continuesThePieceAPeerStartedBeforeStartingAnother() {
        PiecePicker picker = picker("2222", "");
        List<BlockRef> first = picker.pick("a", pieces("****"), 2, b -> false);
        List<BlockRef> more = picker.pick("a", pieces("****"), 2, b -> false);
        assertThat(piecesOf(more)).isEqualTo(piecesOf(first));
    }

    @Test
    void sharesAPieceInProgressBeforeStartingNewOnesWhenAtTheLimit() {
        PiecePicker picker = new PiecePicker(4, i -> PIECE, 1, new SplittableRandom(3));
        picker.peerHas(pieces("****"));
        List<BlockRef> a = picker.pick("a", pieces("****"), 2, b -> false);
        List<BlockRef> b = picker.pick("b", pieces("****"), 10, x -> false);
        assertThat(piecesOf(b)).isEqualTo(piecesOf(a));
        assertThat(b).hasSize(2).doesNotContainAnyElementsOf(a);
    }

    @Test
    void entersEndgameAndDuplicatesOnlyBlocksStillInFlight() {
        PiecePicker picker = picker("11", "* ");
        List<BlockRef> a = picker.pick("a", pieces("**"), 10, b -> false);
        assertThat(a).hasSize(4);
        assertThat(picker.blockReceived(a.get(0))).isFalse();
        assertThat(picker.isEndgame()).isTrue();

        List<BlockRef> b = picker.pick("b", pieces("**"), 10, a::contains);
        assertThat(b).isEmpty(); // "a" asked for everything; nothing else to offer "a" itself

        List<BlockRef> c = picker.pick("c", pieces("**"), 10, x -> false);
        assertThat(c).containsExactlyElementsOf(a.subList(1, 4));
    }

    @Test
    void reportsThePieceCompleteWhenItsLastBlockArrives() {
        PiecePicker picker = picker("1", "");
        List<BlockRef> blocks = picker.pick("a", pieces("*"), 10, b -> false);
        for (int i = 0; i < blocks.size() - 1; i++) {
            assertThat(picker.blockReceived(blocks.get(i))).isFalse();
        }
        assertThat(picker.blockReceived(blocks.get(blocks.size() - 1))).isTrue();
        assertThat(picker.blockReceived(blocks.get(0))).as("a duplicate").isFalse();
    }

    @Test
    void reopensBlocksWhoseRequestsWereDropped() {
        PiecePicker picker = picker("1", "");
        List<BlockRef> blocks = picker.pick("a", pieces("*"), 2, b -> false);
        picker.requestDropped(blocks.get(1));
        assertThat(picker.pick("b", pieces("*"), 1, b -> false)).containsExactly(blocks.get(1));
    }

    @Test
    void fetchesAFailedPieceAgain() {
        PiecePicker picker = picker("1", "");
        List<BlockRef> blocks = picker.pick("a", pieces("*"), 10, b -> false);
        blocks.forEach(picker::blockReceived);
        picker.pieceFailed(0);
        assertThat(picker.pick("b", pieces("*"), 10, b -> false)).containsExactlyElementsOf(blocks);
    }

    @Test
    void neverPicksAPieceWeHave() {
        PiecePicker picker = picker("111", "* *");
        assertThat(piecesOf(picker.pick("a", pieces("***"), 100, b -> false))).containsExactly(1);
        assertThat(picker.isInteresting(pieces("* *"))).isFalse();
        assertThat(picker.isInteresting(pieces(" * "))).isTrue();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void knowsWhenEndgameStartsWhateverHappensToRequests(long seed) {
        Random random = new Random(seed);
        int count = 6;
        PiecePicker picker = new PiecePicker(count, i -> PIECE, 3, new SplittableRandom(seed));
        picker.peerHas(PieceSet.all(count));
        List<BlockRef> outstanding = new ArrayList<>();
        for (int step = 0; step < 3000 && !picker.isComplete(); step++) {
            switch (random.nextInt(4)) {
                case 0 -> outstanding.addAll(picker.pick("p" + random.nextInt(3), PieceSet.all(count),
                        1 + random.nextInt(5), b -> false));
                case 1 -> {
                    if (!outstanding.isEmpty()) {
                        BlockRef block = outstanding.remove(random.nextInt(outstanding.size()));
                        if (picker.blockReceived(block)) {
                            if (random.nextInt(5) == 0) {
                                picker.pieceFailed(block.piece());
                                outstanding.removeIf(b -> b.piece() == block.piece());
                            } else {
                                picker.pieceVerified(block.piece());
                            }
                        }
                    }
                }
                case 2 -> {
                    if (!outstanding.isEmpty()) {
                        picker.requestDropped(outstanding.remove(random.nextInt(outstanding.size())));
                    }
                }
                default -> {
                    if (random.nextInt(20) == 0) {
                        // The user skips some pieces, or wants them again; never all of them, so it can finish.
                        FilePriority[] priorities = new FilePriority[count];
                        for (int piece = 0; piece < count; piece++) {
                            priorities[piece] = piece == 0 || random.nextInt(3) > 0 ? FilePriority.NORMAL
                                    : FilePriority.SKIP;
                        }
                        picker.setPriorities(priorities);
                    }
                }
            }
            assertThat(picker.isEndgame()).as("step %d", step).isEqualTo(picker.isEndgameCountedSlowly());
        }
    }

    /**
     * Leechers that all see one seed, past random first, ask it for different pieces: had they ranked its pieces
     * alike, it would send the same data to each of them while the rest waited. (Counting a seed's bitfield used
     * to leave every picker ranking its pieces last index first.)
     */
    @Test
    void pickersThatSeeTheSameSeedAskItForDifferentPieces() {
        int count = 500;
        PieceSet seed = PieceSet.all(count);
        Set<Integer> asked = new HashSet<>();
        int leechers = 5;
        int each = 20;
        for (int leecher = 0; leecher < leechers; leecher++) {
            PiecePicker picker = new PiecePicker(count, i -> PIECE, 1000, new SplittableRandom(100 + leecher));
            picker.peerHas(seed);
            for (int piece = 0; piece < PiecePicker.RANDOM_FIRST_PIECES; piece++) {
                picker.pieceVerified(piece);
            }
            List<Integer> picked = piecesOf(picker.pick("seed", seed, each * PIECE / BlockRef.SIZE, b -> false));
            assertThat(picked).hasSize(each);
            asked.addAll(picked);
        }
        // 100 picks of 496 pieces at random repeat about 9 times; picks in one order would repeat 80 times.
        assertThat(asked).as("distinct pieces asked of the seed by %d leechers, %d each", leechers, each)
                .hasSizeGreaterThan(75);
    }

    /** Whatever order availability changes in, the pieces of equal availability stay in a random order. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"counted up in index order", "counted up then down", "counted down in index order"})
    void equallyRarePiecesStayInRandomOrder(String changes) {
        int count = 100;
        int trials = 300;
        Set<Integer> firstRanked = new HashSet<>();
        for (int trial = 0; trial < trials; trial++) {
            AvailabilityOrder order = new AvailabilityOrder(count, new SplittableRandom(trial));
            for (int piece = 0; piece < count; piece++) {
                order.increment(piece);
            }
            if (!changes.equals("counted up in index order")) {
                for (int piece = 0; piece < count; piece++) {
                    order.increment(piece);
                }
                for (int piece = 0; piece < count; piece++) {
                    order.decrement(piece);
                }
            }
            if (changes.equals("counted down in index order")) {
                for (int piece = count - 1; piece >= 0; piece--) {
                    order.decrement(piece);
                }
            }
            firstRanked.add(order.pieceAt(0));
        }
        // 300 uniform draws of 100 pieces give about 95 distinct; a fixed order gives 1.
        assertThat(firstRanked).as("distinct pieces ranked first in %d orders", trials).hasSizeGreaterThan(80);
    }

    /** The first pieces, picked at random, come from anywhere in the torrent, not only from its start. */
    @Test
    void randomFirstPiecesComeFromTheWholeTorrent() {
        int count = 1000;
        PieceSet seed = PieceSet.all(count);
        Set<Integer> halves = new HashSet<>();
        Set<Integer> picked = new HashSet<>();
        for (int leecher = 0; leecher < 50; leecher++) {
            PiecePicker picker = new PiecePicker(count, i -> PIECE, 1000, new SplittableRandom(leecher));
            picker.peerHas(seed);
            int piece = piecesOf(picker.pick("seed", seed, 1, b -> false)).getFirst();
            picked.add(piece);
            halves.add(piece * 2 / count);
        }
        assertThat(halves).as("halves of the torrent the first pieces of 50 leechers fell in: %s", picked)
                .containsExactlyInAnyOrder(0, 1);
        assertThat(picked).hasSizeGreaterThan(40);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void keepsRarestFirstOrderUnderRandomAvailabilityChanges(long seed) {
        Random random = new Random(seed);
        int count = 50;
        AvailabilityOrder order = new AvailabilityOrder(count, new SplittableRandom(seed));
        int[] expected = new int[count];
        Set<Integer> removed = new HashSet<>();
        for (int step = 0; step < 2000; step++) {
            int piece = random.nextInt(count);
            int action = random.nextInt(10);
            if (action < 5) {
                order.increment(piece);
                expected[piece]++;
            } else if (action < 9 && expected[piece] > 0) {
                order.decrement(piece);
                expected[piece]--;
            } else if (action == 9 && random.nextInt(10) == 0) {
                order.remove(piece);
                removed.add(piece);
            } else if (action == 9 && removed.contains(piece)) {
                order.add(piece);
                removed.remove(piece);
            }
            List<Integer> listed = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                listed.add(order.pieceAt(i));
                if (i > 0) {
                    assertThat(expected[order.pieceAt(i)]).isGreaterThanOrEqualTo(expected[order.pieceAt(i - 1)]);
                }
            }
            assertThat(listed).doesNotHaveDuplicates().hasSize(count - removed.size());
            assertThat(listed).noneMatch(removed::contains);
        }
        for (int i = 0; i < count; i++) {
            assertThat(order.availability(i)).isEqualTo(expected[i]);
        }
    }
}
