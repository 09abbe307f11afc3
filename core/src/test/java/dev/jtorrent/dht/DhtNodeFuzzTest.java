package dev.jtorrent.dht;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds arbitrary datagrams to a node that has a query outstanding with the sender, as a reply would come, and then
 * lets its timer run: the node never throws and stays within its bounds. The node's random generator is seeded, so
 * the outstanding ping's transaction id is the same in every run and the fuzzer can find it. Run on its seed corpus
 * in {@code src/test/resources/dev/jtorrent/dht/DhtNodeFuzzTestInputs} with the unit tests, then fuzzed for
 * {@code fuzz.duration} (see core/pom.xml).
 */
class DhtNodeFuzzTest {
    private static final InetSocketAddress OWN = SimulatedNetwork.address(1);
    private static final InetSocketAddress PEER = SimulatedNetwork.address(2);
    private static final DhtConfig CONFIG = DhtConfig.builder().routers(List.of()).build();

    // maxDuration applies when the test is fuzzed from an IDE; the Maven build overrides it with fuzz.duration.
    @FuzzTest(maxDuration = "30s")
    void receivesAnyDatagramWithinItsBounds(byte[] input) {
        long now = TimeUnit.HOURS.toNanos(1);
        int[] sent = new int[1];
        DhtNode node = new DhtNode(CONFIG, Set.of(Family.IPV4), List.of(OWN), (to, bytes) -> sent[0]++,
                new Random(1), Optional.empty(), now);
        node.addNode(PEER, now);
        for (int i = 0; i < 3; i++) {
            node.receive(PEER, ByteBuffer.wrap(input), now + i);
        }
        node.tick(now + Transactions.TIMEOUT_NANOS + 1);
        assertThat(node.outstanding()).isLessThanOrEqualTo(CONFIG.maxOutstanding());
        assertThat(node.routingTableSize()).isLessThanOrEqualTo(1);
        assertThat(sent[0]).isLessThanOrEqualTo(16);
    }
}
