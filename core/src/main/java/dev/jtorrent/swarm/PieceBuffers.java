package dev.jtorrent.swarm;

import dev.jtorrent.budget.FairBudget;
import dev.jtorrent.peer.BlockMemory;
import dev.jtorrent.storage.FileStorage;
import dev.jtorrent.wire.BlockRef;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntUnaryOperator;

/**
 * The memory of the pieces being downloaded, shared between the connections' reader threads and the swarm.
 *
 * <p>A received block is copied once: the reader asks {@link #claim} for the block's place in its piece's buffer
 * and reads the socket straight into it. Each block is claimed by compare-and-set, so when two peers send the
 * same block (endgame) only the first writes and the other's data is discarded; a block that is claimed cannot be
 * overwritten while the piece is hashed or written. The swarm thread opens a buffer when it first requests a block
 * of a piece and releases it once the piece is written to its files (before they are forced) or failed. Buffers are
 * pooled.
 *
 * <p>The memory is {@link FileStorage#allocateAligned}'s, so that a piece can go to the disk without another copy:
 * {@link FileStorage} writes such a buffer with direct I/O where the file system allows it, and even a buffered
 * write from direct memory saves the JDK's copy into a temporary direct buffer.
 *
 * <p>The memory counts against the session's budget of pieces in flight ({@link FairBudget}): a piece's buffer
 * is {@linkplain #reserve reserved} before the piece is started, and given back when it leaves the pool (or is
 * released while other torrents wait for memory, or is reclaimed from the pool for them).
 * Buffers in the pool count too, since their memory is allocated. The budget is asked at the time of the swarm's
 * {@link NanoClock}, as the swarm's reservations are (a refused share waits for a while by that clock).
 */
public final class PieceBuffers implements BlockMemory {
    private static final int FREE = 0;
    private static final int WRITING = 1;
    private static final int WRITTEN = 2;

    private final int pieceLength;
    private final IntUnaryOperator pieceSize;
    private final int maxPooled;
    private final NanoClock clock;
    private final ConcurrentHashMap<Integer, PieceBuffer> open = new ConcurrentHashMap<>();
    private final ArrayDeque<ByteBuffer> pool = new ArrayDeque<>();
    private final ReentrantLock poolLock = new ReentrantLock();
    /**
     * This torrent's part of the session's memory for pieces in flight: the buffers open, those in the pool, and
     * those reserved to be allocated, a piece length each.
     */
    private FairBudget.Share memory;
    /** Pooled buffers promised to pieces about to start; guarded by {@link #poolLock}. */
    private int reservedFromPool;
    /** New buffers whose memory was taken from {@link #memory} for pieces about to start; swarm thread only. */
    private int reservedNew;

    /** Buffers on the real clock whose memory is not counted against any budget of the session's (tests). */
    public PieceBuffers(int pieceLength, IntUnaryOperator pieceSize, int maxPooled) {
        this(pieceLength, pieceSize, maxPooled, NanoClock.SYSTEM);
    }

    /**
     * Buffers whose memory is not counted against any budget of the session's until {@link #useBudget}.
     *
     * @param clock the swarm's clock, at whose time memory is taken from the session's budget
     */
    PieceBuffers(int pieceLength, IntUnaryOperator pieceSize, int maxPooled, NanoClock clock) {
        this.pieceLength = pieceLength;
        this.pieceSize = pieceSize;
        this.maxPooled = maxPooled;
        this.clock = clock;
        this.memory = FairBudget.unlimited("bytes of pieces in flight").join(() -> { });
    }

    /**
     * Counts this torrent's buffers against {@code budget}, the session's; {@code wake} is called when memory was
     * given back while this torrent waited for some. Before any buffer is reserved.
     */
    void useBudget(FairBudget budget, Runnable wake) {
        memory.leave();
        memory = budget.join(wake, this::reclaim);
    }

    /**
     * Reserves the memory of one more piece, for a piece about to start: a pooled buffer, or memory taken from the
     * session's budget. The next {@link #open} of a piece not open yet uses it. False when the budget has none to
     * give now. Swarm thread only.
     */
    boolean reserve(long now) {
        poolLock.lock();
        try {
            if (pool.size() > reservedFromPool) {
                reservedFromPool++;
                return true;
            }
        } finally {
            poolLock.unlock();
        }
        if (memory.tryTake(pieceLength, now)) {
            reservedNew++;
            return true;
        }
        return false;
    }

    /** Gives all this torrent's memory back to the session: its swarm stopped. */
    void leaveBudget() {
        poolLock.lock();
        try {
            pool.clear();
            reservedFromPool = 0;
        } finally {
            poolLock.unlock();
        }
        reservedNew = 0;
        memory.leave();
    }

