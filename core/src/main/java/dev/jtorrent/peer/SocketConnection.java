package dev.jtorrent.peer;

import dev.jtorrent.budget.RateBudget;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerMessageValidator;
import dev.jtorrent.wire.WireReader;
import dev.jtorrent.wire.WireWriter;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A peer connection over a socket after both handshakes: a reader thread that decodes messages (piece data straight
 * into the swarm's {@link BlockMemory}, where {@link Intake} lets it) and posts them to the swarm, and a writer thread
 * that sends what the swarm queues. Both are virtual threads doing plain blocking I/O. The swarm never blocks on a
 * peer: {@link #send} only queues, and a peer that stops reading while its queue grows past a bound is disconnected.
 * The two sides are {@link PeerReader} and {@link PeerWriter}; this class starts them, keeps their time for the
 * swarm's clock ({@link #checkTimers}) and closes the connection.
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
    /** What closing the connection closes: its channel, or in tests a bare socket. */
    private final Closeable transport;
    private final Transport kind;
    private final boolean encrypted;
    private final InputStream input;
    private final InetSocketAddress address;
    private final Handshake remote;
    private final boolean outgoing;
    private final PeerReader reader;
    private final PeerWriter writer;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile CloseReason closeReason;

    SocketConnection(Socket socket, Handshake remote, boolean outgoing, InputStream input, WireReader reader,
                     WireWriter writer, PeerMessageValidator validator) {
        this(socket, (InetSocketAddress) socket.getRemoteSocketAddress(), Transport.TCP, false, remote, outgoing,
                input, reader, writer, validator, RateBudget.unlimited());
    }

    private SocketConnection(Closeable transport, InetSocketAddress address, Transport kind, boolean encrypted,
                             Handshake remote, boolean outgoing, InputStream input, WireReader reader,
                             WireWriter writer, PeerMessageValidator validator, RateBudget download) {
        this.transport = transport;
        this.kind = kind;
        this.encrypted = encrypted;
        this.input = input;
        this.address = address;
        this.remote = remote;
        this.outgoing = outgoing;
        Intake intake = new Intake(this, validator);
        long now = System.nanoTime();
        this.reader = new PeerReader(this, input, reader, intake, download, now);
        this.writer = new PeerWriter(this, writer, intake, now);
    }

    /**
     * A connection on {@code channel}, whose handshakes are done; started by its swarm. {@code validator} checks
     * the peer's messages; the reader waits after each block for the session's {@code download} rate, so that the
     * channel is read no faster and the transport slows the peer down.
     *
     * @param input the stream {@code reader} reads, asked how much is already buffered so that a burst of blocks
     *              reaches the swarm as one batch
     */
    public static SocketConnection open(PeerChannel channel, Handshake remote, boolean outgoing, InputStream input,
                                        WireReader reader, WireWriter writer, PeerMessageValidator validator,
                                        RateBudget download) {
        return new SocketConnection(channel, channel.remoteAddress(), channel.transport(), channel.encrypted(),
                remote, outgoing, input, reader, writer, validator, download);
    }

    /**
     * A connection on a bare TCP {@code socket} (blocking, without a read timeout), whose handshakes are done, for a
     * torrent of {@code info}: for tests that hold both ends of a socket.
     */
    public static SocketConnection open(Socket socket, Handshake remote, boolean outgoing, InputStream input,
                                        WireReader reader, WireWriter writer, InfoDictionary info) {
        return open(socket, remote, outgoing, input, reader, writer, PeerMessageValidator.of(info, remote),
                RateBudget.unlimited());
    }

    /**
     * A connection on a bare TCP {@code socket}, as {@link #open(PeerChannel, Handshake, boolean, InputStream,
     * WireReader, WireWriter, PeerMessageValidator, RateBudget)} opens one on a channel; for tests.
     */
    public static SocketConnection open(Socket socket, Handshake remote, boolean outgoing, InputStream input,
                                        WireReader reader, WireWriter writer, PeerMessageValidator validator,
                                        RateBudget download) {
        return new SocketConnection(socket, (InetSocketAddress) socket.getRemoteSocketAddress(), Transport.TCP,
                false, remote, outgoing, input, reader, writer, validator, download);
    }

    @Override
    public Transport transport() {
        return kind;
    }

    @Override
    public boolean encrypted() {
        return encrypted;
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
        Thread.ofVirtual().name("peer-reader-" + address).start(() -> read(events, buffers, limit));
        Thread.ofVirtual().name("peer-writer-" + address).start(writer::run);
    }

    /** The reader thread: reads until the connection ends, then closes it and reports why, last of its events. */
    private void read(Consumer<PeerEvent> events, BlockMemory buffers, DownloadLimit limit) {
        CloseReason reason = reader.run(events, buffers, limit);
        CloseReason why = closeReason != null ? closeReason : reason;
        close(why);
        closeOwn(input); // after the last read: its buffer goes back
        events.accept(new PeerEvent.Closed(this, why));
    }

    /**
     * Queues a message until the next {@link #flush}; never blocks. Messages are queued and flushed by one thread at
     * a time (the swarm's).
     */
    @Override
    public void send(Message message) {
        writer.send(message);
    }

    /**
     * Queues a piece whose data is lent; {@code sent} runs once the data is written and no longer needed, or when
     * the connection drops the piece unsent. (A piece queued while the connection closes may be neither: the memory
     * is then only not reused, never reused under it.)
     */
    @Override
    public void send(Message.Piece piece, Runnable sent) {
        writer.send(piece, sent);
    }

    /** Hands what {@link #send} queued to the writer, in one piece; on a closed connection, drops it. */
    @Override
    public void flush() {
        writer.flush();
    }

    /**
     * Closes a connection on which the peer has sent nothing for {@link #SILENCE_LIMIT_NANOS}, or has taken nothing
     * we sent for {@link #WRITE_STALL_NANOS}, and sends a keep-alive on one where we have sent nothing for
     * {@link #KEEP_ALIVE_NANOS}. Called by the swarm about once a second.
     */
    @Override
    public void checkTimers(long now) {
        if (now - reader.lastHeard() > SILENCE_LIMIT_NANOS) {
            close(CloseReason.of(CloseReason.Kind.TIMED_OUT,
                    "the peer sent nothing for " + TimeUnit.NANOSECONDS.toSeconds(SILENCE_LIMIT_NANOS) + " s"));
        } else if (writer.stuckFor(now, WRITE_STALL_NANOS)) {
            close(CloseReason.of(CloseReason.Kind.TIMED_OUT,
                    "the peer took nothing we sent for " + TimeUnit.NANOSECONDS.toSeconds(WRITE_STALL_NANOS) + " s"));
        } else if (now - writer.lastQueued() > KEEP_ALIVE_NANOS) {
            send(new Message.KeepAlive());
        }
    }

    /** Closes the connection; the reader then reports {@link PeerEvent.Closed} with this reason. */
    @Override
    public void close(CloseReason reason) {
        if (closed.compareAndSet(false, true)) {
            closeReason = reason;
            writer.stop();
            try {
                transport.close();
            } catch (IOException e) {
                // closing a connection that failed: nothing more to do
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
        return writer.stuckFor(now, SEND_STALL_NANOS);
    }

    /**
     * Piece data written to the socket since the last call: what counts as uploaded, and not what was only queued,
     * or dropped with the connection.
     */
    @Override
    public long takePayloadWritten() {
        return writer.takePayloadWritten();
    }

    /**
     * Closes the reader's stream or the writer, on its own thread. The connection is closed, or closing, by then: an
     * error closing its socket once more is nothing to report.
     */
    static void closeOwn(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // the socket was closed first: nothing left to do
        }
    }

    @Override
    public String toString() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
