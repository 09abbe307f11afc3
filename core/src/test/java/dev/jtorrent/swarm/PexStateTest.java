package dev.jtorrent.swarm;

import dev.jtorrent.wire.PexMessage;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What one peer is told over {@code ut_pex}, and its allowance of messages to us, without a swarm around them. */
class PexStateTest {
    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(20);

    private static InetSocketAddress peer(int n) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 1, (byte) (n >> 8), (byte) n}),
                    6881);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<InetSocketAddress, Integer> connected(int from, int count) {
        Map<InetSocketAddress, Integer> connected = new LinkedHashMap<>();
        for (int i = from; i < from + count; i++) {
            connected.put(peer(i), PexMessage.REACHABLE);
        }
        return connected;
    }

    @Test
    void eachMessageTellsWhatChangedAndNothingWhenNothingDid() {
        PexState state = new PexState();
        PexMessage first = state.next(connected(0, 3), null, 50);
        assertThat(first.added()).extracting(PexMessage.Added::address).containsExactly(peer(0), peer(1), peer(2));

        assertThat(state.next(connected(0, 3), null, 50)).isNull();

        PexMessage second = state.next(connected(1, 3), null, 50);
        assertThat(second.added()).extracting(PexMessage.Added::address).containsExactly(peer(3));
        assertThat(second.dropped()).containsExactly(peer(0));
    }

    @Test
    void theReceiverIsNeverToldOfItself() {
        PexState state = new PexState();
        assertThat(state.next(connected(0, 2), peer(1), 50).added()).extracting(PexMessage.Added::address)
                .containsExactly(peer(0));
        assertThat(state.next(connected(0, 2), peer(1), 50)).isNull();
    }

    /** Whole swarms replaced at every message: what is told stays within the peers connected, as the class says. */
    @Test
    void whatIsToldStaysWithinThePeersConnectedUnderChurn() {
        PexState state = new PexState();
        int peers = 200;
        for (int round = 0; round < 50; round++) {
            state.next(connected(round * peers, peers), null, 50);
            assertThat(state.toldCount()).isLessThanOrEqualTo(peers);
        }
    }

    @Test
    void theAllowanceIsABurstOfThreeThenOneEveryInterval() {
        PexState state = new PexState();
        long now = 1_000_000_000_000L;
        assertThat(state.allow(now, INTERVAL, 3)).isTrue();
        assertThat(state.allow(now, INTERVAL, 3)).isTrue();
        assertThat(state.allow(now, INTERVAL, 3)).isTrue();
        assertThat(state.allow(now, INTERVAL, 3)).isFalse();
        assertThat(state.allow(now + INTERVAL - 1, INTERVAL, 3)).isFalse();
        assertThat(state.allow(now + INTERVAL, INTERVAL, 3)).isTrue();
        assertThat(state.allow(now + INTERVAL, INTERVAL, 3)).isFalse();
        // A quiet peer earns its burst back, and no more than it.
        long later = now + 100 * INTERVAL;
        for (int i = 0; i < 3; i++) {
            assertThat(state.allow(later, INTERVAL, 3)).isTrue();
        }
        assertThat(state.allow(later, INTERVAL, 3)).isFalse();
    }
}
