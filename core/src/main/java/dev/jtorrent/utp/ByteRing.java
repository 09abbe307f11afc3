package dev.jtorrent.utp;

import java.nio.ByteBuffer;

/**
 * A queue of bytes in a circular array that grows by doubling up to a fixed capacity, so that a connection that
 * moves little holds little: the send buffer (bytes written and not yet acknowledged) and the receive buffer (bytes
 * in order and not yet read) of a {@link UtpConnection}. Not thread-safe: its connection's owner guards it.
 */
final class ByteRing {
    static final int INITIAL_BYTES = 16 * 1024;

    private final int capacity;
    private byte[] bytes = new byte[0];
    private int head;
    private int size;

    ByteRing(int capacity) {
        this.capacity = capacity;
    }

    int size() {
        return size;
    }

    int free() {
        return capacity - size;
    }

    int capacity() {
        return capacity;
    }

    /** Bytes held in arrays now, for the memory this ring costs. */
    int allocated() {
        return bytes.length;
    }

    /** Appends as much of {@code src} as fits; returns how much. */
    int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), free());
        ensure(size + n);
        int tail = (head + size) % bytes.length;
        int first = Math.min(n, bytes.length - tail);
        src.get(bytes, tail, first);
        src.get(bytes, 0, n - first);
        size += n;
        return n;
    }

    /** Appends {@code length} bytes of {@code src} from absolute index {@code offset}; the caller checked the room. */
    void write(ByteBuffer src, int offset, int length) {
        ensure(size + length);
        int tail = (head + size) % bytes.length;
        int first = Math.min(length, bytes.length - tail);
        src.get(offset, bytes, tail, first);
        src.get(offset + first, bytes, 0, length - first);
        size += length;
    }

    /** Appends {@code length} bytes of an array; the caller checked the room. */
    void write(byte[] src, int length) {
        write(ByteBuffer.wrap(src), 0, length);
    }

    /** Moves up to {@code dst.remaining()} bytes from the front into {@code dst}; returns how many. */
    int read(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), size);
        copy(0, dst, n);
        discard(n);
        return n;
    }

    /** Copies {@code length} bytes from {@code offset} past the front into {@code dst}, consuming nothing. */
    void copy(int offset, ByteBuffer dst, int length) {
        if (length == 0) {
            return;
        }
        int from = (head + offset) % bytes.length;
        int first = Math.min(length, bytes.length - from);
        dst.put(bytes, from, first);
        dst.put(bytes, 0, length - first);
    }

    /** Drops {@code n} bytes from the front. */
    void discard(int n) {
        if (n == 0) {
            return;
        }
        head = (head + n) % bytes.length;
        size -= n;
        if (size == 0) {
            head = 0;
        }
    }

    private void ensure(int needed) {
        if (needed <= bytes.length) {
            return;
        }
        int length = Math.max(bytes.length, INITIAL_BYTES);
        while (length < needed) {
            length *= 2;
        }
        length = Math.min(length, capacity);
        byte[] grown = new byte[length];
        if (size > 0) {
            int first = Math.min(size, bytes.length - head);
            System.arraycopy(bytes, head, grown, 0, first);
            System.arraycopy(bytes, 0, grown, first, size - first);
        }
        bytes = grown;
        head = 0;
    }
}
