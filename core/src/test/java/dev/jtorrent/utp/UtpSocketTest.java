package dev.jtorrent.utp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two {@link UtpSocket}s on loopback: real sockets, real threads, the blocking stream API. */
@Timeout(60)
class UtpSocketTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private UtpSocket a;
    private UtpSocket b;

    @AfterEach
    void close() throws IOException {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void transfersSeveralMebibytesBothWaysBitExactAndClosesWithFin() throws Exception {
        a = UtpSocket.open(ANY_LOOPBACK, UtpLimits.DEFAULTS);
        b = UtpSocket.open(ANY_LOOPBACK, UtpLimits.DEFAULTS);
        SynchronousQueue<UtpStream> accepted = new SynchronousQueue<>();
        b.onAccept(s -> Thread.ofVirtual().start(() -> handOver(accepted, s)));
        byte[] data = new byte[12 << 20];
        new Random(1).nextBytes(data);

        UtpStream out = a.connect(b.localAddress(), Duration.ofSeconds(5));
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                out.write(ByteBuffer.wrap(data));
                out.close();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        // the acceptor sees the stream once the opener's first data confirmed it
        UtpStream in = accepted.poll(5, TimeUnit.SECONDS);
        assertThat(in).isNotNull();
        assertThat(in.remoteAddress()).isEqualTo(a.localAddress());
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        ByteBuffer buffer = ByteBuffer.allocate(100_000);
        long total = 0;
        int n;
        while ((n = in.read(buffer.clear())) >= 0) {
            received.update(buffer.flip());
            total += n;
        }
        writing.get(10, TimeUnit.SECONDS);
        assertThat(total).isEqualTo(data.length);
        assertThat(received.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(out.connectionForTest().packetSize()).as("path-MTU discovery on loopback")
                .isGreaterThan(UtpPacket.ETHERNET_PAYLOAD);
        in.close();
    }

    @Test
    void aReadBlockedInOneThreadIsWokenByCloseFromAnother() throws Exception {
        a = UtpSocket.open(ANY_LOOPBACK, UtpLimits.DEFAULTS);
        b = UtpSocket.open(ANY_LOOPBACK, UtpLimits.DEFAULTS);
        b.onAccept(s -> { });
        UtpStream out = a.connect(b.localAddress(), Duration.ofSeconds(5));
        CompletableFuture<Throwable> reading = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out.read(ByteBuffer.allocate(10));
                reading.complete(null);
            } catch (Throwable t) {
                reading.complete(t);
            }
        });
        while (reader.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        out.close();
        assertThat(reading.get(5, TimeUnit.SECONDS)).isInstanceOf(AsynchronousCloseException.class);
    }

    @Test
    void connectingToAPortWithNoOneTimesOutWithAClearError() throws Exception {
        a = UtpSocket.open(ANY_LOOPBACK, UtpLimits.DEFAULTS);
        b = UtpSocket.open(ANY_LOOPBACK, UtpLimits.DEFAULTS); // no acceptor: SYNs are ignored
        assertThatThrownBy(() -> a.connect(b.localAddress(), Duration.ofMillis(300)))
                .isInstanceOf(java.net.SocketTimeoutException.class).hasMessageContaining("timed out");
        assertThat(a.endpoint().connections()).isZero();
    }

    @Test
    void overIpv6LoopbackPacketsStayWithinOneIpv6PacketOfTheLoopbackMtu() throws Exception {
        InetSocketAddress six = new InetSocketAddress(InetAddress.getByName("::1"), 0);
        a = UtpSocket.open(six, UtpLimits.DEFAULTS);
        b = UtpSocket.open(six, UtpLimits.DEFAULTS);
        SynchronousQueue<UtpStream> accepted = new SynchronousQueue<>();
        b.onAccept(s -> Thread.ofVirtual().start(() -> handOver(accepted, s)));
        UtpStream out = a.connect(b.localAddress(), Duration.ofSeconds(5));
        Thread.ofVirtual().start(() -> {
            try {
                out.write(ByteBuffer.allocate(8 << 20));
                out.close();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        UtpStream in = accepted.poll(5, TimeUnit.SECONDS);
        assertThat(in).isNotNull();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        long total = 0;
        int n;
        while ((n = in.read(buffer.clear())) >= 0) {
            total += n;
        }
        assertThat(total).isEqualTo(8 << 20);
        int mtu = java.net.NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress()).getMTU();
        assertThat(out.connectionForTest().packetSize()).isGreaterThan(UtpPacket.ETHERNET_PAYLOAD)
                .isLessThanOrEqualTo(Math.min(UtpPacket.MAX_DATAGRAM, mtu - 48));
    }

    /** Hands an accepted stream to the test's thread, waiting for it to take it. */
    static void handOver(SynchronousQueue<UtpStream> queue, UtpStream stream) {
        try {
            queue.put(stream);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
