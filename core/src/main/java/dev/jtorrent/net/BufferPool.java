package dev.jtorrent.net;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Direct buffers of one size, lent to peer connections and taken back the moment a connection is done with them.
 *
 * <p>Direct memory is native memory, and the JVM frees an unreachable direct buffer only after a garbage collection
 * has found it unreachable. A seed's heap holds a few MiB of live objects, so collections can be minutes apart, and
 * buffers that each connection allocated for itself stayed resident until then: 80 KiB for each connection that
 * finished its handshake, about 20 MiB more resident memory for every 250 short connections. From a pool the same
 * few buffers serve connection after connection, and none waits for the collector.
 *
 * <p>What it holds is bounded: at most {@code maxIdle} buffers wait here between connections; one given back beyond
 * that is dropped, for the garbage collector, which happens only after more connections than that were open at
 * once. Buffers in use are not counted against anything: each belongs to one open connection, and open connections
 * are bounded by the swarms' peer limits.
 *
 * <p>A buffer taken from the pool belongs to its taker until the taker gives it back, once; after that, another
 * connection may be using it, so the taker must not touch it again, nor keep a view of it. Thread-safe.
 */
public final class BufferPool {
    private final int bufferSize;
    private final int maxIdle;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}, as are the counts below. */
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();
    private int inUse;
    private long created;

    /**
     * @param bufferSize the capacity of every buffer, in bytes
     * @param maxIdle    buffers kept at most for later while nobody uses them
     */
    public BufferPool(int bufferSize, int maxIdle) {
        if (bufferSize <= 0 || maxIdle < 0) {
            throw new IllegalArgumentException("buffer size must be positive and idle buffers not negative: "
                    + bufferSize + ", " + maxIdle);
        }
        this.bufferSize = bufferSize;
        this.maxIdle = maxIdle;
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** A direct buffer of {@link #bufferSize()} bytes, cleared: an idle one if there is one, else a new one. */
    public ByteBuffer take() {
        ByteBuffer buffer;
        lock.lock();
        try {
            buffer = idle.pollFirst();
            inUse++;
            if (buffer == null) {
                created++;
            }
        } finally {
            lock.unlock();
        }
        return buffer == null ? ByteBuffer.allocateDirect(bufferSize) : buffer.clear();
    }

    /**
     * Takes back a buffer that {@link #take()} gave out; its taker must not touch it any more.
     *
     * @throws IllegalArgumentException if it is not a whole buffer of this pool's size, or nothing is out
     */
    public void give(ByteBuffer buffer) {
        if (!buffer.isDirect() || buffer.capacity() != bufferSize) {
            throw new IllegalArgumentException("not a buffer of this pool: " + buffer);
        }
        lock.lock();
        try {
            if (inUse == 0) {
                throw new IllegalArgumentException("a buffer given back that was not taken: " + buffer);
            }
            inUse--;
            if (idle.size() < maxIdle) {
                idle.addFirst(buffer); // the most recently used first: its pages are the likeliest still resident
            }
        } finally {
            lock.unlock();
        }
    }

    /** Buffers taken and not given back. */
    public int inUse() {
        lock.lock();
        try {
            return inUse;
        } finally {
            lock.unlock();
        }
    }

    /** Buffers waiting for the next {@link #take()}. */
    public int idle() {
        lock.lock();
        try {
            return idle.size();
        } finally {
            lock.unlock();
        }
    }

    /** Buffers allocated since the pool was made; the rest of what {@link #take()} gave out was reused. */
    public long created() {
        lock.lock();
        try {
            return created;
        } finally {
            lock.unlock();
        }
    }
}
