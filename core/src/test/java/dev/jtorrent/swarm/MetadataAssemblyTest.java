package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.swarm.MetadataAssembly.Ask;
import dev.jtorrent.wire.MetadataMessage;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.jtorrent.swarm.MetadataAssembly.MAX_METADATA_SIZE;
import static dev.jtorrent.swarm.MetadataAssembly.REJECT_BACKOFF_NANOS;
import static dev.jtorrent.swarm.MetadataAssembly.REQUEST_TIMEOUT_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

class MetadataAssemblyTest {
    private static final int SIZE = 5 * MetadataMessage.PIECE_SIZE + 1234; // six pieces, the last short
    private static final byte[] INFO = bytes(SIZE, 1);

    @Test
    void manyPeersEachAskedOnePieceAtATimeAssembleTheExactBytes() {
        MetadataAssembly assembly = new MetadataAssembly(hashOf(INFO));
        List<InetSocketAddress> peers = peers(8);
        peers.forEach(p -> assertThat(assembly.join(p, SIZE)).isInstanceOf(MetadataOutcome.Accepted.class));

        List<Ask> asks = assembly.requests(0);

        assertThat(asks).extracting(a -> a.request().piece()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(new HashSet<>(asks.stream().map(Ask::peer).toList())).hasSize(6);
        assertThat(assembly.requests(1)).isEmpty();
        MetadataOutcome last = null;
        for (Ask ask : asks) {
            last = assembly.data(ask.peer(), piece(INFO, ask.request().piece()));
        }
        assertThat(last).isInstanceOfSatisfying(MetadataOutcome.Complete.class, c -> assertThat(c.info()).isEqualTo(INFO));
        assertThat(assembly.complete()).isTrue();
        assertThat(assembly.heldBytes()).isZero();
        assertThat(assembly.requests(2)).isEmpty();
    }

    @Test
    void aPieceUnansweredPastTheTimeoutIsAskedOfAnotherPeerAndTheLateAnswerIgnored() {
        byte[] info = bytes(100, 2);
        MetadataAssembly assembly = new MetadataAssembly(hashOf(info));
        InetSocketAddress slow = peer(1);
        InetSocketAddress other = peer(2);
        assembly.join(slow, 100);
        assembly.join(other, 100);

        assertThat(assembly.requests(0)).containsExactly(ask(slow, 0));
        assertThat(assembly.requests(REQUEST_TIMEOUT_NANOS - 1)).isEmpty();
        assertThat(assembly.requests(REQUEST_TIMEOUT_NANOS)).containsExactly(ask(other, 0));

        assertThat(assembly.data(slow, piece(info, 0))).isInstanceOf(MetadataOutcome.Ignored.class);
        assertThat(assembly.data(other, piece(info, 0))).isInstanceOf(MetadataOutcome.Complete.class);
    }

    @Test
    void aPeerThatTimedOutIsAskedAgainWhenItIsTheOnlyOne() {
        byte[] info = bytes(100, 3);
        MetadataAssembly assembly = new MetadataAssembly(hashOf(info));
        InetSocketAddress only = peer(1);
        assembly.join(only, 100);

        assertThat(assembly.requests(0)).containsExactly(ask(only, 0));
        assertThat(assembly.requests(REQUEST_TIMEOUT_NANOS)).containsExactly(ask(only, 0));
        assertThat(assembly.data(only, piece(info, 0))).isInstanceOf(MetadataOutcome.Complete.class);
    }

    @Test
    void aPeerThatRejectedAPieceIsNotAskedItAgainForAWhile() {
        byte[] info = bytes(100, 4);
        MetadataAssembly assembly = new MetadataAssembly(hashOf(info));
        InetSocketAddress refuser = peer(1);
        assembly.join(refuser, 100);
        assertThat(assembly.requests(0)).containsExactly(ask(refuser, 0));

        assertThat(assembly.reject(refuser, new MetadataMessage.Reject(0), 0)).isInstanceOf(MetadataOutcome.Accepted.class);

        assertThat(assembly.requests(REJECT_BACKOFF_NANOS - 1)).isEmpty();
        assertThat(assembly.requests(REJECT_BACKOFF_NANOS)).containsExactly(ask(refuser, 0));
    }

    @Test
    void aRejectedPieceIsAskedOfAnotherPeerAtOnce() {
        byte[] info = bytes(100, 5);
        MetadataAssembly assembly = new MetadataAssembly(hashOf(info));
        assembly.join(peer(1), 100);
        assembly.join(peer(2), 100);
        assertThat(assembly.requests(0)).containsExactly(ask(peer(1), 0));

        assembly.reject(peer(1), new MetadataMessage.Reject(0), 5);

        assertThat(assembly.requests(6)).containsExactly(ask(peer(2), 0));
    }

    @Test
    void rejectsAndDataForPiecesNotAskedOrOutOfRangeAreIgnored() {
        MetadataAssembly assembly = new MetadataAssembly(hashOf(INFO));
        InetSocketAddress p = peer(1);
        assembly.join(p, SIZE);
        assertThat(assembly.requests(0)).containsExactly(ask(p, 0), ask(p, 1));

        assertThat(assembly.reject(p, new MetadataMessage.Reject(6), 0)).isInstanceOf(MetadataOutcome.Ignored.class);
        assertThat(assembly.reject(p, new MetadataMessage.Reject(1_000_000), 0)).isInstanceOf(MetadataOutcome.Ignored.class);
        assertThat(assembly.data(p, piece(INFO, 4))).isInstanceOf(MetadataOutcome.Ignored.class);
        assertThat(assembly.data(peer(9), piece(INFO, 0))).isInstanceOf(MetadataOutcome.Ignored.class);
        assertThat(assembly.heldBytes()).isZero();
        assertThat(assembly.isSource(p)).isTrue();
    }

    @Test
    void dataWhoseTotalSizeContradictsTheHandshakeDropsThePeerAndItsPieceGoesToAnother() {
        byte[] info = bytes(100, 6);
        MetadataAssembly assembly = new MetadataAssembly(hashOf(info));
        InetSocketAddress liar = peer(1);
        assembly.join(liar, 100);
        assembly.join(peer(2), 100);
        assertThat(assembly.requests(0)).containsExactly(ask(liar, 0));
        byte[] bigger = bytes(100 * MetadataMessage.PIECE_SIZE, 6);

        // piece 40 exists in the size it now claims, not in the one it said
        assertThat(assembly.data(liar, piece(bigger, 40))).isInstanceOf(MetadataOutcome.Refused.class);

        assertThat(assembly.isSource(liar)).isFalse();
        assertThat(assembly.heldBytes()).isZero();
        assertThat(assembly.join(liar, 100)).isInstanceOf(MetadataOutcome.Refused.class);
        assertThat(assembly.requests(1)).containsExactly(ask(peer(2), 0));
    }

    @Test
    void duplicateDataIsIgnoredAndTheFirstBytesKept() {
        byte[] info = bytes(2 * MetadataMessage.PIECE_SIZE, 7);
        MetadataAssembly assembly = new MetadataAssembly(hashOf(info));
        InetSocketAddress p = peer(1);
        assembly.join(p, info.length);
        assembly.requests(0);

        assertThat(assembly.data(p, piece(info, 0))).isInstanceOf(MetadataOutcome.Accepted.class);
        byte[] other = bytes(info.length, 8);
        assertThat(assembly.data(p, piece(other, 0))).isInstanceOf(MetadataOutcome.Ignored.class);
        assertThat(assembly.data(p, piece(info, 1))).isInstanceOfSatisfying(MetadataOutcome.Complete.class,
                c -> assertThat(c.info()).isEqualTo(info));
    }

    @Test
    void sizesOutsideTheBoundAreRefused() {
        MetadataAssembly assembly = new MetadataAssembly(hashOf(INFO));

        assertThat(assembly.join(peer(1), MAX_METADATA_SIZE + 1)).isInstanceOf(MetadataOutcome.Refused.class);
        assertThat(assembly.join(peer(2), Integer.MAX_VALUE)).isInstanceOf(MetadataOutcome.Refused.class);
        assertThat(assembly.join(peer(3), 0)).isInstanceOf(MetadataOutcome.Refused.class);
        assertThat(assembly.requests(0)).isEmpty();
        assertThat(assembly.join(peer(4), MAX_METADATA_SIZE)).isInstanceOf(MetadataOutcome.Accepted.class);
        assertThat(assembly.requests(0)).hasSize(MetadataAssembly.MAX_REQUESTS_PER_PEER);
    }

    @Test
    void aLoneLiarIsDroppedAtTheFirstFailure() {
        MetadataAssembly assembly = new MetadataAssembly(hashOf(INFO));
        InetSocketAddress liar = peer(1);
        assembly.join(liar, SIZE);
        byte[] lie = bytes(SIZE, 9);

        Map<InetSocketAddress, byte[]> serving = Map.of(liar, lie);
        List<MetadataOutcome> outcomes = run(assembly, serving, 20);

        assertThat(outcomes).filteredOn(o -> o instanceof MetadataOutcome.Failed).singleElement()
                .isEqualTo(new MetadataOutcome.Failed(Set.of(), Set.of(liar)));
        assertThat(assembly.isSource(liar)).isFalse();
        assertThat(assembly.heldBytes()).isZero();
        assertThat(assembly.join(liar, SIZE)).isInstanceOf(MetadataOutcome.Refused.class);
    }

    @Test
    void aLiarAmongHonestPeersIsFoundAndDroppedWhileTheHonestAreNot() {
        MetadataAssembly assembly = new MetadataAssembly(hashOf(INFO));
        InetSocketAddress liar = peer(1);
        Map<InetSocketAddress, byte[]> serving = new LinkedHashMap<>();
        serving.put(liar, bytes(SIZE, 10));
        for (int i = 2; i <= 4; i++) {
            serving.put(peer(i), INFO);
        }
        serving.keySet().forEach(p -> assembly.join(p, SIZE));

        List<MetadataOutcome> outcomes = run(assembly, serving, 100);

        MetadataOutcome.Failed first = (MetadataOutcome.Failed) outcomes.stream().filter(o -> o instanceof MetadataOutcome.Failed)
                .findFirst().orElseThrow();
        assertThat(first.suspects()).isEqualTo(serving.keySet());
        assertThat(outcomes).filteredOn(o -> o instanceof MetadataOutcome.Failed)
                .allSatisfy(f -> assertThat(((MetadataOutcome.Failed) f).dropped()).isSubsetOf(Set.of(liar)));
        assertThat(outcomes.getLast()).isInstanceOfSatisfying(MetadataOutcome.Complete.class,
                c -> assertThat(c.info()).isEqualTo(INFO));
        // all four suspects, the liar asked alone first: its failure names it
        assertThat(outcomes).contains(new MetadataOutcome.Failed(Set.of(), Set.of(liar)));
    }

    @Test
    void theSoleSenderOfAFailedSetIsDroppedAndAnotherSizeIsTried() {
        byte[] info = bytes(100, 11);
        MetadataAssembly assembly = new MetadataAssembly(hashOf(info));
        InetSocketAddress a = peer(1);
        InetSocketAddress b = peer(2);
        InetSocketAddress c = peer(3);
        assembly.join(a, 100);
        assembly.join(b, 1000);
        assembly.join(c, 1000);
        byte[] wrong = bytes(1000, 12);

        // 1000 bytes, claimed by two: its one piece is asked of b alone
        assertThat(assembly.requests(0)).containsExactly(ask(b, 0));
        assertThat(assembly.data(b, piece(wrong, 0))).isEqualTo(new MetadataOutcome.Failed(Set.of(), Set.of(b)));
        assertThat(assembly.isSource(b)).isFalse();
        assertThat(assembly.isSource(c)).isTrue();
        assertThat(assembly.isSuspect(c)).isFalse();

        // one peer each now: the size heard first
        assertThat(assembly.requests(1)).containsExactly(ask(a, 0));
        assertThat(assembly.data(a, piece(info, 0))).isInstanceOf(MetadataOutcome.Complete.class);
    }

    @Test
    void allSuspectsAreAskedOneAtATimeSoAnHonestOneIsNotDroppedBesideTheLiar() {
        MetadataAssembly assembly = new MetadataAssembly(hashOf(INFO));
        InetSocketAddress liar = peer(1);
        InetSocketAddress honest = peer(2);
        assembly.join(liar, SIZE);
        assembly.join(honest, SIZE);
        Map<InetSocketAddress, byte[]> serving = Map.of(liar, bytes(SIZE, 13), honest, INFO);
        MetadataOutcome failed = runUntil(assembly, serving, 0, o -> o instanceof MetadataOutcome.Failed);
        assertThat(failed).isEqualTo(new MetadataOutcome.Failed(Set.of(liar, honest), Set.of()));

        List<Ask> asks = assembly.requests(5000);
        assertThat(asks).extracting(Ask::peer).containsOnly(liar);
        // the liar rejects: the attempt passes to the honest suspect, which alone is asked
        assembly.reject(liar, new MetadataMessage.Reject(asks.getFirst().request().piece()), 5000);
        List<Ask> next = assembly.requests(5001);
        assertThat(next).isNotEmpty().extracting(Ask::peer).containsOnly(honest);
        next.forEach(ask -> assembly.data(honest, piece(INFO, ask.request().piece())));

        MetadataOutcome done = runUntil(assembly, serving, 5002, o -> o instanceof MetadataOutcome.Complete);
        assertThat(assembly.isSource(liar)).isFalse(); // the sources are forgotten once complete
        assertThat(((MetadataOutcome.Complete) done).info()).isEqualTo(INFO);
    }

    @Test
    void ofDisagreeingSizesTheFirstWhoseBytesPassTheHashWins() {
        int wrongSize = 3 * MetadataMessage.PIECE_SIZE;
        MetadataAssembly assembly = new MetadataAssembly(hashOf(INFO));
        Map<InetSocketAddress, byte[]> serving = new LinkedHashMap<>();
        serving.put(peer(1), bytes(wrongSize, 14));
        serving.put(peer(2), bytes(wrongSize, 14));
        serving.put(peer(3), INFO);
        serving.forEach((p, b) -> assembly.join(p, b.length));

        List<MetadataOutcome> outcomes = run(assembly, serving, 100);

        assertThat(outcomes.getFirst()).isEqualTo(new MetadataOutcome.Failed(Set.of(peer(1), peer(2)), Set.of()));
        assertThat(outcomes.getLast()).isInstanceOfSatisfying(MetadataOutcome.Complete.class,
                c -> assertThat(c.info()).isEqualTo(INFO));
    }

    @Test
    void aPeerThatLeavesHasItsPiecesAskedOfOthers() {
        MetadataAssembly assembly = new MetadataAssembly(hashOf(INFO));
        assembly.join(peer(1), SIZE);
        assembly.join(peer(2), SIZE);
        assembly.join(peer(3), SIZE);
        List<Ask> first = assembly.requests(0);
        List<Integer> ofOne = first.stream().filter(a -> a.peer().equals(peer(1)))
                .map(a -> a.request().piece()).toList();
        assertThat(ofOne).isNotEmpty();

        assembly.leave(peer(1));
        for (Ask ask : first) {
            if (!ask.peer().equals(peer(1))) {
                assembly.data(ask.peer(), piece(INFO, ask.request().piece()));
            }
        }

        assertThat(assembly.requests(1)).extracting(a -> a.request().piece()).containsAll(ofOne);
        assertThat(assembly.data(peer(1), piece(INFO, ofOne.getFirst()))).isInstanceOf(MetadataOutcome.Ignored.class);
    }

    @Test
    void aSenderThatLeftBeforeAFailureOfSeveralSendersIsNotBlamed() {
        byte[] info = bytes(2 * MetadataMessage.PIECE_SIZE, 19);
        byte[] lie = bytes(info.length, 20);
        MetadataAssembly assembly = new MetadataAssembly(hashOf(info));
        InetSocketAddress liar = peer(1);
        InetSocketAddress gone = peer(2);
        assembly.join(liar, info.length);
        assembly.join(gone, info.length);
        assertThat(assembly.requests(0)).containsExactly(ask(liar, 0), ask(gone, 1));

        assembly.data(gone, piece(info, 1));
        assembly.leave(gone);

        assertThat(assembly.data(liar, piece(lie, 0))).isEqualTo(new MetadataOutcome.Failed(Set.of(liar), Set.of()));
        assertThat(assembly.join(gone, info.length)).isInstanceOf(MetadataOutcome.Accepted.class);
        assertThat(assembly.isSuspect(gone)).isFalse();
    }

    @Test
    void memoryHeldNeverPassesTheBoundWhateverThePeersClaim() {
        byte[] info = bytes(MAX_METADATA_SIZE, 15);
        MetadataAssembly assembly = new MetadataAssembly(hashOf(info));
        Map<InetSocketAddress, byte[]> serving = new LinkedHashMap<>();
        Random random = new Random(16);
        for (int i = 0; i < 40; i++) {
            // liars: half claim random sizes, half the true size
            int size = i % 2 == 0 ? 1 + random.nextInt(MAX_METADATA_SIZE) : MAX_METADATA_SIZE;
            serving.put(peer(100 + i), bytes(size, 100 + i));
            assembly.join(peer(100 + i), size);
        }
        for (int i = 0; i < 4; i++) {
            serving.put(peer(i + 1), info);
            assembly.join(peer(i + 1), info.length);
        }
        assertThat(assembly.join(peer(999), MAX_METADATA_SIZE + 1)).isInstanceOf(MetadataOutcome.Refused.class);

        List<MetadataOutcome> outcomes = new ArrayList<>();
        long now = 0;
        while (!assembly.complete() && now < 100_000) {
            for (Ask ask : assembly.requests(now)) {
                outcomes.add(assembly.data(ask.peer(), piece(serving.get(ask.peer()), ask.request().piece())));
                assertThat(assembly.heldBytes()).isLessThanOrEqualTo(MAX_METADATA_SIZE);
            }
            now++;
        }

        assertThat(outcomes.getLast()).isInstanceOfSatisfying(MetadataOutcome.Complete.class,
                c -> assertThat(c.info()).isEqualTo(info));
        assertThat(assembly.heldBytes()).isZero();
    }

    @Test
    void noMoreThanTheBoundOfSourcesAreTaken() {
        MetadataAssembly assembly = new MetadataAssembly(hashOf(INFO));
        for (int i = 0; i < MetadataAssembly.MAX_SOURCES; i++) {
            assertThat(assembly.join(peer(i + 1), SIZE)).isInstanceOf(MetadataOutcome.Accepted.class);
        }

        assertThat(assembly.join(peer(100_000), SIZE)).isInstanceOf(MetadataOutcome.Ignored.class);
        assembly.leave(peer(1));
        assertThat(assembly.join(peer(100_000), SIZE)).isInstanceOf(MetadataOutcome.Accepted.class);
    }

    @Test
    void onlyTheLastDroppedPeersAreRemembered() {
        byte[] info = bytes(10, 17);
        MetadataAssembly assembly = new MetadataAssembly(hashOf(info));
        byte[] lie = bytes(10, 18);
        for (int i = 0; i <= MetadataAssembly.MAX_DROPPED; i++) {
            assembly.join(peer(i + 1), 10);
            assertThat(assembly.requests(i)).containsExactly(ask(peer(i + 1), 0));
            assertThat(assembly.data(peer(i + 1), piece(lie, 0))).isInstanceOf(MetadataOutcome.Failed.class);
        }

        assertThat(assembly.join(peer(2), 10)).isInstanceOf(MetadataOutcome.Refused.class);
        assertThat(assembly.join(peer(1), 10)).isInstanceOf(MetadataOutcome.Accepted.class);
    }

    /** Answers every request with the bytes each peer serves, until complete or {@code turns} have passed. */
    private static List<MetadataOutcome> run(MetadataAssembly assembly, Map<InetSocketAddress, byte[]> serving, int turns) {
        List<MetadataOutcome> outcomes = new ArrayList<>();
        for (long now = 0; now < turns && !assembly.complete(); now++) {
            for (Ask ask : assembly.requests(now)) {
                MetadataOutcome o = assembly.data(ask.peer(), piece(serving.get(ask.peer()), ask.request().piece()));
                if (!(o instanceof MetadataOutcome.Accepted)) {
                    outcomes.add(o);
                }
            }
        }
        return outcomes;
    }

    private static MetadataOutcome runUntil(MetadataAssembly assembly, Map<InetSocketAddress, byte[]> serving,
                                    long start, java.util.function.Predicate<MetadataOutcome> stop) {
        for (long now = start; now < start + 1000; now++) {
            for (Ask ask : assembly.requests(now)) {
                MetadataOutcome o = assembly.data(ask.peer(), piece(serving.get(ask.peer()), ask.request().piece()));
                if (stop.test(o)) {
                    return o;
                }
            }
        }
        throw new AssertionError("never reached");
    }

    private static Ask ask(InetSocketAddress peer, int piece) {
        return new Ask(peer, new MetadataMessage.Request(piece));
    }

    private static MetadataMessage.Data piece(byte[] info, int piece) {
        int from = piece * MetadataMessage.PIECE_SIZE;
        return new MetadataMessage.Data(piece, info.length,
                Arrays.copyOfRange(info, from, Math.min(info.length, from + MetadataMessage.PIECE_SIZE)));
    }

    private static InetSocketAddress peer(int n) {
        return new InetSocketAddress("10.0." + (n >> 8 & 255) + "." + (n & 255), 6881 + (n >> 16));
    }

    private static List<InetSocketAddress> peers(int count) {
        List<InetSocketAddress> peers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            peers.add(peer(i));
        }
        return peers;
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static InfoHash hashOf(byte[] info) {
        try {
            return InfoHash.of(MessageDigest.getInstance("SHA-1").digest(info));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
