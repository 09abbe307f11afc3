package dev.jtorrent.wire;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * Writes the handshake and messages to a blocking stream or channel. Small messages collect in one reused buffer
 * and go out together on {@link #flush()} (or when the buffer fills), so a burst of requests or haves costs one
 * write. On a channel that gathers, large payloads (piece data above all) are written from their own buffers
 * without being copied, after their header, in one gathering write. On a stream every write is a system call and,
 * with {@code TCP_NODELAY}, a packet of its own, so there a piece's 13-byte header would go out alone and each
 * block would cost a call: messages that fit the buffer are copied into it instead, and a burst of blocks leaves
 * in one call. The copy costs far less than the calls and packets it saves. Meant for a connection's writer
 * thread; not thread-safe.
 */
public final class WireWriter implements Flushable {
    /** Messages up to this size are copied into the batch; bigger ones are written from where they are. */
    private static final int COPY_LIMIT = 1024;
    public static final int DEFAULT_BATCH_SIZE = 16 * 1024;
    /** On streams: room for several 16 KiB blocks with their headers, so a burst of them is one write. */
    static final int STREAM_BATCH_SIZE = 128 * 1024;

    private final WritableByteChannel out;
    private final boolean gathers;
    private final ByteBuffer batch;

    /** A writer over {@code out}, which must be in blocking mode, batching up to {@code batchSize} bytes. */
    public WireWriter(WritableByteChannel out, int batchSize) {
        this.out = Objects.requireNonNull(out, "out");
        this.gathers = out instanceof GatheringByteChannel;
        if (batchSize < Handshake.LENGTH + COPY_LIMIT) {
            throw new IllegalArgumentException("batch size must be at least " + (Handshake.LENGTH + COPY_LIMIT));
        }
        this.batch = ByteBuffer.allocate(batchSize);
    }

    public WireWriter(WritableByteChannel out) {
        this(out, DEFAULT_BATCH_SIZE);
    }

    public static WireWriter of(OutputStream out) {
        return new WireWriter(StreamChannels.writing(out), STREAM_BATCH_SIZE);
    }

    /** Queues the 68-byte handshake; call {@link #flush()} to send it. */
    public void writeHandshake(Handshake handshake) throws IOException {
        room(Handshake.LENGTH);
        batch.put(handshake.encode());
    }

    /**
     * Queues {@code message}; it is sent by {@link #flush()} at the latest. Large messages are written at once,
     * with whatever was queued before them. A piece's data buffer is read, not consumed: its position stays put,
     * and it must not change until this method returns.
     */
    public void write(Message message) throws IOException {
        int length = WireCodec.encodedLength(message);
        if (length <= COPY_LIMIT || (!gathers && length <= batch.capacity())) {
            room(length);
            WireCodec.encode(message, batch);
            return;
        }
        ByteBuffer bulk = WireCodec.bulk(message);
        room(length - bulk.remaining());
        WireCodec.encodeHeader(message, batch);
        batch.flip();
        writeFully(batch, bulk);
        batch.clear();
    }

    /** Writes {@code message} and flushes. */
    public void send(Message message) throws IOException {
        write(message);
        flush();
    }

    /** Sends everything queued, and flushes the underlying stream if it is one. */
    @Override
    public void flush() throws IOException {
        drain();
        if (out instanceof Flushable flushable) {
            flushable.flush();
        }
    }

    private void room(int bytes) throws IOException {
        if (batch.remaining() < bytes) {
            drain();
        }
    }

    private void drain() throws IOException {
        if (batch.position() > 0) {
            batch.flip();
            writeFully(batch);
            batch.clear();
        }
    }

    private void writeFully(ByteBuffer... buffers) throws IOException {
        if (out instanceof GatheringByteChannel gathering) {
            while (buffers[0].hasRemaining() || buffers[buffers.length - 1].hasRemaining()) {
                gathering.write(buffers);
            }
            return;
        }
        for (ByteBuffer buffer : buffers) {
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
    }
}
