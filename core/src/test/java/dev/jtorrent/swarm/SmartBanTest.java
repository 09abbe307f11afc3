package dev.jtorrent.swarm;

import dev.jtorrent.wire.BlockRef;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SmartBanTest {
    private static final InetSocketAddress HONEST = new InetSocketAddress("127.0.0.2", 1);
    private static final InetSocketAddress LIAR = new InetSocketAddress("127.0.0.3", 1);
    private static final byte[][] GOOD = digests(4, 0);

    @Test
    void theSenderOfTheBlockThatDifferedIsTheLiar() {
        SmartBan ban = new SmartBan();
        byte[][] bad = digests(4, 0);
        bad[2] = digest(99);
        assertThat(ban.pieceFailed(7, sent(bad, HONEST, HONEST, LIAR, LIAR))).isEmpty();
        assertThat(ban.remembers(7)).isTrue();

        SmartBan.Verdict verdict = ban.piecePassed(7, GOOD);

        assertThat(verdict.liars()).containsExactly(LIAR);
        assertThat(verdict.cleared()).isEqualTo(Map.of(HONEST, 1));
        assertThat(ban.remembers(7)).isFalse();
        assertThat(ban.blockCount()).isZero();
    }

    @Test
    void aPeerBlamedForTwoFailuresIsClearedOfBoth() {
        SmartBan ban = new SmartBan();
        byte[][] bad = digests(4, 0);
        bad[3] = digest(99);
        ban.pieceFailed(7, sent(bad, HONEST, HONEST, HONEST, LIAR));
        ban.pieceFailed(7, sent(bad, HONEST, HONEST, HONEST, LIAR));

        assertThat(ban.piecePassed(7, GOOD)).isEqualTo(new SmartBan.Verdict(
                java.util.Set.of(LIAR), Map.of(HONEST, 2)));
    }

    @Test
    void aPeerThatSendsOneBlockTwiceWithDifferentDataIsCaughtAtOnce() {
        SmartBan ban = new SmartBan();
        byte[][] first = digests(4, 0);
        first[1] = digest(98);
        byte[][] second = digests(4, 0);
        second[1] = digest(99);
        ban.pieceFailed(7, sent(first, HONEST, LIAR, HONEST, HONEST));

        assertThat(ban.pieceFailed(7, sent(second, HONEST, LIAR, HONEST, HONEST))).containsExactly(LIAR);
    }

    @Test
    void aPieceWithASoleSenderIsNotRemembered() {
        SmartBan ban = new SmartBan();
        assertThat(ban.pieceFailed(7, List.of())).isEmpty();
        assertThat(ban.remembers(7)).isFalse();
    }

    @Test
    void aPieceNotRememberedSaysNothing() {
        assertThat(new SmartBan().piecePassed(3, GOOD)).isEqualTo(SmartBan.Verdict.NONE);
    }

    @Test
    void theBlocksRememberedAreBoundedByForgettingTheOldestPieces() {
        SmartBan ban = new SmartBan();
        int blocksPerPiece = 256; // 4 MiB pieces
        byte[][] digests = digests(blocksPerPiece, 0);
        InetSocketAddress[] senders = new InetSocketAddress[blocksPerPiece];
        for (int i = 0; i < blocksPerPiece; i++) {
            senders[i] = i % 2 == 0 ? HONEST : LIAR;
        }
        int pieces = SmartBan.MAX_BLOCKS / blocksPerPiece + 10;
        for (int piece = 0; piece < pieces; piece++) {
            ban.pieceFailed(piece, sent(digests, senders));
        }

        assertThat(ban.blockCount()).isLessThanOrEqualTo(SmartBan.MAX_BLOCKS);
        assertThat(ban.remembers(0)).as("the oldest").isFalse();
        assertThat(ban.remembers(pieces - 1)).as("the newest").isTrue();
    }

    @Test
    void aPieceWithMoreBlocksThanTheLimitIsNotRemembered() {
        SmartBan ban = new SmartBan();
        int count = SmartBan.MAX_BLOCKS + 1;
        InetSocketAddress[] senders = new InetSocketAddress[count];
        java.util.Arrays.fill(senders, HONEST);
        senders[0] = LIAR;
        ban.pieceFailed(1, sent(digests(count, 0), senders));

        assertThat(ban.remembers(1)).isFalse();
        assertThat(ban.blockCount()).isZero();
    }

    @Test
    void digestsAreOnePerBlockAndTheLastBlockMayBeShort() {
        byte[] data = new byte[2 * BlockRef.SIZE + 100];
        data[BlockRef.SIZE] = 1;
        byte[][] digests = SmartBan.digests(ByteBuffer.wrap(data));

        assertThat(digests).hasNumberOfRows(3);
        assertThat(digests[0]).hasSize(20).isNotEqualTo(digests[1]);
        byte[] sameAsFirstBlock = new byte[BlockRef.SIZE];
        assertThat(SmartBan.digests(ByteBuffer.wrap(sameAsFirstBlock))[0]).isEqualTo(digests[0]);
    }

    private static List<SmartBan.SentBlock> sent(byte[][] digests, InetSocketAddress... senders) {
        List<SmartBan.SentBlock> sent = new ArrayList<>();
        for (int i = 0; i < senders.length; i++) {
            sent.add(new SmartBan.SentBlock(i, senders[i], digests[i]));
        }
        return sent;
    }

    private static byte[][] digests(int count, int seed) {
        byte[][] digests = new byte[count][];
        for (int i = 0; i < count; i++) {
            digests[i] = digest(seed * 1000 + i);
        }
        return digests;
    }

    private static byte[] digest(int value) {
        return ByteBuffer.allocate(20).putInt(value).array();
    }
}
