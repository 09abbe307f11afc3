package dev.jtorrent.utp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An endpoint under hostile traffic on a simulated network: every bound holds and honest peers still complete. */
class UtpEndpointTest {
    private static final long SECOND = 1_000_000_000L;
    private static final InetSocketAddress SERVER = SimNet.address(1, 6881);
    private static final InetSocketAddress HONEST = SimNet.address(2, 40000);

    private static byte[] packet(UtpType type, int id, int seq, int ack, long window, int payload) {
        ByteBuffer b = ByteBuffer.allocate(UtpPacket.HEADER_BYTES + payload);
        UtpPacket.putHeader(b, type, 0, id, 1, 0, window, seq, ack);
        return b.array();
    }

    /** An honest opener that sends {@code data} to the endpoint, and what the endpoint's stream received. */
    private static final class Upload implements Runnable {
        final ConnectionNode client;
        final EndpointNode server;
        final ByteBuffer source;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final ByteBuffer buffer = ByteBuffer.allocate(65_536);
        boolean eof;

        Upload(SimNet net, InetSocketAddress from, EndpointNode server, byte[] data) {
            this.client = ConnectionNode.opening(net, from, SERVER, UtpLimits.DEFAULTS, UtpPacket.ETHERNET_PAYLOAD);
            this.server = server;
            this.source = ByteBuffer.wrap(data);
        }

        UtpConnection serverSide() {
            for (UtpStream s : server.accepted) {
                if (s.remoteAddress().equals(client.self)) {
                    return s.connectionForTest();
                }
            }
            return null;
        }

        @Override
        public void run() {
            long now = client.net.now();
            if (client.connection.isOpen() && source.hasRemaining()) {
                client.connection.write(source, now);
            }
            if (!source.hasRemaining() && client.connection.state() == UtpConnection.State.CONNECTED) {
                client.connection.close(now);
            }
            UtpConnection s = serverSide();
            if (s != null && !eof) {
                int n;
                while ((n = s.read(buffer.clear())) > 0) {
                    received.write(buffer.array(), 0, n);
                }
                eof = n < 0;
                s.flushAck(now);
            }
        }
    }

    private static byte[] data(int size) {
        byte[] d = new byte[size];
        new Random(size).nextBytes(d);
        return d;
    }

    @Test
    void packetsWithWrongConnectionIdsAreIgnoredAndNeverAnswered() {
        SimNet net = new SimNet(1);
        EndpointNode server = new EndpointNode(net, SERVER, UtpLimits.DEFAULTS);
        byte[] data = data(1 << 20);
        Upload up = new Upload(net, HONEST, server, data);
        net.runFor(SECOND / 10, up);
        UtpConnection s = up.serverSide();
        int sentBefore = server.sentSizes.size();
        for (int id = 0; id < 65_536; id += 7) {
            if (id != s.recvId() && id != SeqNr.plus(s.recvId(), -1)) {
                net.inject(HONEST, SERVER, packet(UtpType.DATA, id, 5, 5, 1 << 20, 100));
                net.inject(HONEST, SERVER, packet(UtpType.RESET, id, 5, 5, 0, 0));
            }
        }
        // the right id from the wrong address, too
        net.inject(SimNet.address(3, 40000), SERVER, packet(UtpType.RESET, s.recvId(), 5, 5, 0, 0));
        net.inject(SimNet.address(2, 40001), SERVER, packet(UtpType.RESET, s.recvId(), 5, 5, 0, 0));
        net.runFor(1, () -> { });
        assertThat(server.sentSizes.size()).isEqualTo(sentBefore);
        assertThat(net.runUntil(() -> up.eof, 60 * SECOND, up)).isTrue();
        assertThat(up.received.toByteArray()).isEqualTo(data);
        assertThat(server.endpoint.connections()).isEqualTo(1);
    }

