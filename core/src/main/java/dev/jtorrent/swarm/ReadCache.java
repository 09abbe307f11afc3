package dev.jtorrent.swarm;

import dev.jtorrent.budget.FairBudget;
import dev.jtorrent.storage.Storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * Whole pieces read for uploads, least recently used first out, within a byte budget: peers ask for a piece block
 * by block, and often several peers for the same piece, so one read of the piece serves them all. Shared by the
 * disk-pool threads; the lock is held only around the map and the counts, never around a read (virtual threads and
 * blocking I/O: a ReentrantLock, not synchronized).
 *
 * <p>The pieces live in direct memory that is pooled: the file is read into it, and the blocks lent out of it are
 * written to sockets, without the copy through a temporary direct buffer that the JDK makes for heap memory on both
 * sides, and without zeroing a new megabyte for every piece read. Memory is reused only when no block of it is still
 * lent: each piece counts the cache's own hold and one per {@link Lent} block not yet released, and goes back to the
 * pool when the count reaches zero. A block that is never released (its connection died with it queued) only keeps
 * its piece's memory from the pool; it is never reused under it.
 *
 * <p>Direct memory in use is bounded: the budget for cached pieces, half of it for the pool, and a limit for pieces
 * that have left the cache while blocks of theirs wait to be sent ({@link #pinned}). A peer that asks for one block
 * of each of thousands of pieces and reads nothing would otherwise hold a whole piece per block; past the limit, a
 * read of a piece that is not cached is refused with a {@link BusyException} and the request rejected, until the
 * blocks already lent are sent or dropped. (A piece larger than the whole budget is not cached, and is left to the
 * garbage collector once its blocks are sent, as before pieces were pooled; it is counted neither here nor in the
 * session's budget below.)
 *
 * <p>All of this memory, cached, pooled or pinned, also counts against the session's read-cache budget (a {@link
 * FairBudget} that every torrent's cache shares), from its allocation until it is left to the garbage collector. A
 * read the session's budget refuses is refused with a {@link BusyException} as well, after every cache of the
 * session has been asked to give back its pool and its least recently used piece that no block holds.
 *
 * <p>Pieces taken on trust (seeding with {@code --skip-check}) are hashed when they are first read; one that does
 * not match is refused with a {@link CorruptPieceException}, so bad data is never sent.
 */
final class ReadCache {
    private final Storage storage;
    private final IntUnaryOperator pieceSize;
    private final long budget;
    private final long pinnedLimit;
    private final IntFunction<byte[]> expectedHash;
    private final Set<Integer> unconfirmed = ConcurrentHashMap.newKeySet();
    /** Pieces being read now, so that a second miss waits for the first read instead of repeating it. */
    private final ConcurrentHashMap<Integer, CompletableFuture<Cached>> inFlight = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Integer, Cached> pieces = new LinkedHashMap<>(16, 0.75f, true);
    /**
     * Memory of pieces no longer held, for the next reads: half the budget's worth, or one piece, at most. Guarded
     * by {@link #lock}.
     */
    private final ArrayDeque<ByteBuffer> pool = new ArrayDeque<>();
    private long cached;
    /**
     * Memory of pieces that left the cache while lent blocks still hold them; a piece too large to cache is never
     * counted here.
     */
    private long pinned;
    /** This torrent's part of the session's memory for read caches: every buffer this cache allocated and keeps. */
    private final FairBudget.Share memory;

    /**
     * A cache whose memory counts against no budget of the session's (tests).
     *
     * @param budget      bytes of pieces kept in the cache
     * @param pinnedLimit bytes of pieces out of the cache that lent blocks may hold before reads are refused
     */
    ReadCache(Storage storage, IntUnaryOperator pieceSize, long budget, long pinnedLimit,
              IntFunction<byte[]> expectedHash) {
        this(storage, pieceSize, budget, pinnedLimit, expectedHash, FairBudget.unlimited("bytes of read cache"));
    }

    /** A cache whose memory also counts against the session's {@code sessionBudget}. */
    ReadCache(Storage storage, IntUnaryOperator pieceSize, long budget, long pinnedLimit,
              IntFunction<byte[]> expectedHash, FairBudget sessionBudget) {
        this.storage = storage;
        this.pieceSize = pieceSize;
        this.budget = budget;
        this.pinnedLimit = pinnedLimit;
        this.expectedHash = expectedHash;
        // Nobody waits on a read cache's refusal (the request is rejected, and the peer asks again): nothing to wake.
        this.memory = sessionBudget.join(() -> { }, this::reclaim);
    }

    /** Gives all the memory of this cache back to the session's budget: the torrent stopped. */
    void leaveBudget() {
        memory.leave();
    }

    /** Memory of this cache counted against the session's budget; for tests. */
    long memoryHeld() {
        return memory.held();
    }

    /**
     * Another cache of the session was refused memory: gives back the pool, and the least recently used piece if
     * no lent block holds it. Called without the session budget's lock, on the refused cache's thread.
     */
    private void reclaim() {
        long freed = 0;
        lock.lock();
        try {
            for (ByteBuffer buffer : pool) {
                freed += buffer.capacity();
            }
            pool.clear();
            var oldest = pieces.values().iterator();
            if (oldest.hasNext()) {
                Cached piece = oldest.next();
                if (piece.holds == 1) {
                    oldest.remove();
                    cached -= piece.data.limit();
                    piece.holds = 0;
                    freed += piece.data.capacity();
                }
            }
        } finally {
            lock.unlock();
        }
        if (freed > 0) {
            memory.give(freed);
        }
    }

    /**
     * A piece's bytes in direct memory, and how many hold it: the cache while it keeps it, lent blocks, and the read
     * that loaded it until its waiters have their blocks. Both fields are guarded by the cache's lock.
     */
    private static final class Cached {
        final ByteBuffer data;
        /** Zero once the memory went back to the pool, after which it never rises. */
        int holds;
        /** Out of the cache and still held: counted in {@link ReadCache#pinned}. */
        boolean pinned;

        Cached(ByteBuffer data, int holds) {
            this.data = data;
            this.holds = holds;
        }
    }

    /**
     * A block of a cached piece, lent out to be sent: {@link #data} is a view of the piece's memory, valid until
     * {@link #release}, which whoever ends up with the block calls once it is written or dropped. Releasing more
     * than once is harmless.
     */
    final class Lent {
        private final Cached piece;
        private final ByteBuffer data;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lent(Cached piece, ByteBuffer data) {
            this.piece = piece;
            this.data = data;
        }

        /** The block's bytes: read them, never write them, and not after {@link #release}. */
        ByteBuffer data() {
            return data;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                drop(piece);
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
            Lent block = lend(data, begin, length);
            // Null when the piece left the cache, and its memory the pool, between its read and now: read it again.
            return block != null ? CompletableFuture.completedFuture(block) : blockAsync(piece, begin, length, pool);
        });
    }

    /** The block as {@link #blockAsync} lends it if its piece is cached now, else null; never reads. */
    Lent cachedBlock(int piece, int begin, int length) {
        lock.lock();
        try {
            Cached data = pieces.get(piece);
            return data == null ? null : lendLocked(data, begin, length);
        } finally {
            lock.unlock();
        }
    }

    private Lent lend(Cached piece, int begin, int length) {
        lock.lock();
        try {
            return lendLocked(piece, begin, length);
        } finally {
            lock.unlock();
        }
    }

    private boolean hold(Cached piece) {
        lock.lock();
        try {
            return holdLocked(piece);
        } finally {
            lock.unlock();
        }
    }

    /** Takes one more hold of the piece, unless its memory already went back to the pool. */
    private static boolean holdLocked(Cached piece) {
        if (piece.holds == 0) {
            return false;
        }
        piece.holds++;
        return true;
    }

    private Lent lendLocked(Cached piece, int begin, int length) {
        if (piece.holds == 0) {
            return null;
        }
        ByteBuffer view = piece.data.slice(begin, length); // before the hold: a bad range must not leak one
        piece.holds++;
        return new Lent(piece, view);
    }

    /**
     * The piece, from the cache or read (and for a trusted piece hashed) on {@code pool} on a miss. Requests for the
     * blocks of one piece arrive together: the first to miss reads the piece and the others share that read rather
     * than read the same piece again.
     */
    private CompletableFuture<Cached> pieceAsync(int piece, Executor pool) {
        Cached cachedData = cachedPiece(piece);
        if (cachedData != null) {
            return CompletableFuture.completedFuture(cachedData);
        }
        CompletableFuture<Cached> mine = new CompletableFuture<>();
        CompletableFuture<Cached> loading = inFlight.putIfAbsent(piece, mine);
        if (loading != null) {
            return loading;
        }
        pool.execute(() -> {
            try {
                // Held while the requests waiting on this read lend their blocks (complete runs them here): another
                // read evicting the piece meanwhile must not send them all to read it again.
                Cached data = cachedPiece(piece); // it may have been cached between the first look and the claim
                boolean held = data == null || hold(data);
                if (data == null) {
                    data = load(piece); // with the hold already taken
                }
                inFlight.remove(piece, mine); // cached now: later misses find it there
                mine.complete(data);
                if (held) {
                    drop(data);
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
    private Cached load(int piece) throws IOException {
        int size = pieceSize.applyAsInt(piece);
        ByteBuffer memory = memory(size);
        try {
            storage.read(piece, 0, memory.duplicate());
            if (unconfirmed.contains(piece)) {
                if (!dev.jtorrent.storage.PieceVerifier.matches(expectedHash.apply(piece), memory.duplicate())) {
                    throw new CorruptPieceException(piece);
                }
                unconfirmed.remove(piece);
            }
        } catch (dev.jtorrent.storage.MissingDataException e) {
            recycle(memory);
            if (unconfirmed.contains(piece)) {
                throw new CorruptPieceException(piece); // trusted, but its file is missing or short
            }
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            recycle(memory);
            throw e;
        }
        return remember(piece, memory);
    }

    /**
     * {@code size} bytes of memory: pooled when there is some, else new, with room for any piece.
     *
     * @throws BusyException when pieces out of the cache already hold the budget
     */
    private ByteBuffer memory(int size) throws BusyException {
        ByteBuffer memory;
        lock.lock();
        try {
            if (pinned >= pinnedLimit) {
                throw new BusyException();
            }
            memory = size > budget ? null : pool.pollFirst(); // pooled memory is counted: not for one never given back
        } finally {
            lock.unlock();
        }
        if (memory != null && memory.capacity() >= size) {
            return memory.clear().limit(size);
        }
        if (memory != null) {
            this.memory.give(memory.capacity()); // too small for this piece: left to the garbage collector
        }
        int capacity = Math.max(size, pieceSize.applyAsInt(0));
        if (size > budget) {
            // Never cached nor pooled, so never given back here: left uncounted, to the garbage collector.
            return ByteBuffer.allocateDirect(capacity).limit(size);
        }
        // Taken without the cache's lock: a refusal asks every cache, this one too, to give memory back.
        if (!this.memory.tryTake(capacity, System.nanoTime())) {
            throw new BusyException();
        }
        return ByteBuffer.allocateDirect(capacity).limit(size);
    }

    long cachedBytes() {
        lock.lock();
        try {
            return cached;
        } finally {
            lock.unlock();
        }
    }

    /** Memory waiting in the pool; for tests. */
    int pooled() {
        lock.lock();
        try {
            return pool.size();
        } finally {
            lock.unlock();
        }
    }

    private Cached cachedPiece(int piece) {
        lock.lock();
        try {
            return pieces.get(piece);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Caches a piece just read, dropping the least recently used beyond the budget; returns it with one hold for
     * the reader besides the cache's. A piece larger than the whole budget is not cached; it keeps a hold for good
     * instead of the cache's, so its memory is never pooled, and the garbage collector takes it once the blocks
     * lent from it are gone.
     */
    private Cached remember(int piece, ByteBuffer memory) {
        int size = memory.limit();
        Cached data = new Cached(memory, 2);
        if (size > budget) {
            return data;
        }
        lock.lock();
        try {
            Cached previous = pieces.put(piece, data);
            cached += size;
            if (previous != null) {
                cached -= previous.data.limit();
                leaveLocked(previous);
            }
            var oldest = pieces.entrySet().iterator();
            while (cached > budget && oldest.hasNext()) {
                Cached evicted = oldest.next().getValue();
                cached -= evicted.data.limit();
                oldest.remove();
                leaveLocked(evicted);
            }
        } finally {
            lock.unlock();
        }
        return data;
    }

    /** The piece leaves the cache: the cache's hold ends, and if blocks still hold it, it is pinned. */
    private void leaveLocked(Cached piece) {
        dropLocked(piece);
        if (piece.holds > 0) {
            pinLocked(piece);
        }
    }

    private void pinLocked(Cached piece) {
        piece.pinned = true;
        pinned += piece.data.capacity();
    }

    private void drop(Cached piece) {
        lock.lock();
        try {
            dropLocked(piece);
        } finally {
            lock.unlock();
        }
    }

    /** Ends one hold of the piece; the last returns its memory to the pool. */
    private void dropLocked(Cached piece) {
        if (--piece.holds == 0) {
            if (piece.pinned) {
                piece.pinned = false;
                pinned -= piece.data.capacity();
            }
            recycleLocked(piece.data);
        }
    }

    /** Memory of pieces out of the cache that lent blocks hold; for tests. */
    long pinnedBytes() {
        lock.lock();
        try {
            return pinned;
        } finally {
            lock.unlock();
        }
    }

    private void recycle(ByteBuffer memory) {
        if (memory.limit() > budget) {
            return; // never counted (see memory()): left to the garbage collector
        }
        lock.lock();
        try {
            recycleLocked(memory);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Keeps the memory for later reads while the pool holds at most half the budget (or one piece); else leaves it
     * to the GC. A read takes from the pool what an eviction just put there, so it seldom holds more than one.
     */
    private void recycleLocked(ByteBuffer data) {
        if ((pool.isEmpty() || (long) (pool.size() + 1) * data.capacity() <= budget / 2) && !memory.othersWait()) {
            pool.addFirst(data);
        } else {
            memory.give(data.capacity());
        }
    }
}
