package dev.jtorrent.wire;

import dev.jtorrent.net.BufferPool;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes the handshake and messages to a blocking stream or channel. Small messages collect in one reused buffer
 * and go out together on {@link #flush()} (or when the buffer fills), so a burst of requests or haves costs one
 * write.
 *
 * <p>On a channel that gathers (a socket channel), large payloads (piece data above all) are not copied: the
 * writer keeps a list of buffers, slices of its own buffer for the headers and small messages and the payloads
 * themselves, and writes the list in one gathering write once it holds {@link #GATHER_BYTES} (or on
 * {@link #flush()}). A burst of blocks thus leaves in a few system calls of 256 KiB, not one per 16 KiB block: the
 * receiver gets fewer, larger segments, which costs it less too.
 *
 * <p>On a stream every write is a system call and, with {@code TCP_NODELAY}, a packet of its own, so there a piece's
 * 13-byte header would go out alone and each block would cost a call: messages that fit the buffer are copied into
 * it instead, and a burst of blocks leaves in one call. The copy costs far less than the calls and packets it
 * saves.
 *
 * <p>The batch buffer is the writer's own, or one of a {@link BufferPool}'s: taken when the first message is queued
 * and given back by {@link #close()}, so a connection that never sends takes none, and one that ends gives its
 * buffer to the next at once instead of leaving it to the garbage collector. Meant for a connection's writer thread,
 * {@link #close()} included; not thread-safe.
 */
public final class WireWriter implements Flushable, Closeable {
    /** Messages up to this size are copied into the batch; bigger ones are written from where they are. */
    private static final int COPY_LIMIT = 1024;
    public static final int DEFAULT_BATCH_SIZE = 16 * 1024;
    /** On streams: room for several 16 KiB blocks with their headers, so a burst of them is one write. */
    static final int STREAM_BATCH_SIZE = 128 * 1024;
    /** On gathering channels: payload bytes held back for one write at most. */
    static final int GATHER_BYTES = 256 * 1024;
    /** On gathering channels: payloads held back at most, each with the header slice before it. */
    private static final int GATHER_PAYLOADS = 32;

    private final WritableByteChannel out;
    /** {@link #out} when it gathers, else null. */
    private final GatheringByteChannel gathering;
    /** Where {@link #batch} comes from and goes back to; null when the writer made its own. */
    private final BufferPool pool;
    private final int batchSize;
    /** Null while the writer holds no batch: before the first message, when pooled, and after {@link #close()}. */
    private ByteBuffer batch;
    private boolean closed;
    /** What the next gathering write sends, in order: slices of {@link #batch} and payloads. */
    private final ByteBuffer[] gather;
    private int gathered;
    private long gatheredPayload;
    /** Where the bytes of {@link #batch} not yet in a slice of {@link #gather} start. */
    private int sliced;

    /** A writer over {@code out}, which must be in blocking mode, batching up to {@code batchSize} bytes. */
    public WireWriter(WritableByteChannel out, int batchSize) {
        this(out, null, batchSize);
        // Direct on a channel, which would otherwise copy it into a temporary direct buffer at every write.
        this.batch = gathering != null ? ByteBuffer.allocateDirect(batchSize) : ByteBuffer.allocate(batchSize);
    }

    public WireWriter(WritableByteChannel out) {
        this(out, DEFAULT_BATCH_SIZE);
    }

    /**
     * A writer over {@code out}, which must be in blocking mode, whose batch is one of {@code pool}'s direct
     * buffers from its first message until {@link #close()}.
     */
    public WireWriter(WritableByteChannel out, BufferPool pool) {
        this(out, Objects.requireNonNull(pool, "pool"), pool.bufferSize());
    }

    private WireWriter(WritableByteChannel out, BufferPool pool, int batchSize) {
        this.out = Objects.requireNonNull(out, "out");
        this.gathering = out instanceof GatheringByteChannel g ? g : null;
        if (batchSize < Handshake.LENGTH + COPY_LIMIT) {
            throw new IllegalArgumentException("batch size must be at least " + (Handshake.LENGTH + COPY_LIMIT));
        }
        this.pool = pool;
        this.batchSize = batchSize;
        this.gather = gathering != null ? new ByteBuffer[2 * GATHER_PAYLOADS + 1] : null;
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
     * Queues {@code message}; it is sent by {@link #flush()} at the latest. A large message's payload is not
     * copied: it is read where it is, without being consumed (its position stays put), and must not change until
     * the next {@link #flush()} returns.
     */
    public void write(Message message) throws IOException {
        int length = WireCodec.encodedLength(message);
        if (length <= COPY_LIMIT || (gathering == null && length <= batchSize)) {
            room(length);
            WireCodec.encode(message, batch);
            return;
        }
        ByteBuffer bulk = WireCodec.bulk(message);
        room(length - bulk.remaining());
        WireCodec.encodeHeader(message, batch);
        if (gathering == null) {
            batch.flip();
            writeFully(batch);
            batch.clear();
            writeFully(bulk);
            return;
        }
        gather[gathered++] = batch.slice(sliced, batch.position() - sliced);
        sliced = batch.position();
        gather[gathered++] = bulk;
        gatheredPayload += bulk.remaining();
        if (gatheredPayload >= GATHER_BYTES || gathered >= 2 * GATHER_PAYLOADS) {
            drain();
        }
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

    /**
     * Closes the channel and gives the batch back to its pool; what is queued and not yet sent is dropped. Once it
     * is back the batch may be another connection's, so call this only when no write of this writer's is under way:
     * from the thread that writes, when it is done.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } finally {
            if (gathering != null) {
                Arrays.fill(gather, 0, gathered, null); // slices of the batch, and payloads that are not ours
            }
            gathered = 0;
            if (batch != null && pool != null) {
                pool.give(batch);
            }
            batch = null;
        }
    }

    /** Makes room in the batch for {@code bytes}, sending what is queued if it has to; takes the batch first. */
    private void room(int bytes) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (batch == null) {
            batch = pool.take();
        } else if (batch.remaining() < bytes) {
            drain();
        }
    }

    private void drain() throws IOException {
        if (batch == null) {
            return; // nothing was ever queued
        }
        if (gathered > 0) {
            if (batch.position() > sliced) {
                gather[gathered++] = batch.slice(sliced, batch.position() - sliced);
            }
            writeFully(gather, gathered);
            Arrays.fill(gather, 0, gathered, null); // the payloads are not ours to keep
            gathered = 0;
            gatheredPayload = 0;
        } else if (batch.position() > 0) {
            batch.flip();
            writeFully(batch);
        }
        batch.clear();
        sliced = 0;
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private void writeFully(ByteBuffer[] buffers, int count) throws IOException {
        int first = 0;
        while (first < count) {
            gathering.write(buffers, first, count - first);
            while (first < count && !buffers[first].hasRemaining()) {
                first++;
            }
        }
    }
}