    @Test
    void forgedAcksForDataNeverSentAreIgnored() {
        SimNet net = new SimNet(2);
        net.delayNanos = 30_000_000;
        ConnectionNode b = ConnectionNode.accepting(net, SERVER, HONEST, UtpLimits.DEFAULTS);
        ConnectionNode a = ConnectionNode.opening(net, HONEST, SERVER, UtpLimits.DEFAULTS, 1472);
        byte[] data = data(4 << 20);
        ByteBuffer source = ByteBuffer.wrap(data);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        boolean[] eof = {false};
        Runnable app = () -> {
            if (a.connection.isOpen() && source.hasRemaining()) {
                a.connection.write(source, net.now());
            }
            if (!source.hasRemaining() && a.connection.state() == UtpConnection.State.CONNECTED) {
                a.connection.close(net.now());
            }
            if (b.connection != null) {
                int n;
                while ((n = b.connection.read(buffer.clear())) > 0) {
                    got.write(buffer.array(), 0, n);
                }
                eof[0] |= n < 0;
            }
        };
        net.runFor(SECOND / 2, app);
        long inFlight = a.connection.bytesInFlight();
        assertThat(inFlight).isPositive();
        // STATEs from the peer's own address and id acknowledging packets never sent, and a SACK of all ones
        UtpPacket parsed = new UtpPacket();
        for (int ahead = 1; ahead < 30_000; ahead += 97) {
            byte[] forged = packet(UtpType.STATE, a.connection.recvId(), 100, (0x7000 + ahead * 13) & 0xFFFF, 1 << 20,
                    0);
            a.connection.receive(parse(parsed, forged), ByteBuffer.wrap(forged), net.now());
        }
        assertThat(a.connection.bytesInFlight()).isEqualTo(inFlight);
        assertThat(a.connection.state()).isEqualTo(UtpConnection.State.CONNECTED);
        assertThat(net.runUntil(() -> eof[0], 120 * SECOND, app)).isTrue();
        assertThat(got.toByteArray()).isEqualTo(data);
    }

