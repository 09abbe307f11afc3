package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions over uTP on loopback: a download between sessions that speak uTP alone, one over a link that loses and
 * reorders datagrams, which connection a session dials when both speak both transports, and a session without TCP
 * refusing TCP connections.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionUtpTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    /** A session on loopback with no discovery, so that peers are only those the test names. */
    private Session session(boolean tcp, boolean utp) throws IOException {
        return swarm.session(SessionConfig.builder().bindAddress(LOOPBACK).port(0).lsd(false).dht(false)
                .tcp(tcp).utp(utp).build());
    }

    @Test
    void sessionsThatSpeakUtpAloneDownloadBitExact() throws Exception {
        Path content = swarm.content("utp", 3_000_000, 70_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 64 * 1024, List.of());
        Session seeder = session(false, true);
        swarm.add(seeder, torrent, content.getParent());

        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        TorrentHandle handle = swarm.add(session(false, true), torrent, downloads);
        handle.addPeer(new InetSocketAddress(LOOPBACK, seeder.port()));
        handle.completion().get(30, TimeUnit.SECONDS);

        LocalSwarmTest.assertSameTree(content, downloads.resolve("utp"));
    }

    /**
     * The lossy link: every datagram between the two sessions goes through a relay that drops 5% of them
     * and holds back 10% for up to 30 ms, so that they arrive out of order. The download is still bit-exact.
     */
    @Test
    void aDownloadOverUtpStaysBitExactWhenTheLinkLosesAndReorders() throws Exception {
        Path content = swarm.content("lossy", 2_000_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 32 * 1024, List.of());
        Session seeder = session(false, true);
        swarm.add(seeder, torrent, content.getParent());

        try (LossyRelay relay = new LossyRelay(new InetSocketAddress(LOOPBACK, seeder.port()), 0.05, 0.10, 30)) {
            Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
            TorrentHandle handle = swarm.add(session(false, true), torrent, downloads);
            handle.addPeer(relay.address());
            handle.completion().get(45, TimeUnit.SECONDS);

            LocalSwarmTest.assertSameTree(content, downloads.resolve("lossy"));
            assertThat(relay.dropped()).as("datagrams the link lost").isPositive();
            assertThat(relay.delayed()).as("datagrams the link reordered").isPositive();
        }
    }

    /**
     * A session that speaks both reaches a seeder that speaks uTP alone and one that speaks TCP alone: it dials
     * uTP first and TCP half a second later, and keeps the first to connect (which wins when both can is a race,
     * {@code DialRaceTest}'s). Both connections are encrypted: where the uTP seeder's TCP listener, which closes what
     * it accepts, wins the race on a loaded machine, the handshakes are tried again over uTP
     * ({@code HandshakeOverAnotherTransportTest}).
     */
    @Test
    void aSessionThatSpeaksBothReachesSeedersThatSpeakEitherAlone() throws Exception {
        Path content = swarm.content("either", 600_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        Session utpSeeder = session(false, true);
        swarm.add(utpSeeder, torrent, content.getParent()).setUploadLimit(100_000); // slow: seen connected
        Session tcpSeeder = session(true, false);
        swarm.add(tcpSeeder, torrent, content.getParent()).setUploadLimit(100_000);

        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        TorrentHandle handle = swarm.add(session(true, true), torrent, downloads);
        handle.addPeer(new InetSocketAddress(LOOPBACK, utpSeeder.port()));
        handle.addPeer(new InetSocketAddress(LOOPBACK, tcpSeeder.port()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (handle.peers().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(handle.peers()).hasSize(2).allSatisfy(peer -> assertThat(peer.flags()).as("MSE is preferred")
                .contains(PeerStatus.Flag.OUTGOING, PeerStatus.Flag.ENCRYPTED));
        assertThat(handle.peers()).filteredOn(peer -> peer.address().getPort() == utpSeeder.port())
                .singleElement().satisfies(peer -> assertThat(peer.flags()).contains(PeerStatus.Flag.UTP));
        assertThat(handle.peers()).filteredOn(peer -> peer.address().getPort() == tcpSeeder.port())
                .singleElement().satisfies(peer -> assertThat(peer.flags()).doesNotContain(PeerStatus.Flag.UTP));
        handle.completion().get(30, TimeUnit.SECONDS);
        LocalSwarmTest.assertSameTree(content, downloads.resolve("either"));
    }

    @Test
    void aSessionWithoutTcpClosesIncomingTcpConnectionsAtOnce() throws Exception {
        Session session = session(false, true);
        try (Socket socket = new Socket(LOOPBACK, session.port())) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            assertThat(in.read()).as("closed unanswered").isEqualTo(-1);
        }
    }

    /**
     * A UDP relay between one client and a target that drops some datagrams and delays others: the client sends to
     * the relay, which forwards to the target from its one socket, and sends the target's answers back to the
     * client it last heard.
     */
    private static final class LossyRelay implements AutoCloseable {
        private final DatagramChannel channel;
        private final InetSocketAddress target;
        private final double loss;
        private final double reorder;
        private final int maxDelayMillis;
        private final Random random = new Random(16);
        private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        private final AtomicLong dropped = new AtomicLong();
        private final AtomicLong delayed = new AtomicLong();
        private final Thread reader;
        private volatile InetSocketAddress client;

        LossyRelay(InetSocketAddress target, double loss, double reorder, int maxDelayMillis) throws IOException {
            this.channel = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
            this.target = target;
            this.loss = loss;
            this.reorder = reorder;
            this.maxDelayMillis = maxDelayMillis;
            this.reader = Thread.ofPlatform().daemon().name("lossy-relay").start(this::relay);
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) channel.getLocalAddress();
        }

        long dropped() {
            return dropped.get();
        }

        long delayed() {
            return delayed.get();
        }

        private void relay() {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            try {
                while (true) {
                    buffer.clear();
                    InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                    buffer.flip();
                    InetSocketAddress to;
                    if (from.equals(target)) {
                        to = client;
                    } else {
                        client = from;
                        to = target;
                    }
                    if (to == null) {
                        continue;
                    }
                    double dice = random.nextDouble();
                    if (dice < loss) {
                        dropped.incrementAndGet();
                    } else if (dice < loss + reorder) {
                        delayed.incrementAndGet();
                        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining()).put(buffer).flip();
                        later.schedule(() -> send(copy, to), 1 + random.nextInt(maxDelayMillis),
                                TimeUnit.MILLISECONDS);
                    } else {
                        send(buffer, to);
                    }
                }
            } catch (IOException e) {
                // closed: the test is over
            }
        }

        private void send(ByteBuffer datagram, InetSocketAddress to) {
            try {
                channel.send(datagram, to);
            } catch (IOException e) {
                // closed: the test is over
            }
        }

        @Override
        public void close() throws Exception {
            channel.close();
            reader.join(5_000);
            later.shutdownNow();
        }
    }
}