    /**
     * Gives the session back the memory of the buffers in the pool that no piece was promised, for another torrent
     * that was refused some; any thread.
     */
    private void reclaim() {
        int dropped;
        poolLock.lock();
        try {
            dropped = Math.max(0, pool.size() - reservedFromPool);
            for (int i = 0; i < dropped; i++) {
                pool.pollLast();
            }
        } finally {
            poolLock.unlock();
        }
        if (dropped > 0) {
            memory.give((long) dropped * pieceLength);
        }
    }

    /** Memory of this torrent's counted against the session's budget; for tests. */
    long memoryHeld() {
        return memory.held();
    }

    /** The buffer of one piece and who wrote each of its blocks. */
    public static final class PieceBuffer {
        private final int piece;
        private final int length;
        private final ByteBuffer data;
        private final AtomicIntegerArray blocks;
        private final AtomicReferenceArray<Object> writers;

        private PieceBuffer(int piece, int length, ByteBuffer data) {
            this.piece = piece;
            this.length = length;
            this.data = data;
            int count = (length + BlockRef.SIZE - 1) / BlockRef.SIZE;
            this.blocks = new AtomicIntegerArray(count);
            this.writers = new AtomicReferenceArray<>(count);
        }

        public int piece() {
            return piece;
        }

        /** The piece's bytes; read only after every block is written. */
        public ByteBuffer data() {
            return data.slice(0, length);
        }

        /** The peer that wrote block {@code index}, or null. */
        public Object writer(int index) {
            return writers.get(index);
        }

        public int blockCount() {
            return blocks.length();
        }
    }

    /** Opens (or returns the open) buffer of {@code piece}; called by the swarm thread before requesting it. */
    public PieceBuffer open(int piece) {
        return open.computeIfAbsent(piece, p -> new PieceBuffer(p, pieceSize.applyAsInt(p), take()));
    }

    public PieceBuffer get(int piece) {
        return open.get(piece);
    }

    @Override
    public ByteBuffer claim(Object writer, int piece, int begin, int length) {
        PieceBuffer buffer = open.get(piece);
        if (buffer == null || begin % BlockRef.SIZE != 0 || begin >= buffer.length) {
            return null;
        }
        int index = begin / BlockRef.SIZE;
        if (length != Math.min(BlockRef.SIZE, buffer.length - begin)
                || !buffer.blocks.compareAndSet(index, FREE, WRITING)) {
            return null;
        }
        buffer.writers.set(index, writer);
        return buffer.data.slice(begin, length);
    }

    @Override
    public void written(int piece, int begin) {
        PieceBuffer buffer = open.get(piece);
        if (buffer != null) {
            buffer.blocks.compareAndSet(begin / BlockRef.SIZE, WRITING, WRITTEN);
        }
    }

    @Override
    public void abandon(int piece, int begin) {
        PieceBuffer buffer = open.get(piece);
        if (buffer != null) {
            int index = begin / BlockRef.SIZE;
            buffer.writers.set(index, null);
            buffer.blocks.compareAndSet(index, WRITING, FREE);
        }
    }

    /** Frees every block of a piece that failed its hash check, keeping the buffer for the next attempt. */
    public void reset(int piece) {
        PieceBuffer buffer = open.get(piece);
        if (buffer != null) {
            for (int i = 0; i < buffer.blockCount(); i++) {
                buffer.writers.set(i, null);
                buffer.blocks.set(i, FREE);
            }
        }
    }

    /** Closes the buffer of a piece that is on disk; its memory goes back to the pool. */
    public void release(int piece) {
        PieceBuffer buffer = open.remove(piece);
        if (buffer != null) {
            give(buffer.data);
        }
    }

    public int openCount() {
        return open.size();
    }

    /**
     * The memory for a piece being opened, from the pool or new, using the reservation made for it. Opened without
     * one (a caller that never reserves, with an unlimited budget), it takes its memory from the budget now.
     */
    private ByteBuffer take() {
        ByteBuffer pooled;
        boolean fromPool;
        poolLock.lock();
        try {
            pooled = pool.pollFirst();
            fromPool = pooled != null && reservedFromPool > 0;
            if (fromPool) {
                reservedFromPool--;
            }
        } finally {
            poolLock.unlock();
        }
        if (!fromPool) {
            if (reservedNew > 0) {
                reservedNew--;
            } else if (!memory.tryTake(pieceLength, clock.nanoTime())) {
                throw new IllegalStateException("no memory was reserved for a piece");
            }
            if (pooled != null) {
                memory.give(pieceLength); // a pooled buffer, counted already, stands in for the new one
            }
        }
        return pooled != null ? pooled : FileStorage.allocateAligned(pieceLength);
    }

    /**
     * Pools the memory of a piece that is done with it, or gives it back to the session when the pool is full or
     * another torrent waits for memory.
     */
    private void give(ByteBuffer data) {
        boolean pooled = false;
        poolLock.lock();
        try {
            if (pool.size() < maxPooled && !memory.othersWait()) {
                pool.addFirst(data);
                pooled = true;
            }
        } finally {
            poolLock.unlock();
        }
        if (!pooled) {
            memory.give(pieceLength);
        }
    }
}
