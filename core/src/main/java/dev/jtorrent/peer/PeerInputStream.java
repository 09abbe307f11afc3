package dev.jtorrent.peer;

import dev.jtorrent.net.BufferPool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;

/**
 * A buffered socket stream for one connection's reader thread, readable as a stream and as a channel.
 *
 * <ul>
 *   <li>It reads the socket's channel into a direct buffer: the kernel copies into it, and piece data is copied once
 *       more, into the piece's memory. A socket's stream would add two copies: from its temporary direct buffer
 *       into an array, and from the array into the piece.</li>
 *   <li>A read at least as large as the buffer, into a buffer that is empty, goes straight from the socket to the
 *       destination.</li>
 *   <li>{@link #available()} answers from its own buffer when that is not empty and asks the socket only when it
 *       is: the reader asks after every message whether to hand its events over now or wait for the rest of a
 *       burst.</li>
 *   <li>It takes no lock. {@code BufferedInputStream} locks with {@code synchronized} in subclasses, and on JDK 21
 *       a virtual thread that blocks on a socket inside {@code synchronized} pins its carrier thread.</li>
 *   <li>Its buffer is one of a {@link BufferPool}'s: taken at the first read that needs it and given back by
 *       {@link #close()}, so a connection that is never read takes none, and one that ends gives its buffer to the
 *       next at once instead of leaving it to the garbage collector.</li>
 * </ul>
 * Not thread-safe: one reader at a time, and {@link #close()} is the reader's too, after its last read. (To stop a
 * read under way from another thread, close the socket: the read fails, and the reader then closes the stream.)
 */
final class PeerInputStream extends InputStream implements ReadableByteChannel {
    /** What is read: a socket, as far as this stream needs one. */
    interface Source extends ReadableByteChannel {
        /** How many bytes can be read now without blocking. */
        int available() throws IOException;
    }

    /** What {@link #buffer} is while the stream holds none of the pool's: before the first read and after close. */
    private static final ByteBuffer NONE = ByteBuffer.allocate(0);

    private final Source channel;
    private final BufferPool pool;
    /** Between reads: flipped, its remaining bytes are what is buffered. */
    private ByteBuffer buffer = NONE;
    private boolean open = true;

    /** A stream over {@code channel} whose buffer is one of {@code pool}'s. */
    PeerInputStream(Source channel, BufferPool pool) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** A stream over a connection's channel. */
    static PeerInputStream of(PeerChannel channel, BufferPool pool) {
        return new PeerInputStream(new Source() {
            @Override
            public int read(ByteBuffer destination) throws IOException {
                return channel.read(destination);
            }

            @Override
            public int available() throws IOException {
                return channel.available();
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        }, pool);
    }

    @Override
    public int read() throws IOException {
        ensureOpen();
        if (!buffer.hasRemaining() && fill() < 0) {
            return -1;
        }
        return buffer.get() & 0xFF;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        ensureOpen();
        if (length == 0) {
            return 0;
        }
        if (!buffer.hasRemaining() && fill() < 0) {
            return -1;
        }
        int n = Math.min(length, buffer.remaining());
        buffer.get(bytes, offset, n);
        return n;
    }

    /** Reads what is buffered, or one socket read's worth if nothing is, into {@code destination}. */
    @Override
    public int read(ByteBuffer destination) throws IOException {
        ensureOpen();
        if (!destination.hasRemaining()) {
            return 0;
        }
        if (!buffer.hasRemaining()) {
            if (destination.remaining() >= pool.bufferSize()) {
                return channel.read(destination); // as large as our buffer: no point copying through it
            }
            if (fill() < 0) {
                return -1;
            }
        }
        int n = Math.min(destination.remaining(), buffer.remaining());
        destination.put(destination.position(), buffer, buffer.position(), n);
        destination.position(destination.position() + n);
        buffer.position(buffer.position() + n);
        return n;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        int buffered = buffer.remaining();
        return buffered > 0 ? buffered : channel.available();
    }

    @Override
    public long skip(long n) throws IOException {
        ensureOpen();
        if (n <= 0) {
            return 0;
        }
        if (!buffer.hasRemaining() && fill() < 0) {
            return 0;
        }
        int skipped = (int) Math.min(n, buffer.remaining());
        buffer.position(buffer.position() + skipped);
        return skipped;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Closes the socket and gives the buffer back to the pool; by the reader, after its last read. */
    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        try {
            channel.close();
        } finally {
            if (buffer != NONE) {
                pool.give(buffer);
                buffer = NONE;
            }
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }

    /** One read from the socket into the empty buffer, taken first; the count read, or -1 at the end of the stream. */
    private int fill() throws IOException {
        if (buffer == NONE) {
            buffer = pool.take();
        }
        buffer.clear();
        int n;
        try {
            n = channel.read(buffer);
        } finally {
            buffer.flip();
        }
        return n;
    }
}
