package dev.jtorrent.peer;

import dev.jtorrent.budget.RateBudget;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerMessageValidator;
import dev.jtorrent.wire.ProtocolException;
import dev.jtorrent.wire.WireCodec;
import dev.jtorrent.wire.WireReader;
import dev.jtorrent.wire.WireWriter;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A peer connection over a socket after both handshakes: a reader thread that decodes messages (piece data straight
 * into the swarm's {@link BlockMemory}, where {@link Intake} lets it) and posts them to the swarm, and a writer thread
 * that sends what the swarm queues. Both are virtual threads doing plain blocking I/O. The swarm never blocks on a peer: {@link #send} only queues, and a peer
 * that stops reading while its queue grows past {@link #MAX_QUEUED_BYTES} is disconnected.
 *
 * <p>What {@link #send} queues reaches the writer at the next {@link #flush}, all at once. The swarm flushes once per
 * turn of its loop, so the requests, haves and blocks of one turn go out in one write: handed over one by one, the
 * first would wake the writer, which would write it alone while the swarm was still queuing the rest (a 1 GiB
 * download made about 400 writes of a single request that way), and each small write also wakes the peer.
 *
 * <p>The input stream and the {@link WireWriter} may hold pooled buffers, which they give back when closed: each is
 * closed by its own thread once that thread is done with it (the reader after its last read, the writer after its
 * last write), whichever way the connection ends, and never by {@link #close}, which only closes the socket and so
 * wakes both threads from any read or write. A connection that is never started never touches either.
 */
public final class SocketConnection implements PeerConnection {
    private static final long MAX_QUEUED_BYTES = 32L * 1024 * 1024;
    /** What a queued message costs beyond its bytes on the wire: the record and its queue node. */
    private static final int MESSAGE_OVERHEAD = 48;
    /** Tells the writer to stop; an object of its own, equal to no message, so that no {@code remove} takes it. */
    private static final Object CLOSE = new Object();
    /** Lent blocks written between two flushes at most, so that their memory goes back soon; see writeLoop. */
    private static final int RELEASE_EVERY = 16;
    /** Events a reader holds back at most while more input is already waiting; see {@link #readLoop}. */
    private static final int MAX_BATCH = 64;

    private final Socket socket;
    private final InputStream input;
    private final InetSocketAddress address;
    private final Handshake remote;
    private final boolean outgoing;
    private final WireReader reader;
    private final WireWriter writer;
    private final Intake intake;
    /** The session's download rate, shared by all its connections; a torrent's own limit comes with {@link #start}. */
    private final RateBudget download;
    /**
     * What waits to be sent: {@link Message}s, {@link LentBlock}s, whose memory is released once written, and
     * {@link Batch}es of both.
     */
    private final LinkedBlockingQueue<Object> outbox = new LinkedBlockingQueue<>();
    /** What {@link #send} queued since the last {@link #flush}; touched by the sending thread alone. */
    private final ArrayList<Object> unflushed = new ArrayList<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile CloseReason closeReason;
    /** When the reader last handed over what arrived, and when {@link #send} last queued a message. */
    private volatile long lastHeard = System.nanoTime();
    private volatile long lastQueued = lastHeard;
    /** When the writer last took up work or finished a write. */
    private volatile long lastWritten = lastHeard;
    /** The writer has work in hand: between taking it from {@link #outbox} and finishing it. */
    private volatile boolean writing;
    /** Piece data written to the socket and not yet counted by the swarm ({@link #takePayloadWritten}). */
    private final AtomicLong payloadWritten = new AtomicLong();

    SocketConnection(Socket socket, Handshake remote, boolean outgoing, InputStream input, WireReader reader,
                     WireWriter writer, PeerMessageValidator validator) {
        this(socket, remote, outgoing, input, reader, writer, validator, RateBudget.unlimited());
    }

    SocketConnection(Socket socket, Handshake remote, boolean outgoing, InputStream input, WireReader reader,
                     WireWriter writer, PeerMessageValidator validator, RateBudget download) {
        this.download = download;
        this.socket = socket;
        this.input = input;
        this.address = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.remote = remote;
        this.outgoing = outgoing;
        this.reader = reader;
        this.writer = writer;
        this.intake = new Intake(this, validator);
    }

    /**
     * A connection on {@code socket}, whose handshakes are done, for a torrent of {@code info}; started by its swarm.
     *
     * @param input the stream {@code reader} reads, asked how much is already buffered so that a burst of blocks
     *              reaches the swarm as one batch
     */
    public static SocketConnection open(Socket socket, Handshake remote, boolean outgoing, InputStream input,
                                        WireReader reader, WireWriter writer, InfoDictionary info) {
        return open(socket, remote, outgoing, input, reader, writer, info, RateBudget.unlimited());
    }

    /**
     * A connection as {@link #open(Socket, Handshake, boolean, InputStream, WireReader, WireWriter, InfoDictionary)}
     * opens it, whose reader also waits after each block for the session's {@code download} rate, so that the
     * socket is read no faster and TCP slows the peer down.
     */
    public static SocketConnection open(Socket socket, Handshake remote, boolean outgoing, InputStream input,
                                        WireReader reader, WireWriter writer, InfoDictionary info,
                                        RateBudget download) {
        PeerMessageValidator validator = new PeerMessageValidator(info.pieceCount(), info::pieceSize,
                remote.supportsFast(), remote.supportsExtensionProtocol());
        return new SocketConnection(socket, remote, outgoing, input, reader, writer, validator, download);
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public Handshake remote() {
        return remote;
    }

    @Override
    public boolean outgoing() {
        return outgoing;
    }

    /**
     * Starts the reader and writer threads; every event goes to {@code events}. Both block without a timeout: the
     * swarm's clock calls {@link #checkTimers} instead. A timed wait on a virtual thread arms and cancels a timer
     * every time it parks, thousands of times a second on a busy connection, which cost more CPU than the parking.
     */
    @Override
    public void start(Consumer<PeerEvent> events, BlockMemory buffers, DownloadLimit limit) {
        try {
            socket.setSoTimeout(0); // the handshake's deadline is over
        } catch (IOException e) {
            close(CloseReason.of(CloseReason.Kind.NETWORK_ERROR,
                    "cannot clear the handshake's read timeout: " + e.getMessage()));
        }
        Thread.ofVirtual().name("peer-reader-" + address).start(() -> readLoop(events, buffers, limit));
        Thread.ofVirtual().name("peer-writer-" + address).start(() -> writeLoop(events));
    }

    /** A piece whose data is lent (by the read cache): {@code sent} runs once it is written, or dropped. */
    private record LentBlock(Message.Piece piece, Runnable sent) {
    }

    /** The messages of one {@link #flush}, handed to the writer as one item. */
    private record Batch(Object[] items) {
    }

    /**
     * Queues a message until the next {@link #flush}; never blocks. Messages are queued and flushed by one thread at
     * a time (the swarm's).
     */
    @Override
    public void send(Message message) {
        queue(message, message);
    }

    /**
     * Queues a piece whose data is lent; {@code sent} runs once the data is written and no longer needed, or when
     * the connection drops the piece unsent. (A piece queued while the connection closes may be neither: the memory
     * is then only not reused, never reused under it.)
     */
    @Override
    public void send(Message.Piece piece, Runnable sent) {
        queue(piece, new LentBlock(piece, sent));
    }

    private void queue(Message message, Object item) {
        if (closed.get()) {
            released(item);
            return;
        }
        if (message instanceof Message.Request r) {
            intake.asked(new BlockRef(r.piece(), r.begin(), r.length()));
        }
        long queued = queuedBytes.addAndGet(size(message));
        if (queued > MAX_QUEUED_BYTES) {
            released(item);
            close(CloseReason.of(CloseReason.Kind.TIMED_OUT, "the peer does not read what we send"));
            return;
        }
        unflushed.add(item);
        lastQueued = System.nanoTime();
    }

    /** Hands what {@link #send} queued to the writer, in one piece; on a closed connection, drops it. */
    @Override
    public void flush() {
        if (unflushed.isEmpty()) {
            return;
        }
        Object item = unflushed.size() == 1 ? unflushed.getFirst() : new Batch(unflushed.toArray());
        unflushed.clear();
        if (closed.get()) {
            released(item);
            return;
        }
        outbox.add(item);
        // Closed meanwhile: the writer may have drained the outbox already, and would leave this item in it.
        if (closed.get() && outbox.remove(item)) {
            released(item);
        }
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
     * Closes a connection on which the peer has sent nothing for {@link #SILENCE_LIMIT_NANOS}, or has taken nothing
     * we sent for {@link #WRITE_STALL_NANOS}, and sends a keep-alive on one where we have sent nothing for
     * {@link #KEEP_ALIVE_NANOS}. Called by the swarm about once a second.
     */
    @Override
    public void checkTimers(long now) {
        if (now - lastHeard > SILENCE_LIMIT_NANOS) {
            close(CloseReason.of(CloseReason.Kind.TIMED_OUT,
                    "the peer sent nothing for " + TimeUnit.NANOSECONDS.toSeconds(SILENCE_LIMIT_NANOS) + " s"));
        } else if (writing && now - lastWritten > WRITE_STALL_NANOS) {
            close(CloseReason.of(CloseReason.Kind.TIMED_OUT,
                    "the peer took nothing we sent for " + TimeUnit.NANOSECONDS.toSeconds(WRITE_STALL_NANOS) + " s"));
        } else if (now - lastQueued > KEEP_ALIVE_NANOS) {
            send(new Message.KeepAlive());
        }
    }

    /** Closes the connection; the reader then reports {@link PeerEvent.Closed} with this reason. */
    @Override
    public void close(CloseReason reason) {
        if (closed.compareAndSet(false, true)) {
            closeReason = reason;
            outbox.add(CLOSE);
            try {
                socket.close();
            } catch (IOException e) {
                // closing a socket that failed: nothing more to do
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Whether the writer has been stuck in a write for {@link #SEND_STALL_NANOS}: the peer does not take what we
     * send. A writer with nothing to write is never stuck.
     */
    @Override
    public boolean sendStalled(long now) {
        return writing && now - lastWritten > SEND_STALL_NANOS;
    }

    /**
     * Piece data written to the socket since the last call: what counts as uploaded, and not what was only queued,
     * or dropped with the connection.
     */
    @Override
    public long takePayloadWritten() {
        return payloadWritten.getAndSet(0);
    }

    private void readLoop(Consumer<PeerEvent> events, BlockMemory buffers, DownloadLimit limit) {
        Intake.Sink sink = intake.sink(buffers);
        // Events are handed over in bursts: while more input is already buffered, they wait here (up to
        // MAX_BATCH), so the swarm thread is woken once per burst rather than once per 16 KiB block. A burst goes as
        // one event: handed over one by one, the first would wake the swarm, which could take it alone.
        List<PeerEvent> batch = new ArrayList<>(MAX_BATCH);
        CloseReason reason;
        try {
            while (true) {
                Message message = reader.read(sink);
                if (message == null) {
                    reason = CloseReason.of(CloseReason.Kind.PEER_CLOSED, "the peer closed the connection");
                    break;
                }
                batch.add(intake.received(message, sink));
                if (message instanceof Message.Piece && !(limit.unlimited() && download.isUnlimited())) {
                    // The block counts against the torrent's limit and the session's; the later of the two decides.
                    long now = System.nanoTime();
                    long wait = Math.max(limit.delayAfter(sink.lastLength(), now),
                            download.reserve(sink.lastLength(), now) - now);
                    if (wait > 0) {
                        // The limit says stop reading for a while: hand over what came, then leave the socket
                        // alone, so that TCP slows the peer down. Time held back is not the peer's silence.
                        lastHeard = System.nanoTime();
                        handOver(batch, events);
                        batch = new ArrayList<>(MAX_BATCH);
                        Thread.sleep(Duration.ofNanos(wait));
                        lastHeard = System.nanoTime();
                        continue;
                    }
                }
                if (batch.size() >= MAX_BATCH || input.available() <= 0) {
                    lastHeard = System.nanoTime();
                    handOver(batch, events);
                    batch = new ArrayList<>(MAX_BATCH);
                }
            }
        } catch (ProtocolException e) {
            reason = CloseReason.of(CloseReason.Kind.PROTOCOL_VIOLATION, e.getMessage());
        } catch (InterruptedException e) {
            reason = CloseReason.of(CloseReason.Kind.INTERNAL_ERROR,
                    "interrupted while the download limit held reading back");
        } catch (IOException e) {
            reason = CloseReason.of(CloseReason.Kind.NETWORK_ERROR,
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (RuntimeException e) {
            reason = CloseReason.of(CloseReason.Kind.INTERNAL_ERROR, "internal error reading from the peer: " + e);
        } finally {
            sink.abandonClaim();
            handOver(batch, events);
        }
        CloseReason why = closeReason != null ? closeReason : reason;
        close(why);
        closeOwn(input); // after the last read: its buffer goes back
        events.accept(new PeerEvent.Closed(this, why));
    }

    /** Posts what one burst of input gave: one event as it is, several as a {@link PeerEvent.Burst}. */
    private void handOver(List<PeerEvent> batch, Consumer<PeerEvent> events) {
        if (batch.size() == 1) {
            events.accept(batch.getFirst());
        } else if (!batch.isEmpty()) {
            events.accept(new PeerEvent.Burst(this, batch));
        }
    }

    /**
     * Sends what is queued, flushing when the queue runs dry. The writer holds a piece's data back until it flushes
     * (to send many blocks in one call), so lent blocks are released after a flush, and it flushes at least every
     * {@link #RELEASE_EVERY} of them.
     */
    private void writeLoop(Consumer<PeerEvent> events) {
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
            close(CloseReason.of(CloseReason.Kind.NETWORK_ERROR, "cannot send to the peer: " + e.getMessage()));
        } catch (InterruptedException e) {
            close(CloseReason.of(CloseReason.Kind.INTERNAL_ERROR, "interrupted"));
        } catch (RuntimeException e) {
            // Closed, or what is queued later would wait for a writer that is gone, holding its memory.
            close(CloseReason.of(CloseReason.Kind.INTERNAL_ERROR, "internal error writing to the peer: " + e));
        } finally {
            writing = false;
            releaseAll(written.lent); // written or not, the writer is done with them
            for (Object unsent = outbox.poll(); unsent != null; unsent = outbox.poll()) {
                released(unsent);
            }
            closeOwn(writer); // after the last write: its buffer goes back
        }
    }

    /**
     * Closes the reader's stream or the writer, on its own thread. The connection is closed, or closing, by then: an
     * error closing its socket once more is nothing to report.
     */
    private static void closeOwn(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // the socket was closed first: nothing left to do
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
        items.forEach(SocketConnection::released);
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

    @Override
    public String toString() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
