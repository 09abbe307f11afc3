package dev.jtorrent.session;

import dev.jtorrent.dht.Dht;
import dev.jtorrent.dht.DhtConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.jtorrent.session.LoopbackSwarm.LOOPBACK;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One UDP port for a session: the DHT answers on its listen port, and its UDP tracker announces leave from that port
 * and are answered there, both at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionUdpPortTest {
    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void theDhtAndAUdpTrackerShareTheListenPort() throws Exception {
        Session session = swarm.session();
        assertThat(session.dht()).hasValueSatisfying(
                dht -> assertThat(dht.localAddress()).isEqualTo(new InetSocketAddress(LOOPBACK, session.port())));
        try (UdpTrackerStub tracker = new UdpTrackerStub();
             Dht node = Dht.start(DhtConfig.builder()
                     .bind(new InetSocketAddress(InetAddress.getByName("127.0.14.1"), 0))
                     .routers(List.of()).allowLocalAddresses(true).build())) {
            Path content = swarm.content("shared", 40_000);
            swarm.add(session, LoopbackSwarm.torrentOf(content, 16_384, List.of(List.of(tracker.url()))),
                    content.getParent());
            node.addNode(new InetSocketAddress(LOOPBACK, session.port()));

            // The announce came from the listen port, and its answer was taken there.
            assertThat(tracker.announces.poll(20, TimeUnit.SECONDS))
                    .isEqualTo(new InetSocketAddress(LOOPBACK, session.port()));
            awaitTrue(() -> handleOf(session).trackers().getFirst().seeders().isPresent());
            assertThat(handleOf(session).trackers().getFirst().error()).isEmpty();
            // The node on the same port answered the other's ping, and pinged it back into its table.
            awaitTrue(() -> node.routingTableSize() == 1);
            awaitTrue(() -> session.dht().orElseThrow().routingTableSize() == 1);
        }
    }

    private static TorrentHandle handleOf(Session session) {
        return session.torrents().getFirst();
    }

    /** A BEP 15 tracker on loopback that answers connects and announces (no peers), and reports who announced. */
    private static final class UdpTrackerStub implements AutoCloseable {
        final BlockingQueue<InetSocketAddress> announces = new ArrayBlockingQueue<>(100);
        private final DatagramChannel channel;

        UdpTrackerStub() throws IOException {
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.bind(new InetSocketAddress(LOOPBACK, 0));
            Thread.ofVirtual().start(this::serve);
        }

        String url() throws IOException {
            return "udp://127.0.0.1:" + ((InetSocketAddress) channel.getLocalAddress()).getPort() + "/announce";
        }

        private void serve() {
            ByteBuffer in = ByteBuffer.allocate(2048);
            while (channel.isOpen()) {
                try {
                    in.clear();
                    InetSocketAddress from = (InetSocketAddress) channel.receive(in);
                    int action = in.getInt(8);
                    int transaction = in.getInt(12);
                    if (action == 0) {
                        channel.send(ByteBuffer.allocate(16).putInt(0).putInt(transaction).putLong(42).flip(), from);
                    } else if (action == 1) {
                        announces.add(from);
                        channel.send(ByteBuffer.allocate(20).putInt(1).putInt(transaction).putInt(1800).putInt(0)
                                .putInt(1).flip(), from);
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(end);
            Thread.sleep(50);
        }
    }
}
