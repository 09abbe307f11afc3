package dev.jtorrent.session;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.jtorrent.Prerequisite;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.peer.Handshaker;
import dev.jtorrent.swarm.SwarmConfig;
import dev.jtorrent.tracker.TrackerServer;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.PeerId;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.jtorrent.session.FakePeer.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 500 connections arrive at a seeding session at once (issue 5: "memory stays bounded"): half send a handshake and
 * then nothing, half send nothing at all. The swarm takes at most its peer limit of them and closes the rest; the
 * silent ones hold at most {@link Handshaker#MAX_INCOMING_HANDSHAKES} handshake slots, the rest closed well before
 * the 10 s handshake timeout; the heap grows by a few MiB; and once the peers that got in leave, an honest leecher
 * downloads the torrent while the silent connections are still open.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HostilePeerFloodTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int CONNECTIONS = 500;
    /**
     * Measured: 8 to 12 MiB, most of it the 50 peers taken in (192 KiB of buffers each); 30 MiB when every silent
     * connection held its handshake slot and a 64 KiB read buffer.
     */
    private static final long HEAP_GROWTH_BOUND = 24L * 1024 * 1024;

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    @Test
    void fiveHundredConnectionsAtOnceAreCappedAndTheSeederServesOn() throws Exception {
        requireFileDescriptorsFor(2 * CONNECTIONS + 200); // both ends of each connection are in this process
        TrackerServer tracker = TrackerServer.start(new InetSocketAddress(LOOPBACK, 0), Duration.ofSeconds(5));
        open.add(tracker);
        Path content = Files.createDirectories(dir.resolve("seed").resolve("data"));
        byte[] bytes = new byte[1024 * 1024];
        new Random(7).nextBytes(bytes);
        Files.write(content.resolve("file.bin"), bytes);
        TorrentBuilder builder = TorrentBuilder.of(content).withPieceLength(Optional.of(32 * 1024))
                .withTrackerTiers(List.of(List.of(tracker.httpAnnounceUrl())));
        Torrent torrent = Torrent.parse(builder.build(builder.plan(), new AtomicLong()));
        Session seeder = session();
        TorrentHandle seed = Adds.checked(seeder, torrent, content.getParent());
        open.add(seed::pause);
        int maxPeers = SwarmConfig.DEFAULT.maxPeers();

        long heapBefore = usedHeap();
        List<Flooder> handshaking = new ArrayList<>();
        List<Flooder> silent = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < CONNECTIONS; i++) {
            Flooder flooder = new Flooder(seeder.port(), i % 2 == 0 ? torrent : null);
            (i % 2 == 0 ? handshaking : silent).add(flooder);
        }

        await("every handshake to be answered: taken in, or closed", Duration.ofSeconds(30),
                () -> handshaking.stream().allMatch(f -> f.offeredPieces || f.closed));
        await("the silent connections past the cap to be closed", Duration.ofSeconds(5),
                () -> silent.stream().filter(f -> !f.closed).count() <= Handshaker.MAX_INCOMING_HANDSHAKES);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("well before the handshake timeout")
                .isLessThan(Handshaker.HANDSHAKE_TIMEOUT);
        long takenIn = handshaking.stream().filter(f -> f.offeredPieces && !f.closed).count();
        assertThat(takenIn).as("peers taken in").isPositive().isLessThanOrEqualTo(maxPeers);
        assertThat(handshaking.stream().filter(f -> f.closed).count()).isGreaterThanOrEqualTo(
                handshaking.size() - maxPeers);
        long growth = usedHeap() - heapBefore;
        assertThat(growth).as("heap growth in bytes").isLessThan(HEAP_GROWTH_BOUND);

        handshaking.forEach(Flooder::close);
        await("the seeder to let the flooders go", Duration.ofSeconds(10), () -> seed.stats().peers() == 0);
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        TorrentHandle leecher = Adds.checked(session(), torrent, downloads);
        open.add(leecher::pause);
        leecher.completion().get(30, TimeUnit.SECONDS);
        assertThat(Files.readAllBytes(downloads.resolve("data/file.bin"))).isEqualTo(bytes);
        silent.forEach(Flooder::close);
    }

    private Session session() throws IOException {
        Session session = Session.start(SessionConfig.builder().bindAddress(LOOPBACK).port(0).build());
        open.add(session);
        return session;
    }

    /**
     * The JVM raises its soft limit on open files to the hard one as it starts (HotSpot's {@code MaxFDLimit}), and
     * {@code .ci/run} raises the hard one first; a machine whose limit is still too low has no room for the flood.
     */
    private static void requireFileDescriptorsFor(long needed) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            long free = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount();
            Prerequisite.require(free >= needed, "needs " + needed + " free file descriptors, has " + free
                    + " (raise the hard limit: ulimit -Hn)");
        }
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /**
     * One connection of the flood: sends a handshake for {@code torrent}, or nothing if it is null, then reads what
     * comes back until the seeder closes it, noting whether it was offered the pieces (a have-all: taken in).
     */
    private final class Flooder {
        private final Socket socket;
        volatile boolean offeredPieces;
        volatile boolean closed;

        Flooder(int port, Torrent torrent) throws IOException {
            socket = new Socket(LOOPBACK, port);
            open.add(socket);
            if (torrent != null) {
                socket.getOutputStream().write(Handshake.of(torrent.infoHash(), PeerId.random("-FL0000-"))
                        .withFast(true).encode());
            }
            Thread.ofVirtual().start(this::read);
        }

        private void read() {
            try {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                in.readFully(new byte[Handshake.LENGTH]);
                while (true) {
                    int length = in.readInt();
                    if (length > 0) {
                        int id = in.readUnsignedByte();
                        in.skipNBytes(length - 1);
                        offeredPieces |= id == 14;
                    }
                }
            } catch (IOException e) {
                closed = true;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
