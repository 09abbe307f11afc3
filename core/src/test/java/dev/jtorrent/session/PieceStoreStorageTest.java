package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.StorageException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PieceStoreStorage} keeps the promises {@link PieceStore} makes to an embedder's store (one write or force at
 * a time, nothing during or after the close, ranges checked, the piece's memory out of its reach) and turns whatever
 * the store does wrong into one line naming the piece.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PieceStoreStorageTest {
    private static final int PIECE = 16 * 1024;

    @TempDir
    Path dir;

    private Torrent torrent;

    @BeforeEach
    void torrent() throws Exception {
        Path content = Files.createDirectories(dir.resolve("stored"));
        Files.write(content.resolve("a.bin"), new byte[3 * PIECE + 10]);
        torrent = LoopbackSwarm.torrentOf(content, PIECE, List.of());
    }

    @Test
    void closeWaitsForTheCallUnderWayAndEveryLaterCallIsRefusedWithoutReachingTheStore() throws Exception {
        Scripted store = new Scripted();
        PieceStoreStorage storage = PieceStoreStorage.open(factory(() -> store), torrent);
        Thread reader = Thread.ofPlatform().start(() -> readQuietly(storage, 0));
        store.entered.await();

        Thread closer = Thread.ofPlatform().start(storage::close);
        awaitBlocked(closer);
        store.release.countDown();
        closer.join();
        reader.join();

        assertThat(store.calls).containsExactly("read 0", "read 0 done", "close");
        assertThatThrownBy(() -> storage.read(1, 0, ByteBuffer.allocate(10))).isInstanceOf(StorageException.class)
                .hasMessage("the store of stored is closed");
        assertThatThrownBy(() -> storage.writePiece(1, ByteBuffer.allocate(PIECE)))
                .isInstanceOf(StorageException.class);
        storage.close();
        assertThat(store.calls).containsExactly("read 0", "read 0 done", "close");
    }

    @Test
    void aForceWaitsForTheWriteUnderWay() throws Exception {
        Scripted store = new Scripted();
        PieceStoreStorage storage = PieceStoreStorage.open(factory(() -> store), torrent);
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                storage.writePiece(0, ByteBuffer.allocateDirect(PIECE));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        store.entered.await();

        Thread forcer = Thread.ofPlatform().start(() -> {
            try {
                storage.force();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        awaitBlocked(forcer);
        store.release.countDown();
        writer.join();
        forcer.join();

        assertThat(store.calls).containsExactly("write 0", "write 0 done", "force");
    }

    @Test
    void theStoreSeesAReadOnlyViewOfThePieceAndTheCallersBufferDoesNotMove() throws Exception {
        Scripted store = new Scripted();
        store.release.countDown();
        PieceStoreStorage storage = PieceStoreStorage.open(factory(() -> store), torrent);
        ByteBuffer piece = ByteBuffer.allocate(PIECE);

        storage.writePiece(1, piece);

        assertThat(store.lastWritten.isReadOnly()).isTrue();
        assertThat(store.lastWritten.remaining()).isZero(); // the store read it all...
        assertThat(piece.position()).isZero(); // ...and the piece's own buffer is where it was
        assertThatThrownBy(() -> storage.writePiece(1, ByteBuffer.allocate(PIECE - 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReadOutsideThePieceIsRefusedBeforeTheStoreIsAsked() throws Exception {
        Scripted store = new Scripted();
        PieceStoreStorage storage = PieceStoreStorage.open(factory(() -> store), torrent);

        assertThatThrownBy(() -> storage.read(3, 5, ByteBuffer.allocate(6)))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("bytes 5 to 11 are not in piece 3 of 10 bytes");
        assertThatThrownBy(() -> storage.read(0, -1, ByteBuffer.allocate(1)))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(store.calls).isEmpty();
    }

    @Test
    void aReadTheStoreFillsOnlyInPartFailsAndOneThatFillsItAllMovesTheBuffer() throws Exception {
        Scripted store = new Scripted();
        store.release.countDown();
        PieceStoreStorage storage = PieceStoreStorage.open(factory(() -> store), torrent);
        store.fill = 100;

        assertThatThrownBy(() -> storage.read(2, 0, ByteBuffer.allocate(200))).isInstanceOf(StorageException.class)
                .hasMessage("cannot read piece 2 from the store: it filled 100 of 200 bytes");

        ByteBuffer whole = ByteBuffer.allocate(300).position(50).limit(150);
        storage.read(2, 0, whole);
        assertThat(whole.position()).isEqualTo(150);
        assertThat(whole.limit()).isEqualTo(150);
    }

    @Test
    void whatTheStoreThrowsBecomesOneLineNamingThePiece() throws Exception {
        Scripted store = new Scripted();
        store.release.countDown();
        PieceStoreStorage storage = PieceStoreStorage.open(factory(() -> store), torrent);

        store.failure = new IOException("the bucket is gone\n  at line 3");
        assertThatThrownBy(() -> storage.writePiece(0, ByteBuffer.allocate(PIECE)))
                .isInstanceOf(StorageException.class)
                .hasMessage("cannot write piece 0 to the store: the bucket is gone at line 3");
        assertThatThrownBy(storage::force).hasMessage("cannot force the store: the bucket is gone at line 3");
        assertThatThrownBy(storage::held)
                .hasMessage("cannot ask the store which pieces it has: the bucket is gone at line 3");

        store.failure = new IllegalStateException("bug");
        assertThatThrownBy(() -> storage.read(1, 0, ByteBuffer.allocate(1))).isInstanceOf(StorageException.class)
                .hasMessage("cannot read piece 1 from the store: java.lang.IllegalStateException: bug");
    }

    @Test
    void aFactoryThatFailsOrOpensNothingIsAnErrorOfOneLine() {
        assertThatThrownBy(() -> PieceStoreStorage.open(factory(() -> null), torrent))
                .isInstanceOf(StorageException.class)
                .hasMessage("cannot open the store of stored: its factory returned null");
        assertThatThrownBy(() -> PieceStoreStorage.open(factory(() -> {
            throw new IllegalArgumentException("no bucket named stored");
        }), torrent)).isInstanceOf(StorageException.class)
                .hasMessage("cannot open the store of stored: java.lang.IllegalArgumentException: no bucket named"
                        + " stored");
    }

    /** A factory whose every open is {@code opener}'s; these tests delete nothing. */
    private static PieceStore.Factory factory(Opener opener) {
        return new PieceStore.Factory() {
            @Override
            public PieceStore open(Torrent torrent) throws IOException {
                return opener.open();
            }

            @Override
            public void delete(Torrent torrent) {
                throw new AssertionError("nothing is deleted here");
            }
        };
    }

    private interface Opener {
        PieceStore open() throws IOException;
    }

    /** Waits until {@code thread} is blocked (or has ended, which the test's assertions then catch). */
    private static void awaitBlocked(Thread thread) {
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING
                && thread.getState() != Thread.State.TERMINATED) {
            Thread.onSpinWait();
        }
    }

    private static void readQuietly(PieceStoreStorage storage, int piece) {
        try {
            storage.read(piece, 0, ByteBuffer.allocate(10));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A store that records its calls, holds the first read or write until {@link #release} (telling {@link
     * #entered} once it is inside), fills reads with as many bytes as {@link #fill} says, and fails every call
     * with {@link #failure} when one is set.
     */
    private static final class Scripted implements PieceStore {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile int fill = Integer.MAX_VALUE;
        volatile Exception failure;
        volatile ByteBuffer lastWritten;

        @Override
        public boolean has(int piece) throws IOException {
            fail();
            return false;
        }

        @Override
        public void writePiece(int piece, ByteBuffer data) throws IOException {
            fail();
            calls.add("write " + piece);
            lastWritten = data;
            data.position(data.limit());
            hold();
            calls.add("write " + piece + " done");
        }

        @Override
        public void read(int piece, int offset, ByteBuffer destination) throws IOException {
            fail();
            calls.add("read " + piece);
            hold();
            destination.position(destination.position() + Math.min(fill, destination.remaining()));
            calls.add("read " + piece + " done");
        }

        @Override
        public void force() throws IOException {
            fail();
            calls.add("force");
        }

        @Override
        public void close() {
            calls.add("close");
        }

        private void hold() {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void fail() throws IOException {
            Exception e = failure;
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
        }
    }
}