    private static UtpPacket parse(UtpPacket into, byte[] bytes) {
        try {
            return into.parse(ByteBuffer.wrap(bytes));
        } catch (UtpPacketException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aHugeWindowClaimNeverTakesMoreInFlightThanOurOwnSendBuffer() {
        SimNet net = new SimNet(3);
        net.delayNanos = 100_000_000; // a long path, so a big window would fill
        UtpLimits limits = new UtpLimits(10, 8, 100, 1 << 20, 256 << 10, 512, 8 << 20);
        ConnectionNode b = ConnectionNode.accepting(net, SERVER, HONEST, UtpLimits.DEFAULTS);
        ConnectionNode a = ConnectionNode.opening(net, HONEST, SERVER, limits, 1472);
        // the receiver claims a window of 4 GiB in everything it sends
        a.behind(datagram -> datagram.putInt(datagram.position() + 12, -1));
        ByteBuffer source = ByteBuffer.wrap(new byte[8 << 20]);
        long[] most = {0};
        ByteBuffer sink = ByteBuffer.allocate(1 << 20);
        net.runFor(20 * SECOND, () -> {
            if (a.connection.isOpen()) {
                a.connection.write(source, net.now());
            }
            if (b.connection != null) {
                b.connection.read(sink.clear());
            }
            most[0] = Math.max(most[0], a.connection.bytesInFlight());
        });
        assertThat(most[0]).isPositive().isLessThanOrEqualTo(256 << 10);
        assertThat(a.connection.bufferedBytes()).isLessThan(2 * (256 << 10) + 64 * 1024);
    }

    @Test
    void aSynFloodFromSpoofedPortsFillsOnlyItsAddressesShareAndAnHonestConnectSucceeds() {
        SimNet net = new SimNet(4);
        EndpointNode server = new EndpointNode(net, SERVER, UtpLimits.DEFAULTS);
        Random random = new Random(4);
        int[] floodSent = {0};
        byte[] data = data(256 << 10);
        Upload[] up = {null};
        int[] mostHalfOpen = {0};
        net.runUntil(() -> up[0] != null && up[0].eof, 30 * SECOND, () -> {
            for (int i = 0; i < 10; i++) { // 10 spoofed SYNs per step: thousands a second
                net.inject(SimNet.address(66, 1024 + random.nextInt(60_000)), SERVER,
                        packet(UtpType.SYN, random.nextInt(65_536), 1, 0, 0, 0));
                floodSent[0]++;
            }
            mostHalfOpen[0] = Math.max(mostHalfOpen[0], server.endpoint.halfOpen());
            if (up[0] == null && net.now() > 1_500_000_000L) {
                up[0] = new Upload(net, HONEST, server, data);
            }
            if (up[0] != null) {
                up[0].run();
            }
        });
        assertThat(up[0].received.toByteArray()).isEqualTo(data);
        assertThat(floodSent[0]).isGreaterThan(3_000);
        assertThat(mostHalfOpen[0]).isLessThanOrEqualTo(UtpEndpoint.MAX_HALF_OPEN_PER_ADDRESS + 1);
        // the flood's answers: one bare header each, for the few SYNs its address's share admitted, a share that
        // frees up as they time out
        List<Integer> toFlood = new ArrayList<>();
        for (int i = 0; i < server.sentTo.size(); i++) {
            if (server.sentTo.get(i).getAddress().equals(SimNet.address(66, 1).getAddress())) {
                toFlood.add(server.sentSizes.get(i));
            }
        }
        double seconds = net.now() / 1e9;
        assertThat(toFlood).isNotEmpty().allMatch(size -> size == UtpPacket.HEADER_BYTES);
        assertThat(toFlood.size()).isLessThanOrEqualTo((int) (UtpEndpoint.MAX_HALF_OPEN_PER_ADDRESS
                * (seconds / (UtpConnection.SYN_RECEIVED_TIMEOUT_NANOS / 1e9) + 1)));
    }

    @Test
    void aSynFloodFromSpoofedAddressesKeepsTheHalfOpenBoundAndTheRateAndAnswersWithBareHeaders() {
        SimNet net = new SimNet(5);
        UtpLimits limits = UtpLimits.DEFAULTS.withSynReceived(16).withSynPerSecond(100);
        EndpointNode server = new EndpointNode(net, SERVER, limits);
        Random random = new Random(5);
        int[] most = {0};
        int[] flood = {0};
        net.runFor(3 * SECOND, () -> {
            for (int i = 0; i < 5; i++) {
                net.inject(SimNet.address(100 + random.nextInt(100), 1024 + random.nextInt(60_000)), SERVER,
                        packet(UtpType.SYN, random.nextInt(65_536), 1, 0, 0, 0));
                flood[0]++;
            }
            most[0] = Math.max(most[0], server.endpoint.halfOpen());
        });
        assertThat(flood[0]).isGreaterThan(1_000);
        assertThat(most[0]).isEqualTo(16);
        // one answer per SYN admitted, admitted at 100 a second in bursts of 100: 400 at most in 3 s
        assertThat(server.sentSizes.size()).isBetween(200, 400);
        assertThat(server.sentSizes).allMatch(size -> size == UtpPacket.HEADER_BYTES);
        assertThat(server.accepted).isEmpty();
        // none of them ever answers: all are dropped after their timeout
        net.runFor(5 * SECOND, () -> { });
        assertThat(server.endpoint.connections()).isZero();
    }

    @Test
    void anOutOfOrderFloodStaysWithinItsBoundsAndHonestPeersStillComplete() {
        SimNet net = new SimNet(6);
        UtpLimits limits = UtpLimits.DEFAULTS.withOutOfOrder(64, 256 << 10);
        EndpointNode server = new EndpointNode(net, SERVER, limits);
        // ten attackers connect honestly, then send everything but the next packet
        List<ConnectionNode> attackers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            attackers.add(ConnectionNode.opening(net, SimNet.address(50 + i, 7000), SERVER, UtpLimits.DEFAULTS,
                    1472));
        }
        net.runFor(SECOND / 10, () -> attackers.forEach(a -> a.connection.write(ByteBuffer.wrap(new byte[1]),
                net.now())));
        assertThat(server.accepted).hasSize(10);
        long[] most = {0, 0};
        byte[] data = data(2 << 20);
        net.loss = 0.02; // so the honest peer needs the reorder buffer too
        Upload up = new Upload(net, HONEST, server, data);
        net.runUntil(() -> up.eof, 120 * SECOND, () -> {
            for (int i = 0; i < attackers.size(); i++) {
                UtpStream s = server.accepted.get(i);
                UtpConnection target = s.connectionForTest();
                // everything but the next packet, acknowledging what the server really sent
                int seq = SeqNr.plus(target.ackNr(), 2 + net.random.nextInt(2_000));
                net.inject(attackers.get(i).self, SERVER, packet(UtpType.DATA, target.recvId(), seq,
                        SeqNr.plus(target.nextSeq(), -1), 1 << 20, 1_400));
                most[0] = Math.max(most[0], target.outOfOrderBytes());
            }
            most[1] = Math.max(most[1], server.endpoint.outOfOrderBytes());
            up.run();
        });
        assertThat(up.received.toByteArray()).isEqualTo(data);
        assertThat(most[0]).isPositive().isLessThanOrEqualTo(64 * 1_400);
        assertThat(most[1]).isLessThanOrEqualTo(256 << 10);
    }

    @Test
    void noMoreConnectionsThanTheLimitAreAccepted() {
        SimNet net = new SimNet(7);
        EndpointNode server = new EndpointNode(net, SERVER, UtpLimits.DEFAULTS.withConnections(3));
        List<ConnectionNode> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(ConnectionNode.opening(net, SimNet.address(20 + i, 7000), SERVER, UtpLimits.DEFAULTS, 1472));
        }
        net.runFor(SECOND / 10, () -> clients.forEach(c -> {
            if (c.connection.isOpen()) {
                c.connection.write(ByteBuffer.wrap(new byte[] {1}), net.now());
            }
        }));
        assertThat(server.endpoint.connections()).isEqualTo(3);
        assertThat(server.accepted).hasSize(3);
        assertThat(clients.stream().filter(c -> c.connection.isOpen()).count()).isEqualTo(3);
    }
}
