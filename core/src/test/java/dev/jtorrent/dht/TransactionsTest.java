package dev.jtorrent.dht;

import dev.jtorrent.bencode.BString;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionsTest {
    private static final Transactions.Handler NOTHING = new Transactions.Handler() {
        @Override
        public void response(Krpc.Response response, long now) {
        }

        @Override
        public void failure(long now) {
        }
    };
    private final InetSocketAddress node = SimulatedNetwork.address(1);

    @Test
    void opensAtMostMaxWithDistinctIdsEvenAcrossTheCountersWrap() {
        Transactions t = new Transactions(300, 0xffff - 100);
        Set<BString> ids = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            ids.add(t.open(node, null, NOTHING, 0).orElseThrow());
        }
        assertThat(ids).hasSize(300);
        assertThat(t.open(node, null, NOTHING, 0)).isEmpty();
        assertThat(t.room()).isZero();
    }

    @Test
    void matchesAnAnswerOnlyFromTheAddressAsked() {
        Transactions t = new Transactions(10, 7);
        BString id = t.open(node, null, NOTHING, 0).orElseThrow();
        assertThat(t.match(BString.of("zz"), node)).isEqualTo(Transactions.Match.UNKNOWN);
        assertThat(t.match(id, SimulatedNetwork.address(2))).isEqualTo(Transactions.Match.WRONG_SOURCE);
        assertThat(t.match(id, node)).isEqualTo(Transactions.Match.ANSWERED);
        assertThat(t.close(id).to()).isEqualTo(node);
        assertThat(t.match(id, node)).as("answered once").isEqualTo(Transactions.Match.UNKNOWN);
    }

    @Test
    void expiresUnansweredQueriesAfterTheTimeout() {
        Transactions t = new Transactions(10, 0);
        BString answered = t.open(node, null, NOTHING, 0).orElseThrow();
        t.open(node, null, NOTHING, 1).orElseThrow();
        t.close(answered);
        assertThat(t.expire(Transactions.TIMEOUT_NANOS)).isEmpty();
        assertThat(t.expire(Transactions.TIMEOUT_NANOS + 1)).hasSize(1);
        assertThat(t.size()).isZero();
    }
}
