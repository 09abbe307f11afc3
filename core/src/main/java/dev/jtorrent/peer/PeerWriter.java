package dev.jtorrent.peer;

import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.WireCodec;
import dev.jtorrent.wire.WireWriter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sending side of a {@link SocketConnection}: what the swarm queues ({@link #send}, never blocking), handed to the
 * writer thread at each {@link #flush} as one item, and that thread's loop ({@link #run}), which writes it to the
 * socket. A peer that stops reading while what is queued for it grows past {@link #MAX_QUEUED_BYTES} is
 * disconnected.
 *
 * <p>Pieces may be lent (by the read cache): their memory is released once written, or when they are dropped
 * unsent. The {@link WireWriter} holds a piece's data back until it flushes, to send many blocks in one call, so lent
 * blocks are released, and their data counted as uploaded, only after a flush. The writer's pooled buffer goes back
 * when the writer thread closes it, after its last write.
 */
final class PeerWriter {
    private static final long MAX_QUEUED_BYTES = 32L * 1024 * 1024;
    /** What a queued message costs beyond its bytes on the wire: the record and its queue node. */
    private static final int MESSAGE_OVERHEAD = 48;
    /** Tells the writer to stop; an object of its own, equal to no message, so that no {@code remove} takes it. */
    private static final Object CLOSE = new Object();
    /** Lent blocks written between two flushes at most, so that their memory goes back soon; see {@link #run}. */
    private static final int RELEASE_EVERY = 16;

    private final SocketConnection connection;
    private final WireWriter writer;
    private final Intake intake;
    /**
     * What waits to be sent: {@link Message}s, {@link LentBlock}s, whose memory is released once written, and
     * {@link Batch}es of both.
     */
    private final LinkedBlockingQueue<Object> outbox = new LinkedBlockingQueue<>();
    /** What {@link #send} queued since the last {@link #flush}; touched by the sending thread alone. */
    private final ArrayList<Object> unflushed = new ArrayList<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    /** When {@link #send} last queued a message. */
    private volatile long lastQueued;
    /** When the writer last took up work or finished a write. */
    private volatile long lastWritten;
    /** The writer has work in hand: between taking it from {@link #outbox} and finishing it. */
    private volatile boolean writing;
    /** Piece data written to the socket and not yet counted by the swarm ({@link #takePayloadWritten}). */
    private final AtomicLong payloadWritten = new AtomicLong();

    /**
     * @param intake told of each request sent, whose block is then wanted from this peer
     * @param now    the time the connection starts, as {@link System#nanoTime()}
     */
    PeerWriter(SocketConnection connection, WireWriter writer, Intake intake, long now) {
        this.connection = connection;
        this.writer = writer;
        this.intake = intake;
        this.lastQueued = now;
        this.lastWritten = now;
    }

    /** A piece whose data is lent (by the read cache): {@code sent} runs once it is written, or dropped. */
    private record LentBlock(Message.Piece piece, Runnable sent) {
    }

    /** The messages of one {@link #flush}, handed to the writer as one item. */
    private record Batch(Object[] items) {
    }

    /** Queues a message until the next {@link #flush}; see {@link SocketConnection#send(Message)}. */
    void send(Message message) {
        queue(message, message);
    }

    /** Queues a piece whose data is lent; see {@link SocketConnection#send(Message.Piece, Runnable)}. */
    void send(Message.Piece piece, Runnable sent) {
        queue(piece, new LentBlock(piece, sent));
    }

    private void queue(Message message, Object item) {
        if (connection.isClosed()) {
            released(item);
            return;
        }
        if (message instanceof Message.Request r) {
            intake.asked(new BlockRef(r.piece(), r.begin(), r.length()));
        }
        long queued = queuedBytes.addAndGet(size(message));
        if (queued > MAX_QUEUED_BYTES) {
            released(item);
            connection.close(CloseReason.of(CloseReason.Kind.TIMED_OUT, "the peer does not read what we send"));
            return;
        }
        unflushed.add(item);
        lastQueued = System.nanoTime();
    }

    /** Hands what {@link #send} queued to the writer, in one piece; on a closed connection, drops it. */
    void flush() {
        if (unflushed.isEmpty()) {
            return;
        }
        Object item = unflushed.size() == 1 ? unflushed.getFirst() : new Batch(unflushed.toArray());
        unflushed.clear();
        if (connection.isClosed()) {
            released(item);
            return;
        }
        outbox.add(item);
        // Closed meanwhile: the writer may have drained the outbox already, and would leave this item in it.
        if (connection.isClosed() && outbox.remove(item)) {
            released(item);
        }
    }

    /** The connection is closed: the writer stops once it is out of its current write, and drops what is left. */
    void stop() {
        outbox.add(CLOSE);
    }

    /** When {@link #send} last queued a message (or the connection started). */
    long lastQueued() {
        return lastQueued;
    }

    /** Whether the writer has had work in hand, without finishing a write, for more than {@code nanos}. */
    boolean stuckFor(long now, long nanos) {
        return writing && now - lastWritten > nanos;
    }

    /** Piece data written to the socket since the last call. */
    long takePayloadWritten() {
        return payloadWritten.getAndSet(0);
    }

    private static Message message(Object item) {
        return item instanceof LentBlock lent ? lent.piece() : (Message) item;
    }

    private static void released(Object item) {
        if (item instanceof LentBlock lent) {
            lent.sent().run();
        } else if (item instanceof Batch batch) {
            for (Object each : batch.items()) {
                released(each);
            }
        }
    }

    /**
     * The writer thread's loop: sends what is queued, flushing when the queue runs dry, until the connection closes
     * or a write fails (which closes it). The writer holds a piece's data back until it flushes (to send many blocks
     * in one call), so lent blocks are released after a flush, and it flushes at least every {@link #RELEASE_EVERY}
     * of them.
     */
    void run() {
        Written written = new Written();
        try {
            while (true) {
                Object item = outbox.take();
                lastWritten = System.nanoTime();
                writing = true;
                if (item == CLOSE) {
                    return;
                }
                do {
                    Object[] items = item instanceof Batch batch ? batch.items() : new Object[] {item};
                    for (int i = 0; i < items.length; i++) {
                        try {
                            write(items[i], written);
                        } catch (IOException | RuntimeException e) {
                            // The item that failed is among the unreleased already; the rest never will be.
                            for (int rest = i + 1; rest < items.length; rest++) {
                                released(items[rest]);
                            }
                            throw e;
                        }
                    }
                    item = outbox.poll();
                } while (item != null && item != CLOSE);
                flushWriter(written);
                writing = false;
                if (item == CLOSE) {
                    return;
                }
            }
        } catch (IOException e) {
            connection.close(CloseReason.of(CloseReason.Kind.NETWORK_ERROR,
                    "cannot send to the peer: " + e.getMessage()));
        } catch (InterruptedException e) {
            connection.close(CloseReason.of(CloseReason.Kind.INTERNAL_ERROR, "interrupted"));
        } catch (RuntimeException e) {
            // Closed, or what is queued later would wait for a writer that is gone, holding its memory.
            connection.close(CloseReason.of(CloseReason.Kind.INTERNAL_ERROR,
                    "internal error writing to the peer: " + e));
        } finally {
            writing = false;
            releaseAll(written.lent); // written or not, the writer is done with them
            for (Object unsent = outbox.poll(); unsent != null; unsent = outbox.poll()) {
                released(unsent);
            }
            SocketConnection.closeOwn(writer); // after the last write: its buffer goes back
        }
    }

    /** What the writer has handed to {@link #writer} since its last flush. */
    private static final class Written {
        /** Lent blocks, released once flushed. */
        final List<Object> lent = new ArrayList<>(RELEASE_EVERY);
        /** Piece data, counted as uploaded once flushed. */
        long payload;
    }

    /** Writes a message or a lent block, flushing every {@link #RELEASE_EVERY} lent blocks to release them. */
    private void write(Object item, Written written) throws IOException {
        Message message = message(item);
        if (item instanceof LentBlock) {
            written.lent.add(item);
        }
        writer.write(message); // which may write what it holds back
        lastWritten = System.nanoTime();
        queuedBytes.addAndGet(-size(message));
        if (message instanceof Message.Piece piece) {
            written.payload += piece.data().remaining();
        }
        if (written.lent.size() >= RELEASE_EVERY) {
            flushWriter(written);
        }
    }

    /** Sends what the writer holds back; what it held is then written: counted, and its lent blocks released. */
    private void flushWriter(Written written) throws IOException {
        writer.flush();
        lastWritten = System.nanoTime();
        payloadWritten.addAndGet(written.payload);
        written.payload = 0;
        releaseAll(written.lent);
    }

    private static void releaseAll(List<Object> items) {
        items.forEach(PeerWriter::released);
        items.clear();
    }

    /**
     * What a queued message costs, for the {@link #MAX_QUEUED_BYTES} cap: a piece its data and header (the data is
     * a view of the read cache's memory); any other message its bytes on the wire and its objects. Counted by the
     * wire alone, a 17-byte reject costs three times what it is counted at, and a peer that floods requests and
     * reads nothing could queue 90 MiB of rejects under the cap.
     */
    private static long size(Message message) {
        return message instanceof Message.Piece piece ? piece.data().remaining() + 13L
                : WireCodec.encodedLength(message) + MESSAGE_OVERHEAD;
    }
}
