package dev.jtorrent.session;

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
 *   <li>As a channel it copies from its buffer straight into any buffer, direct ones included, so piece data goes
 *       from the socket to the piece's (direct) memory with one copy; the JDK's stream-to-channel adapters would
 *       add one through a temporary array.</li>
 *   <li>{@link #available()} answers from its own buffer when that is not empty and asks the socket only when it
 *       is: the reader asks after every message whether to hand its events over now or wait for the rest of a
 *       burst.</li>
 *   <li>It takes no lock. {@code BufferedInputStream} locks with {@code synchronized} in subclasses, and on JDK 21
 *       a virtual thread that blocks on a socket inside {@code synchronized} pins its carrier thread.</li>
 * </ul>
 * Not thread-safe: one reader at a time.
 */
final class PeerInputStream extends InputStream implements ReadableByteChannel {
    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int count;
    private boolean open = true;

    PeerInputStream(InputStream in, int size) {
        this.in = Objects.requireNonNull(in, "in");
        if (size <= 0) {
            throw new IllegalArgumentException("buffer size must be positive: " + size);
        }
        this.buffer = new byte[size];
    }

    @Override
    public int read() throws IOException {
        if (position >= count && fill() < 0) {
            return -1;
        }
        return buffer[position++] & 0xFF;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        if (position >= count) {
            if (length >= buffer.length) {
                return in.read(bytes, offset, length); // as large as our buffer: no point copying through it
            }
            if (fill() < 0) {
                return -1;
            }
        }
        int n = Math.min(length, count - position);
        System.arraycopy(buffer, position, bytes, offset, n);
        position += n;
        return n;
    }

    /** Reads what is buffered, or one socket read's worth if nothing is, into {@code destination}. */
    @Override
    public int read(ByteBuffer destination) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        if (!destination.hasRemaining()) {
            return 0;
        }
        if (destination.hasArray()) {
            int n = read(destination.array(), destination.arrayOffset() + destination.position(),
                    destination.remaining());
            if (n > 0) {
                destination.position(destination.position() + n);
            }
            return n;
        }
        if (position >= count && fill() < 0) {
            return -1;
        }
        int n = Math.min(destination.remaining(), count - position);
        destination.put(buffer, position, n);
        position += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        int buffered = count - position;
        return buffered > 0 ? buffered : in.available();
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        if (position >= count && fill() < 0) {
            return 0;
        }
        int skipped = (int) Math.min(n, count - position);
        position += skipped;
        return skipped;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        in.close();
    }

    /** One read from the socket into the empty buffer; the count read, or -1 at the end of the stream. */
    private int fill() throws IOException {
        position = 0;
        count = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n > 0) {
            count = n;
        }
        return n;
    }
}
