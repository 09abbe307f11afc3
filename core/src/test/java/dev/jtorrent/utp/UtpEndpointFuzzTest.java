package dev.jtorrent.utp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Any datagrams fed to an endpoint with a live connection have only documented outcomes: nothing throws, every
 * datagram the endpoint sends parses as uTP, its connections and out-of-order bytes stay within their limits, and
 * the live connection is either still open or ended with a reason (reset, timed out). The input is cut into
 * datagrams by its length bytes; the first byte of each chooses its source (the live peer or another address) and
 * whether its connection id is set to the live connection's, so most reach the connection rather than the lookup.
 * Under plain {@code mvn test} this replays the seed corpus in {@code UtpEndpointFuzzTestInputs}; with Jazzer's
 * fuzzing mode it explores.
 */
class UtpEndpointFuzzTest {
    private static final InetSocketAddress SERVER = SimNet.address(1, 6881);
    private static final InetSocketAddress PEER = SimNet.address(2, 7000);
    private static final UtpLimits LIMITS = UtpLimits.DEFAULTS.withConnections(8).withOutOfOrder(64, 128 << 10);

    @FuzzTest(maxDuration = "30s")
    void parsesAnyDatagramsWithOnlyDocumentedOutcomes(byte[] input) {
        SimNet net = new SimNet(1);
        EndpointNode server = new EndpointNode(net, SERVER, LIMITS);
        UtpPacket check = new UtpPacket();
        ConnectionNode peer = ConnectionNode.opening(net, PEER, SERVER, UtpLimits.DEFAULTS, 1472);
        net.runFor(50_000_000, () -> {
            if (peer.connection.isOpen() && server.accepted.isEmpty()) {
                peer.connection.write(ByteBuffer.wrap(new byte[100]), net.now());
            }
        });
        assertThat(server.accepted).hasSize(1);
        UtpConnection live = server.accepted.get(0).connectionForTest();
        int at = 0;
        while (at + 2 <= input.length) {
            int control = input[at] & 0xFF;
            int length = Math.min(input[at + 1] & 0xFF | (control & 0x30) << 4, input.length - at - 2);
            byte[] datagram = Arrays.copyOfRange(input, at + 2, at + 2 + length);
            at += 2 + length;
            if ((control & 1) != 0 && datagram.length >= 4) {
                datagram[2] = (byte) (live.recvId() >> 8);
                datagram[3] = (byte) live.recvId();
            }
            InetSocketAddress from = (control & 2) != 0 ? PEER : SimNet.address(3 + (control >> 6), 7000 + control);
            server.endpoint.receive(ByteBuffer.wrap(datagram), from);
            if ((control & 4) != 0) {
                server.endpoint.drained();
            }
            if ((control & 8) != 0) {
                net.runFor(20_000_000, () -> { });
            }
        }
        net.runFor(100_000_000, () -> { });
        assertThat(server.endpoint.connections()).isLessThanOrEqualTo(LIMITS.connections());
        assertThat(server.endpoint.outOfOrderBytes()).isBetween(0L, LIMITS.outOfOrderBytesTotal());
        assertThat(live.outOfOrderBytes()).isLessThanOrEqualTo(64L * UtpPacket.MAX_DATAGRAM);
        assertThat(live.isOpen() || live.isFinished()).isTrue();
        if (live.state() == UtpConnection.State.RESET) {
            assertThat(live.failure()).isNotBlank();
        }
        for (int i = 0; i < server.sentSizes.size(); i++) {
            assertThat(server.sentSizes.get(i)).isBetween(UtpPacket.HEADER_BYTES, UtpPacket.MAX_DATAGRAM);
        }
        assertThat(check).isNotNull();
    }
}
