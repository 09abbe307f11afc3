package dev.jtorrent.swarm;

import dev.jtorrent.budget.FairBudget;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntUnaryOperator;

/**
 * The memory of a {@link ReadCache} and its bookkeeping: the pieces it keeps, least recently used first out within a
 * byte budget; how many hold each piece (the cache itself, each block lent out of it, the read that loaded it); the
 * pool of memory no piece holds; and the pieces that left the cache while lent blocks still hold them (pinned).
 *
 * <p>Memory is reused only when no block of it is still lent: a piece goes back to the pool when its holds reach
 * zero. A block that is never released (its connection died with it queued) only keeps its piece's memory from the
 * pool; it is never reused under it. Direct memory in use is bounded: the budget for cached pieces, half of it for
 * the pool, and {@code pinnedLimit} for pinned pieces, past which new memory is refused with a
 * {@link ReadCache.BusyException}. All of it also counts against the session's read-cache budget, a
 * {@link FairBudget} that every torrent's cache shares, from its allocation until it is left to the garbage
 * collector; the budget is asked at the time of the swarm's {@link NanoClock}, the time the swarm's other takes from
 * the session's budgets are made at (a refused share waits for a while by that clock).
 *
 * <p>Thread-safe: one lock, held only around the map and the counts, never around a read (virtual threads and
 * blocking I/O: no {@code synchronized}, which would pin a carrier on JDK 21).
 */
final class CachedPieces {
    private final long budget;
    private final long pinnedLimit;
    /** New memory has room for a whole piece (piece 0's size) at least, so that pooled memory fits any piece. */
    private final IntUnaryOperator pieceSize;
    private final NanoClock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Integer, Piece> pieces = new LinkedHashMap<>(16, 0.75f, true);
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
     * @param budget        bytes of pieces kept in the cache
     * @param pinnedLimit   bytes of pieces out of the cache that lent blocks may hold before new memory is refused
     * @param pieceSize     the size of each piece
     * @param sessionBudget the session's memory for read caches, which this cache shares
     * @param clock         the swarm's clock
     */
    CachedPieces(long budget, long pinnedLimit, IntUnaryOperator pieceSize, FairBudget sessionBudget,
                 NanoClock clock) {
        this.budget = budget;
        this.pinnedLimit = pinnedLimit;
        this.pieceSize = pieceSize;
        this.clock = clock;
        // Nobody waits on a read cache's refusal (the request is rejected, and the peer asks again): nothing to wake.
        this.memory = sessionBudget.join(() -> { }, this::reclaim);
    }

    /**
     * A piece's bytes in direct memory, and how many hold it: the cache while it keeps it, lent blocks, and the read
     * that loaded it until its waiters have their blocks. Both fields are guarded by the cache's lock.
     */
    static final class Piece {
        final ByteBuffer data;
        /** Zero once the memory went back to the pool, after which it never rises. */
        int holds;
        /** Out of the cache and still held: counted in {@link CachedPieces#pinned}. */
        boolean pinned;

        Piece(ByteBuffer data, int holds) {
            this.data = data;
            this.holds = holds;
        }
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
                Piece piece = oldest.next();
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

    /** The piece if it is cached now, else null. */
    Piece get(int piece) {
        lock.lock();
        try {
            return pieces.get(piece);
        } finally {
            lock.unlock();
        }
    }

    /** Takes one more hold of the piece, unless its memory already went back to the pool. */
    boolean hold(Piece piece) {
        lock.lock();
        try {
            if (piece.holds == 0) {
                return false;
            }
            piece.holds++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A block of {@code piece} lent out, holding it; null if the piece's memory went back to the pool meanwhile.
     *
     * @throws IndexOutOfBoundsException if the block is not inside the piece; no hold is taken then
     */
    ReadCache.Lent lend(Piece piece, int begin, int length) {
        lock.lock();
        try {
            return lendLocked(piece, begin, length);
        } finally {
            lock.unlock();
        }
    }

    /** The block as {@link #lend} lends it if its piece is cached now, else null. */
    ReadCache.Lent lendCached(int piece, int begin, int length) {
        lock.lock();
        try {
            Piece data = pieces.get(piece);
            return data == null ? null : lendLocked(data, begin, length);
        } finally {
            lock.unlock();
        }
    }

    private ReadCache.Lent lendLocked(Piece piece, int begin, int length) {
        if (piece.holds == 0) {
            return null;
        }
        ByteBuffer view = piece.data.slice(begin, length); // before the hold: a bad range must not leak one
        piece.holds++;
        return new ReadCache.Lent(this, piece, view);
    }

    /**
     * {@code size} bytes of memory: pooled when there is some, else new, with room for any piece.
     *
     * @throws ReadCache.BusyException when pinned pieces already hold their limit, or the session's budget refuses
     */
    ByteBuffer allocate(int size) throws ReadCache.BusyException {
        ByteBuffer memory;
        lock.lock();
        try {
            if (pinned >= pinnedLimit) {
                throw new ReadCache.BusyException();
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
        if (!this.memory.tryTake(capacity, clock.nanoTime())) {
            throw new ReadCache.BusyException();
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

    /** Memory of pieces out of the cache that lent blocks hold; for tests. */
    long pinnedBytes() {
        lock.lock();
        try {
            return pinned;
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
    Piece remember(int piece, ByteBuffer memory) {
        int size = memory.limit();
        Piece data = new Piece(memory, 2);
        if (size > budget) {
            return data;
        }
        lock.lock();
        try {
            Piece previous = pieces.put(piece, data);
            cached += size;
            if (previous != null) {
                cached -= previous.data.limit();
                leaveLocked(previous);
            }
            var oldest = pieces.entrySet().iterator();
            while (cached > budget && oldest.hasNext()) {
                Piece evicted = oldest.next().getValue();
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
    private void leaveLocked(Piece piece) {
        dropLocked(piece);
        if (piece.holds > 0) {
            piece.pinned = true;
            pinned += piece.data.capacity();
        }
    }

    /** Ends one hold of the piece; the last returns its memory to the pool. */
    void drop(Piece piece) {
        lock.lock();
        try {
            dropLocked(piece);
        } finally {
            lock.unlock();
        }
    }

    private void dropLocked(Piece piece) {
        if (--piece.holds == 0) {
            if (piece.pinned) {
                piece.pinned = false;
                pinned -= piece.data.capacity();
            }
            recycleLocked(piece.data);
        }
    }

    /** Takes back memory from {@link #allocate} that no piece came to hold (its read failed). */
    void recycle(ByteBuffer memory) {
        if (memory.limit() > budget) {
            return; // never counted (see allocate()): left to the garbage collector
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
