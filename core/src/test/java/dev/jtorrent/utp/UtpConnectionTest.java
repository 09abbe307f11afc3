package dev.jtorrent.utp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Two sans-I/O connections over a simulated network, on simulated time. */
class UtpConnectionTest {
    private static final long SECOND = 1_000_000_000L;
    private static final InetSocketAddress A = SimNet.address(1, 6881);
    private static final InetSocketAddress B = SimNet.address(2, 6882);

    /** Moves {@code data} from a to b through the application calls, and collects what b reads. */
    private static final class Transfer implements Runnable {
        final ConnectionNode a;
        final ConnectionNode b;
        final ByteBuffer source;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final ByteBuffer buffer = ByteBuffer.allocate(50_000);
        boolean eof;
        boolean readerPaused;

        Transfer(ConnectionNode a, ConnectionNode b, byte[] data) {
            this.a = a;
            this.b = b;
            this.source = ByteBuffer.wrap(data);
        }

        @Override
        public void run() {
            long now = a.net.now();
            if (a.connection.isOpen() && source.hasRemaining()) {
                a.connection.write(source, now);
            }
            if (!source.hasRemaining() && a.connection.state() == UtpConnection.State.CONNECTED) {
                a.connection.close(now);
            }
            if (b.connection != null && !readerPaused && !eof) {
                int n;
                while ((n = b.connection.read(buffer.clear())) > 0) {
                    received.write(buffer.array(), 0, n);
                }
                if (n < 0) {
                    eof = true;
                }
                b.connection.flushAck(now);
            }
        }
    }

