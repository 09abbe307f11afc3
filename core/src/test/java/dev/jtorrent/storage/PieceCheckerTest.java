package dev.jtorrent.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PieceCheckerTest {
    /** Pieces of 16 bytes: 0-1 in a, 2 in a and b, 3 in b and pad, 4 in c, 5 in c and d, 6 (3 bytes) in d. */
    private static final SampleTorrent SAMPLE = SampleTorrent.of(16,
            "a.bin=40", "b.bin=12", "pad=12", "c.bin=30", "d.bin=5");

    @TempDir
    Path root;

    @Test
    void findsEveryPieceOfCompleteData() throws Exception {
        writeEverything();
        AtomicLong progress = new AtomicLong();
        assertThat(check(progress)).isEqualTo(all());
        assertThat(progress.get()).isEqualTo(SAMPLE.info().totalLength());
    }

    @Test
    void findsNothingInAnEmptyDirectoryWithoutComplaining() throws Exception {
        AtomicLong progress = new AtomicLong();
        assertThat(check(progress)).isEqualTo(new BitSet());
        assertThat(progress.get()).isEqualTo(SAMPLE.info().totalLength());
    }

    @Test
    void countsThePiecesOfAMissingFileAsAbsent() throws Exception {
        writeEverything();
        Files.delete(root.resolve("t/b.bin"));
        assertThat(check(new AtomicLong())).isEqualTo(bits(0, 1, 4, 5, 6));
    }

    @Test
    void countsThePiecesPastTheEndOfAShortFileAsAbsent() throws Exception {
        writeEverything();
        try (RandomAccessFile file = new RandomAccessFile(root.resolve("t/c.bin").toFile(), "rw")) {
            file.setLength(20);
        }
        assertThat(check(new AtomicLong())).isEqualTo(bits(0, 1, 2, 3, 4, 6));
    }

    @Test
    void rejectsAPieceWithOneWrongByte() throws Exception {
        writeEverything();
        try (RandomAccessFile file = new RandomAccessFile(root.resolve("t/a.bin").toFile(), "rw")) {
            file.seek(20);
            int b = file.read();
            file.seek(20);
            file.write(b ^ 1);
        }
        assertThat(check(new AtomicLong())).isEqualTo(bits(0, 2, 3, 4, 5, 6));
    }

    @Test
    void findsPiecesOfAPartialDownload() throws Exception {
        try (FileStorage storage = FileStorage.open(root, SAMPLE.info())) {
            for (int piece : new int[] {1, 3, 6}) {
                storage.writePiece(piece, SAMPLE.piece(piece));
            }
        }
        // piece 0 reads as zeros from the sparse start of a.bin, which do not match its hash
        assertThat(check(new AtomicLong())).isEqualTo(bits(1, 3, 6));
    }

    @Test
    void checksMemoryStorageToo() throws Exception {
        MemoryStorage storage = new MemoryStorage(SAMPLE.map());
        storage.writePiece(2, SAMPLE.piece(2));
        storage.writePiece(5, SAMPLE.piece(5));
        BitSet present = new PieceChecker(storage, SAMPLE.map(), SAMPLE.info()::pieceHash)
                .check(3, new AtomicLong());
        assertThat(present).isEqualTo(bits(2, 5));
    }

    @Test
    void stopsWhenInterrupted() throws Exception {
        writeEverything();
        try (FileStorage storage = FileStorage.open(root, SAMPLE.info())) {
            PieceChecker checker = new PieceChecker(storage, SAMPLE.map(), SAMPLE.info()::pieceHash);
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> checker.check(2, new AtomicLong()))
                    .isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isFalse();
            assertThat(checker.check(2, new AtomicLong())).isEqualTo(all());
        }
    }

    @Test
    void stopsWithTheErrorWhenTheDiskFails() throws Exception {
        Storage broken = new Storage() {
            @Override
            public void writePiece(int piece, ByteBuffer data) {
            }

            @Override
            public void read(int piece, int begin, ByteBuffer dst) throws IOException {
                throw new StorageException(StorageException.Operation.READ, root, "cannot read x: I/O error", null);
            }

            @Override
            public void force() {
            }

            @Override
            public void close() {
            }
        };
        assertThatThrownBy(() -> new PieceChecker(broken, SAMPLE.map(), SAMPLE.info()::pieceHash)
                .check(2, new AtomicLong())).isInstanceOf(StorageException.class).hasMessage("cannot read x: I/O error");
    }

    @Test
    void onASharedPoolLetsOtherWorkRunBetweenItsPieces() throws Exception {
        MemoryStorage data = new MemoryStorage(SAMPLE.map());
        FileStorageTest.writeAll(data, SAMPLE);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstRead = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Storage logged = new Storage() {
            @Override
            public void read(int piece, int begin, ByteBuffer dst) throws IOException {
                log.add("piece " + piece);
                firstRead.countDown();
                await(release);
                data.read(piece, begin, dst);
            }

            @Override
            public void writePiece(int piece, ByteBuffer bytes) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void force() {
            }

            @Override
            public void close() {
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            FutureTask<BitSet> check = new FutureTask<>(() ->
                    new PieceChecker(logged, SAMPLE.map(), SAMPLE.info()::pieceHash)
                            .check(all(), pool, 1, new AtomicLong()));
            Thread.ofVirtual().start(check);
            firstRead.await();
            pool.execute(() -> log.add("other work")); // queued while piece 0 is read
            release.countDown();

            assertThat(check.get()).isEqualTo(all());
            assertThat(log).startsWith("piece 0", "other work", "piece 1").contains("piece 6");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void failsOnAPoolThatIsShutDown() {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.shutdown();
        assertThatThrownBy(() -> new PieceChecker(new MemoryStorage(SAMPLE.map()), SAMPLE.map(),
                SAMPLE.info()::pieceHash).check(all(), pool, 2, new AtomicLong()))
                .isInstanceOf(IllegalStateException.class).hasCauseInstanceOf(RejectedExecutionException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeEverything() throws IOException {
        try (FileStorage storage = FileStorage.open(root, SAMPLE.info())) {
            FileStorageTest.writeAll(storage, SAMPLE);
        }
    }

    private BitSet check(AtomicLong progress) throws IOException, InterruptedException {
        try (FileStorage storage = FileStorage.open(root, SAMPLE.info())) {
            return new PieceChecker(storage, SAMPLE.map(), SAMPLE.info()::pieceHash).check(3, progress);
        }
    }

    private static BitSet all() {
        BitSet all = new BitSet();
        all.set(0, SAMPLE.info().pieceCount());
        return all;
    }

    private static BitSet bits(int... indexes) {
        BitSet bits = new BitSet();
        for (int index : indexes) {
            bits.set(index);
        }
        return bits;
    }
}
