package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.storage.ForwardingChannel;
import dev.jtorrent.tracker.TrackerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A disk far slower than the network: the pieces waiting for it are bounded by the swarm's memory for pieces in
 * flight, so requests, and with them reads from the socket, wait for the disk instead of filling memory.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowDiskTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int PIECE = 256 * 1024;
    private static final long IN_FLIGHT = 4L * 1024 * 1024;
    private static final int SIZE = 24 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void memoryForPiecesStaysWithinItsBoundWhileTheDiskLags() throws Exception {
        Path content = Files.createDirectories(dir.resolve("seed").resolve("slow"));
        byte[] bytes = new byte[SIZE];
        new Random(4).nextBytes(bytes);
        Files.write(content.resolve("file.bin"), bytes);
        try (TrackerServer tracker = TrackerServer.start(new InetSocketAddress(LOOPBACK, 0), Duration.ofSeconds(5));
             Session seeder = Session.start(config());
             Session leecher = Session.start(config().withSwarm(config().swarm().withMaxInFlightBytes(IN_FLIGHT)),
                     (path, options) -> new SlowChannel(FileChannel.open(path, options)))) {
            TorrentBuilder builder = TorrentBuilder.of(content).withPieceLength(Optional.of(PIECE))
                    .withTrackerTiers(List.of(List.of(tracker.httpAnnounceUrl())));
            Torrent torrent = Torrent.parse(builder.build(builder.plan(), new AtomicLong()));
            TorrentHandle seeding = Adds.checked(seeder, torrent, content.getParent());
            // The seed's read cache is direct memory too, in this same JVM: a first download fills it with the
            // whole 24 MiB (within its budget), so that what grows afterwards is the slow leecher's alone.
            try (Session warmer = Session.start(config())) {
                TorrentHandle warming = Adds.checked(warmer, torrent, Files.createDirectories(dir.resolve("warm")));
                warming.completion().get();
                warming.pause();
            }
            BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
            long before = direct.getMemoryUsed();

            Path downloads = Files.createDirectories(dir.resolve("downloads"));
            TorrentHandle handle = Adds.checked(leecher, torrent, downloads);
            long most = 0;
            while (!handle.completion().isDone()) {
                most = Math.max(most, direct.getMemoryUsed() - before);
                Thread.sleep(5);
            }
            handle.completion().get();
            handle.pause();
            seeding.pause();

            // The disk takes 20 ms a piece (12.8 MiB/s), the network far more: without the bound, pieces would
            // pile up in memory towards the whole 24 MiB.
            assertThat(most).as("direct memory held beyond the start").isLessThanOrEqualTo(IN_FLIGHT + 4L * PIECE);
            assertThat(Files.mismatch(content.resolve("file.bin"), downloads.resolve("slow/file.bin")))
                    .isEqualTo(-1L);
        }
    }

    private static SessionConfig config() {
        return SessionConfig.builder().bindAddress(LOOPBACK).port(0).build();
    }

    /** Writes take 20 ms per 256 KiB. */
    private static final class SlowChannel extends ForwardingChannel {
        SlowChannel(FileChannel inner) {
            super(inner);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            try {
                Thread.sleep(Math.max(1, src.remaining() * 20L / PIECE));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return inner.write(src, position);
        }
    }
}
