package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.PieceChecker;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.storage.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CheckQueueTest {
    private static final int PIECE = 16 * 1024;
    private static final int PIECES = 4;

    @TempDir
    Path dir;

    @Test
    void checksOneTorrentAtATimeWhileTheNextWaitsItsTurn() throws Exception {
        Path content = Files.createDirectories(dir.resolve("t"));
        Files.write(content.resolve("data"), new byte[PIECE * PIECES]);
        Torrent torrent = LoopbackSwarm.torrentOf(content, PIECE, List.of());
        PieceMap map = PieceMap.of(torrent.info());
        BitSet all = new BitSet();
        all.set(0, PIECES);

        List<String> reads = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstIsReading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CheckQueue checks = new CheckQueue(pool, 2);
            FutureTask<BitSet> first = check(checks, new PieceChecker(
                    logged("first", reads, firstIsReading, release), map, torrent.info()::pieceHash), all);
            firstIsReading.await();
            FutureTask<BitSet> second = check(checks, new PieceChecker(
                    logged("second", reads, new CountDownLatch(1), new CountDownLatch(0)), map,
                    torrent.info()::pieceHash), all);
            while (checks.queued() == 0) {
                Thread.sleep(1);
            }
            Thread.sleep(100);
            assertThat(reads).as("read while the first check runs").doesNotContain("second");

            release.countDown();
            assertThat(first.get()).isEqualTo(all);
            assertThat(second.get()).isEqualTo(all);
            assertThat(reads).containsExactly("first", "first", "first", "first",
                    "second", "second", "second", "second");
        } finally {
            pool.shutdownNow();
        }
    }

    private static FutureTask<BitSet> check(CheckQueue checks, PieceChecker checker, BitSet pieces) {
        FutureTask<BitSet> check = new FutureTask<>(() -> checks.check(checker, pieces, new AtomicLong()));
        Thread.ofVirtual().start(check);
        return check;
    }

    /**
     * Storage of zero bytes (the content above) whose reads are logged under {@code name}, and wait for {@code
     * release} once {@code reading} is counted down.
     */
    private static Storage logged(String name, List<String> reads, CountDownLatch reading, CountDownLatch release) {
        return new Storage() {
            @Override
            public void read(int piece, int begin, ByteBuffer dst) throws IOException {
                reads.add(name);
                reading.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
                dst.put(new byte[dst.remaining()]);
            }

            @Override
            public void writePiece(int piece, ByteBuffer data) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void force() {
            }

            @Override
            public void close() {
            }
        };
    }
}
