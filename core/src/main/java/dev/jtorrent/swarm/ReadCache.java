package dev.jtorrent.swarm;

import dev.jtorrent.budget.FairBudget;
import dev.jtorrent.storage.MissingDataException;
import dev.jtorrent.storage.PieceVerifier;
import dev.jtorrent.storage.Storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * Whole pieces read for uploads, and the blocks lent out of them: peers ask for a piece block by block, and often
 * several peers for the same piece, so one read of the piece serves them all. A miss is read on the disk pool, and
 * the requests for a piece already being read share that read. Shared by the disk-pool threads.
 *
 * <p>The pieces live in direct memory that is pooled ({@link CachedPieces}, which keeps the pieces least recently used
 * first out within a byte budget, and counts who holds each): the file is read into it, and the blocks lent out of it
 * are written to sockets, without the copy through a temporary direct buffer that the JDK makes for heap memory on
 * both sides, and without zeroing a new megabyte for every piece read. Memory is reused only when no block of it is
 * still lent: each piece counts the cache's own hold and one per {@link Lent} block not yet released.
 *
 * <p>Direct memory in use is bounded: the budget for cached pieces, half of it for the pool, and a limit for pieces
 * that have left the cache while blocks of theirs wait to be sent. A peer that asks for one block of each of
 * thousands of pieces and reads nothing would otherwise hold a whole piece per block; past the limit, a read of a
 * piece that is not cached is refused with a {@link BusyException} and the request rejected, until the blocks
 * already lent are sent or dropped. (A piece larger than the whole budget is not cached, and is left to the garbage
 * collector once its blocks are sent, as before pieces were pooled; it is counted neither here nor in the session's
 * budget below.)
 *
 * <p>All of this memory, cached, pooled or pinned, also counts against the session's read-cache budget (a {@link
 * FairBudget} that every torrent's cache shares). A read the session's budget refuses is refused with a
 * {@link BusyException} as well, after every cache of the session has been asked to give back its pool and its least
 * recently used piece that no block holds.
 *
 * <p>Pieces taken on trust (seeding with {@code --skip-check}) are hashed when they are first read; one that does
 * not match is refused with a {@link CorruptPieceException}, so bad data is never sent.
 */
final class ReadCache {
    private final Storage storage;
    private final IntUnaryOperator pieceSize;
    private final IntFunction<byte[]> expectedHash;
    private final Set<Integer> unconfirmed = ConcurrentHashMap.newKeySet();
    /** Pieces being read now, so that a second miss waits for the first read instead of repeating it. */
    private final ConcurrentHashMap<Integer, CompletableFuture<CachedPieces.Piece>> inFlight =
            new ConcurrentHashMap<>();
    private final CachedPieces pieces;

    /**
     * A cache whose memory counts against no budget of the session's, on the real clock (tests).
     *
     * @param budget      bytes of pieces kept in the cache
     * @param pinnedLimit bytes of pieces out of the cache that lent blocks may hold before reads are refused
     */
    ReadCache(Storage storage, IntUnaryOperator pieceSize, long budget, long pinnedLimit,
              IntFunction<byte[]> expectedHash) {
        this(storage, pieceSize, budget, pinnedLimit, expectedHash, FairBudget.unlimited("bytes of read cache"),
                NanoClock.SYSTEM);
    }

    /**
     * A cache whose memory also counts against the session's {@code sessionBudget}, asked at the time of
     * {@code clock}: the swarm's, so that a simulated swarm's cache runs on simulated time too.
     */
    ReadCache(Storage storage, IntUnaryOperator pieceSize, long budget, long pinnedLimit,
              IntFunction<byte[]> expectedHash, FairBudget sessionBudget, NanoClock clock) {
        this.storage = storage;
        this.pieceSize = pieceSize;
        this.expectedHash = expectedHash;
        this.pieces = new CachedPieces(budget, pinnedLimit, pieceSize, sessionBudget, clock);
    }

    /** Gives all the memory of this cache back to the session's budget: the torrent stopped. */
    void leaveBudget() {
        pieces.leaveBudget();
    }

    /** Memory of this cache counted against the session's budget; for tests. */
    long memoryHeld() {
        return pieces.memoryHeld();
    }

    /**
     * A block of a cached piece, lent out to be sent: {@link #data} is a view of the piece's memory, valid until
     * {@link #release}, which whoever ends up with the block calls once it is written or dropped. Releasing more
     * than once is harmless.
     */
    static final class Lent {
        private final CachedPieces pieces;
        private final CachedPieces.Piece piece;
        private final ByteBuffer data;
        private final AtomicBoolean released = new AtomicBoolean();

