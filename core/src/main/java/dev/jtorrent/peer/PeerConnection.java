package dev.jtorrent.peer;

import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A connection to a peer after both handshakes, as its swarm uses it: the swarm queues messages without ever
 * blocking, hands them over once per turn of its loop ({@link #flush}), keeps the connection's time with its own
 * clock ({@link #checkTimers}), and hears of everything that arrives as {@link PeerEvent}s. A
 * {@link SocketConnection} in a session; a simulated one in tests. Its methods but {@link #close} are called by the
 * swarm's thread alone.
 */
public interface PeerConnection {
    /** A peer must send something (a keep-alive at least) within this time; BEP 3 suggests 2 minutes. */
    long SILENCE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(180);
    /** We send a keep-alive when we have sent nothing else for this long. */
    long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(90);
    /**
     * A peer must take what we send: the writer may be stuck in one write this long at most. A write is up to
     * 256 KiB, so a peer reading at 2 KB/s still passes; one that reads nothing is closed, and the blocks queued for
     * it (with the read-cache memory they hold) go.
     */
    long WRITE_STALL_NANOS = TimeUnit.SECONDS.toNanos(120);
    /**
     * A writer stuck in one write this long marks a peer that does not take what we send: the swarm chokes it long
     * before {@link #WRITE_STALL_NANOS} closes it. A peer reading at 26 KB/s still passes.
     */
    long SEND_STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    InetSocketAddress address();

    /** The peer's handshake: its id and what it supports. */
    Handshake remote();

    /** Whether we dialled the peer (its address is then worth dialling again). */
    boolean outgoing();

    /** What carries the connection. */
    default Transport transport() {
        return Transport.TCP;
    }

    /** Whether the connection is encrypted (MSE's RC4). */
    default boolean encrypted() {
        return false;
    }

    /**
     * Starts reading and writing: everything that arrives goes to {@code events}, and piece data into {@code memory},
     * where the swarm asked this peer for it. The last event is a {@link PeerEvent.Closed}.
     */
    default void start(Consumer<PeerEvent> events, BlockMemory memory) {
        start(events, memory, DownloadLimit.NONE);
    }

    /**
     * Starts as {@link #start(Consumer, BlockMemory)} does, under a download limit shared with the torrent's other
     * connections: after each block of piece data, reading stops for as long as {@code limit} says.
     */
    void start(Consumer<PeerEvent> events, BlockMemory memory, DownloadLimit limit);

    /** Queues a message until the next {@link #flush}; never blocks. */
    void send(Message message);

    /**
     * Queues a piece whose data is lent; {@code sent} runs once the data is written and no longer needed, or when
     * the connection drops the piece unsent.
     */
    void send(Message.Piece piece, Runnable sent);

    /** Hands what {@link #send} queued to the writer, in one piece; on a closed connection, drops it. */
    void flush();

    /**
     * Closes a connection on which the peer has sent nothing for {@link #SILENCE_LIMIT_NANOS}, or has taken nothing
     * we sent for {@link #WRITE_STALL_NANOS}, and sends a keep-alive on one where we have sent nothing for
     * {@link #KEEP_ALIVE_NANOS}. Called by the swarm about once a second, with its clock's time.
     */
    void checkTimers(long now);

    /** Closes the connection; its last event, {@link PeerEvent.Closed}, carries this reason. Any thread. */
    void close(CloseReason reason);

    boolean isClosed();

    /**
     * Whether the writer has been stuck in a write for {@link #SEND_STALL_NANOS}: the peer does not take what we
     * send. A writer with nothing to write is never stuck.
     */
    boolean sendStalled(long now);

    /**
     * Piece data written to the peer since the last call: what counts as uploaded, and not what was only queued,
     * or dropped with the connection.
     */
    long takePayloadWritten();
}