    private static byte[] data(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void handshakeConnectsTheOpenerAndTheAcceptorOnceItHearsFromIt() {
        SimNet net = new SimNet(1);
        ConnectionNode b = ConnectionNode.accepting(net, B, A, UtpLimits.DEFAULTS);
        ConnectionNode a = ConnectionNode.opening(net, A, B, UtpLimits.DEFAULTS, UtpPacket.ETHERNET_PAYLOAD);
        assertThat(a.connection.state()).isEqualTo(UtpConnection.State.SYN_SENT);
        net.runFor(SECOND / 100, () -> { });
        assertThat(a.connection.state()).isEqualTo(UtpConnection.State.CONNECTED);
        assertThat(b.connection.state()).isEqualTo(UtpConnection.State.SYN_RECEIVED);
        assertThat(b.connection.recvId()).isEqualTo(0x7001);
        assertThat(b.connection.sendId()).isEqualTo(0x7000);
        assertThat(a.connection.sendId()).isEqualTo(0x7001);
        a.connection.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), net.now());
        net.runFor(SECOND / 100, () -> { });
        assertThat(b.connection.state()).isEqualTo(UtpConnection.State.CONNECTED);
        assertThat(b.connection.available()).isEqualTo(3);
    }

    @Test
    void transfersSeveralMebibytesBitExactWithoutLossAndEndsWithFin() {
        SimNet net = new SimNet(2);
        ConnectionNode b = ConnectionNode.accepting(net, B, A, UtpLimits.DEFAULTS);
        ConnectionNode a = ConnectionNode.opening(net, A, B, UtpLimits.DEFAULTS, UtpPacket.ETHERNET_PAYLOAD);
        byte[] data = data(6 << 20, 2);
        Transfer t = new Transfer(a, b, data);
        assertThat(net.runUntil(() -> t.eof && a.connection.isFinished(), 60 * SECOND, t)).isTrue();
        assertThat(t.received.toByteArray()).isEqualTo(data);
        assertThat(a.connection.state()).isEqualTo(UtpConnection.State.CLOSED);
        assertThat(a.connection.failure()).isNull();
        assertThat(b.connection.endOfStream()).isTrue();
    }

    @Test
    void transfersBitExactUnderFivePercentLossWithReorderingAndDelay() {
        SimNet net = new SimNet(3);
        net.loss = 0.05;
        net.delayNanos = 20_000_000;
        net.jitterNanos = 15_000_000; // packets overtake each other
        ConnectionNode b = ConnectionNode.accepting(net, B, A, UtpLimits.DEFAULTS);
        ConnectionNode a = ConnectionNode.opening(net, A, B, UtpLimits.DEFAULTS, UtpPacket.ETHERNET_PAYLOAD);
        byte[] data = data(4 << 20, 3);
        Transfer t = new Transfer(a, b, data);
        assertThat(net.runUntil(() -> t.eof, 600 * SECOND, t)).as("finished in simulated time").isTrue();
        assertThat(t.received.toByteArray()).isEqualTo(data);
        assertThat(net.dropped).isGreaterThan(100);
        assertThat(b.budget.used()).as("nothing left out of order").isZero();
    }

    @Test
    void aPeerThatStopsAckingIsTimedOutAfterTheResendsRunOut() {
        SimNet net = new SimNet(4);
        net.delayNanos = 50_000_000;
        ConnectionNode b = ConnectionNode.accepting(net, B, A, UtpLimits.DEFAULTS);
        ConnectionNode a = ConnectionNode.opening(net, A, B, UtpLimits.DEFAULTS, UtpPacket.ETHERNET_PAYLOAD);
        Transfer t = new Transfer(a, b, data(16 << 20, 4));
        net.runFor(SECOND / 2, t);
        assertThat(a.connection.state()).isEqualTo(UtpConnection.State.CONNECTED);
        b.listening = false;
        long silentSince = net.now();
        assertThat(net.runUntil(() -> a.connection.isFinished(), 120 * SECOND, t)).isTrue();
        assertThat(a.connection.state()).isEqualTo(UtpConnection.State.RESET);
        assertThat(a.connection.failure()).contains("timed out");
        // 500 ms at least, doubling: 0.5 + 1 + 2 + 4 s of timeouts, give or take the round-trip estimate
        double seconds = (net.now() - silentSince) / 1e9;
        assertThat(seconds).isBetween(7.0, 20.0);
    }

    @Test
    void aSynNeverAnsweredTimesOutAfterTheSynResends() {
        SimNet net = new SimNet(5);
        ConnectionNode a = ConnectionNode.opening(net, A, B, UtpLimits.DEFAULTS, UtpPacket.ETHERNET_PAYLOAD);
        assertThat(net.runUntil(() -> a.connection.isFinished(), 60 * SECOND, () -> { })).isTrue();
        assertThat(a.connection.failure()).isEqualTo("connection timed out");
        assertThat(net.sentFrom.get(A)).isEqualTo(1L + UtpConnection.MAX_SYN_TIMEOUTS);
    }

    @Test
    void anAcceptedConnectionWhoseOpenerNeverAnswersIsDroppedSilently() {
        SimNet net = new SimNet(6);
        ConnectionNode b = ConnectionNode.accepting(net, B, A, UtpLimits.DEFAULTS);
        ConnectionNode a = ConnectionNode.opening(net, A, B, UtpLimits.DEFAULTS, UtpPacket.ETHERNET_PAYLOAD);
        a.listening = false; // a spoofed SYN, in effect: nobody at A answers
        net.runFor(SECOND / 10, () -> { });
        b.connection.write(ByteBuffer.wrap(new byte[10_000]), net.now()); // buffered, never sent unconfirmed
        assertThat(net.runUntil(() -> b.connection.isFinished(), 10 * SECOND, () -> { })).isTrue();
        assertThat(b.connection.state()).isEqualTo(UtpConnection.State.CLOSED);
        assertThat(net.sentFrom.get(B)).as("one STATE for the one SYN, nothing else").isEqualTo(1L);
    }

    @Test
    void theAdvertisedWindowShrinksWhileTheReaderLagsAndTheSenderWaitsForIt() {
        SimNet net = new SimNet(7);
        ConnectionNode b = ConnectionNode.accepting(net, B, A, UtpLimits.DEFAULTS);
        ConnectionNode a = ConnectionNode.opening(net, A, B, UtpLimits.DEFAULTS, UtpPacket.ETHERNET_PAYLOAD);
        byte[] data = data(3 << 20, 7);
        Transfer t = new Transfer(a, b, data);
        t.readerPaused = true;
        net.runFor(5 * SECOND, t);
        int window = UtpLimits.DEFAULTS.receiveWindow();
        assertThat(b.connection.available()).as("buffered up to the window").isBetween(window - 1_500, window);
        assertThat(a.connection.state()).as("a slow reader is no reason to give up")
                .isEqualTo(UtpConnection.State.CONNECTED);
        net.runFor(20 * SECOND, t);
        assertThat(a.connection.state()).isEqualTo(UtpConnection.State.CONNECTED);
        assertThat(b.connection.available()).isLessThanOrEqualTo(window);
        t.readerPaused = false;
        assertThat(net.runUntil(() -> t.eof, 60 * SECOND, t)).isTrue();
        assertThat(t.received.toByteArray()).isEqualTo(data);
    }

    @Test
    void pathMtuDiscoveryFindsLargePacketsBetweenTwoJtorrentsOnLoopback() {
        SimNet net = new SimNet(8);
        ConnectionNode b = ConnectionNode.accepting(net, B, A, UtpLimits.DEFAULTS);
        b.ceiling = UtpPacket.MAX_DATAGRAM;
        ConnectionNode a = ConnectionNode.opening(net, A, B, UtpLimits.DEFAULTS, UtpPacket.MAX_DATAGRAM);
        byte[] data = data(8 << 20, 8);
        Transfer t = new Transfer(a, b, data);
        assertThat(net.runUntil(() -> t.eof, 60 * SECOND, t)).isTrue();
        assertThat(t.received.toByteArray()).isEqualTo(data);
        assertThat(a.connection.packetSize()).isGreaterThan(UtpPacket.MAX_DATAGRAM - 2 * PathMtu.DONE_WITHIN);
    }

    @Test
    void aPeerThatDoesNotSayItTakesLargeDatagramsGetsEthernetSizedOnesAtMost() {
        SimNet net = new SimNet(9);
        ConnectionNode b = ConnectionNode.accepting(net, B, A, UtpLimits.DEFAULTS); // ceiling: Ethernet
        ConnectionNode a = ConnectionNode.opening(net, A, B, UtpLimits.DEFAULTS, UtpPacket.MAX_DATAGRAM);
        long[] largest = {0};
        b.behind(datagram -> {
            largest[0] = Math.max(largest[0], datagram.remaining());
            return datagram;
        });
        byte[] data = data(2 << 20, 9);
        Transfer t = new Transfer(a, b, data);
        assertThat(net.runUntil(() -> t.eof, 60 * SECOND, t)).isTrue();
        assertThat(largest[0]).isLessThanOrEqualTo(UtpPacket.ETHERNET_PAYLOAD);
        assertThat(a.connection.packetSize()).isGreaterThan(UtpPacket.ETHERNET_PAYLOAD - 2 * PathMtu.DONE_WITHIN);
    }

    @Test
    void lostProbesLowerTheCeilingToWhatThePathCarries() {
        SimNet net = new SimNet(10);
        ConnectionNode b = ConnectionNode.accepting(net, B, A, UtpLimits.DEFAULTS);
        b.ceiling = UtpPacket.MAX_DATAGRAM;
        ConnectionNode a = ConnectionNode.opening(net, A, B, UtpLimits.DEFAULTS, UtpPacket.MAX_DATAGRAM);
        int path = 9_000;
        // A jumbo-frame path: a datagram larger than it is lost the first time (the router drops it and tells the
        // kernel by ICMP), and fragmented to fit when sent again, as Linux does with DF set.
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        b.behind(datagram -> {
            int seq = datagram.getShort(datagram.position() + 16) & 0xFFFF;
            return datagram.remaining() <= path || !seen.add(seq) ? datagram : null;
        });
        byte[] data = data(16 << 20, 10);
        Transfer t = new Transfer(a, b, data);
        assertThat(net.runUntil(() -> t.eof, 120 * SECOND, t)).isTrue();
        assertThat(t.received.toByteArray()).isEqualTo(data);
        assertThat(a.connection.packetSize()).isBetween(path - 2 * PathMtu.DONE_WITHIN, path);
    }

    @Test
    void anIdleConnectionSendsAKeepAliveAfterTwentyNineSeconds() {
        SimNet net = new SimNet(11);
        ConnectionNode b = ConnectionNode.accepting(net, B, A, UtpLimits.DEFAULTS);
        ConnectionNode a = ConnectionNode.opening(net, A, B, UtpLimits.DEFAULTS, UtpPacket.ETHERNET_PAYLOAD);
        a.connection.write(ByteBuffer.wrap(new byte[] {1}), net.now());
        net.runFor(SECOND, () -> {
            if (b.connection != null) {
                b.connection.read(ByteBuffer.allocate(10));
            }
        });
        long sentBefore = net.sentFrom.get(A);
        net.runFor(UtpConnection.KEEPALIVE_NANOS - 2 * SECOND, () -> { });
        assertThat(net.sentFrom.get(A)).as("quiet before").isEqualTo(sentBefore);
        net.runFor(2 * SECOND, () -> { });
        assertThat(net.sentFrom.get(A)).as("one keep-alive").isEqualTo(sentBefore + 1);
        net.runFor(60 * SECOND, () -> { });
        assertThat(a.connection.state()).isEqualTo(UtpConnection.State.CONNECTED);
        assertThat(b.connection.state()).isEqualTo(UtpConnection.State.CONNECTED);
    }

    @Test
    void aLostAnswerToTheSynIsSentAgainWhenTheSynIsResent() {
        SimNet net = new SimNet(12);
        ConnectionNode b = ConnectionNode.accepting(net, B, A, UtpLimits.DEFAULTS);
        int[] fromB = {0};
        ConnectionNode a = ConnectionNode.opening(net, A, B, UtpLimits.DEFAULTS, UtpPacket.ETHERNET_PAYLOAD);
        a.behind(datagram -> fromB[0]++ > 0 ? datagram : null); // the first answer is lost
        net.runFor(SECOND / 2, () -> { });
        assertThat(a.connection.state()).isEqualTo(UtpConnection.State.SYN_SENT);
        net.runFor(SECOND, () -> { });
        assertThat(a.connection.state()).isEqualTo(UtpConnection.State.CONNECTED);
        assertThat(net.sentFrom.get(B)).isEqualTo(2L);
        assertThat(b.connection.recvId()).isEqualTo(a.connection.sendId());
    }

    @Test
    void aFinThatIsNeverAcknowledgedEndsTheConnectionAfterItsResends() {
        SimNet net = new SimNet(13);
        ConnectionNode b = ConnectionNode.accepting(net, B, A, UtpLimits.DEFAULTS);
        ConnectionNode a = ConnectionNode.opening(net, A, B, UtpLimits.DEFAULTS, UtpPacket.ETHERNET_PAYLOAD);
        a.connection.write(ByteBuffer.wrap(new byte[] {1}), net.now());
        net.runFor(SECOND / 10, () -> { });
        b.listening = false; // the peer is gone
        long sentBefore = net.sentFrom.get(A);
        a.connection.close(net.now());
        assertThat(a.connection.state()).isEqualTo(UtpConnection.State.FIN_SENT);
        assertThat(net.runUntil(() -> a.connection.isFinished(), 60 * SECOND, () -> { })).isTrue();
        assertThat(a.connection.state()).as("a close, not a failure").isEqualTo(UtpConnection.State.CLOSED);
        assertThat(net.sentFrom.get(A) - sentBefore).isEqualTo(1L + UtpConnection.MAX_FIN_TIMEOUTS);
    }

    @Test
    void aPacketThePathAlwaysDropsWhileLaterOnesArriveEndsTheConnectionWithAReason() {
        SimNet net = new SimNet(14);
        net.delayNanos = 50_000_000; // a long path: the window around the gap takes many round trips to fill
        // a receiver with room for all the sender can have in flight, so later packets keep arriving around the gap
        UtpLimits roomy = new UtpLimits(10, 8, 100, 16 << 20, 2 << 20, 2_000, 64 << 20);
        ConnectionNode b = ConnectionNode.accepting(net, B, A, roomy);
        ConnectionNode a = ConnectionNode.opening(net, A, B, UtpLimits.DEFAULTS, UtpPacket.ETHERNET_PAYLOAD);
        int[] doomed = {-1};
        int[] data = {0};
        b.behind(datagram -> {
            int type = (datagram.get(datagram.position()) & 0xFF) >> 4;
            int seq = datagram.getShort(datagram.position() + 16) & 0xFFFF;
            if (type == UtpType.DATA.ordinal() && ++data[0] == 100) {
                doomed[0] = seq; // a packet a black hole swallows every time
            }
            return seq == doomed[0] && type == UtpType.DATA.ordinal() ? null : datagram;
        });
        Transfer t = new Transfer(a, b, data(64 << 20, 14));
        assertThat(net.runUntil(() -> a.connection.isFinished(), 300 * SECOND, t)).isTrue();
        assertThat(a.connection.state()).isEqualTo(UtpConnection.State.RESET);
        assertThat(a.connection.failure()).contains("lost " + (UtpConnection.MAX_FAST_RESENDS_OF_A_PACKET + 1)
                + " times");
    }

    @Test
    void oneSelectiveAckFastResendsAtMostMaxFastResendsPackets() {
        SimNet net = new SimNet(15);
        net.delayNanos = 20_000_000;
        UtpLimits roomy = new UtpLimits(10, 8, 100, 16 << 20, 2 << 20, 2_000, 64 << 20);
        ConnectionNode b = ConnectionNode.accepting(net, B, A, roomy);
        ConnectionNode a = ConnectionNode.opening(net, A, B, UtpLimits.DEFAULTS, UtpPacket.ETHERNET_PAYLOAD);
        // Once the window is wide, B loses every fourth packet of a run: more gaps than one acknowledgement may have
        // resent, each followed by DUP_ACK_LIMIT packets that arrive. A hears none of B's acknowledgements meanwhile,
        // so the first one it hears again reports every gap at once.
        int start = 2_000;
        int gaps = UtpConnection.MAX_FAST_RESENDS + 4;
        int end = start + (UtpConnection.DUP_ACK_LIMIT + 1) * gaps;
        int[] dataAtB = {0};
        java.util.Set<Integer> lost = new java.util.HashSet<>();
        b.behind(datagram -> {
            if (type(datagram) != UtpType.DATA) {
                return datagram;
            }
            int n = ++dataAtB[0];
            boolean dropped = n >= start && n < end && (n - start) % (UtpConnection.DUP_ACK_LIMIT + 1) == 0;
            return dropped && lost.add(seq(datagram)) ? null : datagram;
        });
        java.util.Set<Integer> sentByA = new java.util.HashSet<>();
        int[] resentInOneDelivery = {0};
        int[] first = {-1}; // resent for the first acknowledgement that made A resend anything
        a.sendTap = datagram -> {
            if (type(datagram) == UtpType.DATA && !sentByA.add(seq(datagram))) {
                resentInOneDelivery[0]++;
            }
        };
        net.add(A, new SimNet.Node() {
            @Override
            public void deliver(ByteBuffer datagram, InetSocketAddress from) {
                if (dataAtB[0] >= start && dataAtB[0] <= end) {
                    return; // B's acknowledgements of the run are lost
                }
                resentInOneDelivery[0] = 0;
                a.deliver(datagram, from);
                if (first[0] < 0 && resentInOneDelivery[0] > 0) {
                    first[0] = resentInOneDelivery[0];
                }
            }

            @Override
            public void drained() {
                a.drained();
            }

            @Override
            public void tick() {
                a.tick();
            }
        });
        byte[] data = data(16 << 20, 15);
        Transfer t = new Transfer(a, b, data);
        assertThat(net.runUntil(() -> t.eof, 600 * SECOND, t)).as("finished in simulated time").isTrue();
        assertThat(lost).as("gaps made").hasSize(gaps);
        assertThat(first[0]).as("packets resent for the acknowledgement that reported %d gaps", gaps)
                .isEqualTo(UtpConnection.MAX_FAST_RESENDS);
        assertThat(t.received.toByteArray()).isEqualTo(data);
    }

    private static UtpType type(ByteBuffer datagram) {
        return UtpType.values()[(datagram.get(datagram.position()) & 0xFF) >> 4];
    }

    private static int seq(ByteBuffer datagram) {
        return datagram.getShort(datagram.position() + 16) & 0xFFFF;
    }
}
