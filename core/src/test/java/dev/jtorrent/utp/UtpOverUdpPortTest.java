package dev.jtorrent.utp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.net.UdpPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Endpoints as handlers of the session's shared {@link UdpPort}, whose blocking readers never say the socket drained:
 * the acknowledgements still go (every few packets, and at each tick), and a transfer is bit-exact; the port's
 * other traffic (a DHT message here) is not taken for uTP.
 */
@Timeout(60)
class UtpOverUdpPortTest {
    @Test
    void aStreamRunsBetweenTwoEndpointsOnSharedPorts() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (UdpPort portA = UdpPort.bind(List.of(loopback)); UdpPort portB = UdpPort.bind(List.of(loopback))) {
            UtpEndpoint a = endpoint(portA);
            UtpEndpoint b = endpoint(portB);
            try (UtpTimer ta = UtpTimer.start(a, "a"); UtpTimer tb = UtpTimer.start(b, "b")) {
                SynchronousQueue<UtpStream> accepted = new SynchronousQueue<>();
                b.onAccept(s -> Thread.ofVirtual().start(() -> handOver(accepted, s)));
                InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), portB.port());
                byte[] data = new byte[16 << 20];
                new Random(9).nextBytes(data);
                UtpStream out = a.connect(to, Duration.ofSeconds(5));
                Thread.ofVirtual().start(() -> {
                    try {
                        out.write(ByteBuffer.wrap(data));
                        out.close();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                UtpStream in = accepted.poll(5, TimeUnit.SECONDS);
                assertThat(in).isNotNull();
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
                long total = 0;
                int n;
                long start = System.nanoTime();
                while ((n = in.read(buffer.clear())) >= 0) {
                    digest.update(buffer.flip());
                    total += n;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(total).isEqualTo(data.length);
                assertThat(digest.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
                assertThat(portB.unknown()).isZero();
                System.out.printf("uTP over a shared UdpPort: %d MiB in %.2f s%n", data.length >> 20, seconds);
                in.close();
            }
            a.close();
            b.close();
        }
    }

    private static UtpEndpoint endpoint(UdpPort port) {
        UtpEndpoint endpoint = new UtpEndpoint(port::send, UtpLimits.DEFAULTS, System::nanoTime, new Random(),
                to -> UtpPacket.MAX_DATAGRAM);
        port.register(endpoint);
        return endpoint;
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
