package dev.jtorrent.swarm;

import dev.jtorrent.storage.Storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * Whole pieces read for uploads, least recently used first out, within a byte budget: peers ask for a piece block
 * by block, and often several peers for the same piece, so one read of the piece serves them all. Shared by the
 * disk-pool threads; the lock is held only around the map, never around a read (virtual threads and blocking I/O:
 * a ReentrantLock, not synchronized).
 *
 * <p>Pieces taken on trust (seeding with {@code --skip-check}) are hashed when they are first read; one that does
 * not match is refused with a {@link CorruptPieceException}, so bad data is never sent.
 */
final class ReadCache {
    private final Storage storage;
    private final IntUnaryOperator pieceSize;
    private final long budget;
    private final IntFunction<byte[]> expectedHash;
    private final Set<Integer> unconfirmed = ConcurrentHashMap.newKeySet();
    /** Pieces being read now, so that a second miss waits for the first read instead of repeating it. */
    private final ConcurrentHashMap<Integer, CompletableFuture<byte[]>> inFlight = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Integer, byte[]> pieces = new LinkedHashMap<>(16, 0.75f, true);
    private long cached;

    ReadCache(Storage storage, IntUnaryOperator pieceSize, long budget, IntFunction<byte[]> expectedHash) {
        this.storage = storage;
        this.pieceSize = pieceSize;
        this.budget = budget;
        this.expectedHash = expectedHash;
    }

    /** Pieces whose data was not checked: each is hashed on its first read. */
    void trustUnchecked(PieceSet pieces) {
        for (int i = pieces.next(0); i >= 0; i = pieces.next(i + 1)) {
            unconfirmed.add(i);
        }
    }

    /** A piece that was trusted without a check and failed its hash on the first read. */
    static final class CorruptPieceException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptPieceException(int piece) {
            super("piece " + piece + " on disk does not match its hash; it is not sent");
        }
    }

    /** Fills {@code dst} with the piece's bytes from {@code begin}, reading the whole piece on a miss. */
    void read(int piece, int begin, ByteBuffer dst) throws IOException {
        dst.put(piece(piece), begin, dst.remaining());
    }

    /**
     * A view of {@code length} bytes of the piece from {@code begin}, reading the whole piece on a miss. The bytes
     * are shared with the cache and with every other view of the piece: read them, never write them. A cached
     * piece's array is never reused, so a view stays valid however long it waits to be sent.
     */
    ByteBuffer block(int piece, int begin, int length) throws IOException {
        return view(piece(piece), begin, length);
    }

    /**
     * The block as {@link #block} gives it, without blocking the caller: a miss is read on {@code pool}, and a
     * request for a piece already being read waits for that read without holding a thread. Two disk threads
     * serving the blocks of one piece used to spend a third of their time parked on each other's read.
     */
    CompletableFuture<ByteBuffer> blockAsync(int piece, int begin, int length, Executor pool) {
        return pieceAsync(piece, pool).thenApply(data -> view(data, begin, length));
    }

    /** A view of the block as {@link #block} gives it if its piece is cached now, else null; never reads. */
    ByteBuffer cachedBlock(int piece, int begin, int length) {
        byte[] data = cachedPiece(piece);
        return data == null ? null : view(data, begin, length);
    }

    private static ByteBuffer view(byte[] piece, int begin, int length) {
        return ByteBuffer.wrap(piece, begin, length).slice();
    }

    /** The piece's bytes, from the cache or read on the calling thread (see {@link #pieceAsync}). */
    private byte[] piece(int piece) throws IOException {
        return await(pieceAsync(piece, Runnable::run));
    }

    /**
     * The piece's bytes, from the cache or read (and for a trusted piece hashed) on {@code pool} on a miss. Requests
     * for the blocks of one piece arrive together: the first to miss reads the piece and the others share that
     * read rather than read the same piece again.
     */
    private CompletableFuture<byte[]> pieceAsync(int piece, Executor pool) {
        byte[] cachedData = cachedPiece(piece);
        if (cachedData != null) {
            return CompletableFuture.completedFuture(cachedData);
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> loading = inFlight.putIfAbsent(piece, mine);
        if (loading != null) {
            return loading;
        }
        pool.execute(() -> {
            try {
                byte[] data = cachedPiece(piece); // it may have been cached between the first look and the claim
                if (data == null) {
                    data = load(piece);
                    remember(piece, data);
                }
                inFlight.remove(piece, mine); // cached now: later misses find it there
                mine.complete(data);
            } catch (IOException | RuntimeException e) {
                inFlight.remove(piece, mine);
                mine.completeExceptionally(e);
            }
        });
        return mine;
    }

    private byte[] load(int piece) throws IOException {
        byte[] data = new byte[pieceSize.applyAsInt(piece)];
        try {
            storage.read(piece, 0, ByteBuffer.wrap(data));
        } catch (dev.jtorrent.storage.MissingDataException e) {
            if (unconfirmed.contains(piece)) {
                throw new CorruptPieceException(piece); // trusted, but its file is missing or short
            }
            throw e;
        }
        if (unconfirmed.contains(piece)) {
            if (!dev.jtorrent.storage.PieceVerifier.matches(expectedHash.apply(piece), ByteBuffer.wrap(data))) {
                throw new CorruptPieceException(piece);
            }
            unconfirmed.remove(piece);
        }
        return data;
    }

    private static byte[] await(CompletableFuture<byte[]> loading) throws IOException {
        try {
            return loading.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    long cachedBytes() {
        lock.lock();
        try {
            return cached;
        } finally {
            lock.unlock();
        }
    }

    private byte[] cachedPiece(int piece) {
        lock.lock();
        try {
            return pieces.get(piece);
        } finally {
            lock.unlock();
        }
    }

    private void remember(int piece, byte[] data) {
        if (data.length > budget) {
            return;
        }
        lock.lock();
        try {
            byte[] previous = pieces.put(piece, data);
            cached += data.length - (previous == null ? 0 : previous.length);
            var oldest = pieces.entrySet().iterator();
            while (cached > budget && oldest.hasNext()) {
                Map.Entry<Integer, byte[]> entry = oldest.next();
                cached -= entry.getValue().length;
                oldest.remove();
            }
        } finally {
            lock.unlock();
        }
    }
}