        /** A block of {@code piece}, for which a hold of it was taken. */
        Lent(CachedPieces pieces, CachedPieces.Piece piece, ByteBuffer data) {
            this.pieces = pieces;
            this.piece = piece;
            this.data = data;
        }

        /** The block's bytes: read them, never write them, and not after {@link #release}. */
        ByteBuffer data() {
            return data;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                pieces.drop(piece);
            }
        }
    }

    /** Pieces whose data was not checked: each is hashed on its first read. */
    void trustUnchecked(PieceSet pieces) {
        for (int i = pieces.next(0); i >= 0; i = pieces.next(i + 1)) {
            unconfirmed.add(i);
        }
    }

    /** A piece that is not cached cannot be read now: pieces out of the cache hold all the memory allowed. */
    static final class BusyException extends IOException {
        private static final long serialVersionUID = 1L;

        BusyException() {
            super("the memory for blocks waiting to be sent is full");
        }
    }

    /** A piece that was trusted without a check and failed its hash on the first read. */
    static final class CorruptPieceException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptPieceException(int piece) {
            super("piece " + piece + " on disk does not match its hash; it is not sent");
        }
    }

    /**
     * A block of {@code length} bytes of the piece from {@code begin}, without blocking the caller: a miss is read on
     * {@code pool}, and a request for a piece already being read waits for that read without holding a thread. Two
     * disk threads serving the blocks of one piece used to spend a third of their time parked on each other's read.
     */
    CompletableFuture<Lent> blockAsync(int piece, int begin, int length, Executor pool) {
        return pieceAsync(piece, pool).thenCompose(data -> {
            Lent block = pieces.lend(data, begin, length);
            // Null when the piece left the cache, and its memory the pool, between its read and now: read it again.
            return block != null ? CompletableFuture.completedFuture(block) : blockAsync(piece, begin, length, pool);
        });
    }

    /** The block as {@link #blockAsync} lends it if its piece is cached now, else null; never reads. */
    Lent cachedBlock(int piece, int begin, int length) {
        return pieces.lendCached(piece, begin, length);
    }

    /**
     * The piece, from the cache or read (and for a trusted piece hashed) on {@code pool} on a miss. Requests for the
     * blocks of one piece arrive together: the first to miss reads the piece and the others share that read rather
     * than read the same piece again.
     */
    private CompletableFuture<CachedPieces.Piece> pieceAsync(int piece, Executor pool) {
        CachedPieces.Piece cachedData = pieces.get(piece);
        if (cachedData != null) {
            return CompletableFuture.completedFuture(cachedData);
        }
        CompletableFuture<CachedPieces.Piece> mine = new CompletableFuture<>();
        CompletableFuture<CachedPieces.Piece> loading = inFlight.putIfAbsent(piece, mine);
        if (loading != null) {
            return loading;
        }
        pool.execute(() -> {
            try {
                // Held while the requests waiting on this read lend their blocks (complete runs them here): another
                // read evicting the piece meanwhile must not send them all to read it again.
                CachedPieces.Piece data = pieces.get(piece); // it may have been cached since the first look
                boolean held = data == null || pieces.hold(data);
                if (data == null) {
                    data = load(piece); // with the hold already taken
                }
                inFlight.remove(piece, mine); // cached now: later misses find it there
                mine.complete(data);
                if (held) {
                    pieces.drop(data);
                }
            } catch (Throwable e) {
                // Errors too (no direct memory left, say): a read that never completes would leave every later
                // request for the piece waiting on it for good.
                inFlight.remove(piece, mine);
                mine.completeExceptionally(e);
            }
        });
        return mine;
    }

    /** Reads the piece into memory from the pool and caches it; the piece comes with one hold for the caller. */
    private CachedPieces.Piece load(int piece) throws IOException {
        int size = pieceSize.applyAsInt(piece);
        ByteBuffer memory = pieces.allocate(size);
        try {
            storage.read(piece, 0, memory.duplicate());
            if (unconfirmed.contains(piece)) {
                if (!PieceVerifier.matches(expectedHash.apply(piece), memory.duplicate())) {
                    throw new CorruptPieceException(piece);
                }
                unconfirmed.remove(piece);
            }
        } catch (MissingDataException e) {
            pieces.recycle(memory);
            if (unconfirmed.contains(piece)) {
                throw new CorruptPieceException(piece); // trusted, but its file is missing or short
            }
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            pieces.recycle(memory);
            throw e;
        }
        return pieces.remember(piece, memory);
    }

    long cachedBytes() {
        return pieces.cachedBytes();
    }

    /** Memory waiting in the pool; for tests. */
    int pooled() {
        return pieces.pooled();
    }

    /** Memory of pieces out of the cache that lent blocks hold; for tests. */
    long pinnedBytes() {
        return pieces.pinnedBytes();
    }
}
