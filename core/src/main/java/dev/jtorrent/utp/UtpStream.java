package dev.jtorrent.utp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A uTP connection as the rest of jtorrent sees it: a blocking byte channel for virtual threads. Reads wait for
 * data and return -1 at the peer's FIN; writes wait while the send buffer is full; both throw an
 * {@link IOException} naming the cause once the connection was reset or timed out. One reader thread and one
 * writer thread may use it at once; {@link #close()} from any thread wakes both (a handshake's deadline is kept by
 * closing the channel), and sends FIN after what was written: the endpoint keeps the connection until the FIN is
 * acknowledged, or given up. {@link #abort()} sends RESET instead.
 *
 * <p>Everything that touches the {@link UtpConnection} happens under this stream's lock: the application's calls,
 * the packets its endpoint's reader hands over, and the endpoint's timer. Sending happens under it too, so the
 * retransmission buffer is never changed while a datagram is built from it; the critical sections are a copy and a
 * {@code send} each, short enough that the reader and a writer of one connection hardly wait for each other, and
 * connections never wait for each other.
 */
public final class UtpStream implements ByteChannel, GatheringByteChannel {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    private final Condition connected = lock.newCondition();
    private final UtpEndpoint endpoint;
    private final InetSocketAddress remote;
    /** Guarded by {@link #lock}. */
    private UtpConnection connection;
    private boolean closed;
    /** Whether this incoming stream is still unconfirmed and counted in the endpoint's SYN-received bound. */
    private boolean halfOpen;
    /** Whether the endpoint handed this incoming stream to its acceptor (done once, when confirmed). */
    private boolean announced;

    UtpStream(UtpEndpoint endpoint, InetSocketAddress remote) {
        this.endpoint = endpoint;
        this.remote = remote;
    }

    /** Sets the connection, under the lock; before that, nothing else touches the stream. */
    void attach(UtpConnection c, boolean incoming) {
        lock.lock();
        try {
            connection = c;
            halfOpen = incoming;
        } finally {
            lock.unlock();
        }
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** Bytes a read returns now without waiting. */
    public int available() {
        lock.lock();
        try {
            return connection.available();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new AsynchronousCloseException();
                }
                int n = connection.read(dst);
                if (n != 0) {
                    if (connection.ackPending()) {
                        connection.flushAck(endpoint.now());
                    }
                    return n;
                }
                if (connection.isFinished()) {
                    String failure = connection.failure();
                    if (failure == null) {
                        return -1;
                    }
                    throw new IOException("uTP connection to " + remote + ": " + failure);
                }
                readable.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.nio.channels.ClosedByInterruptException();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int total = 0;
        lock.lock();
        try {
            while (src.hasRemaining()) {
                checkWritable();
                int n = connection.write(src, endpoint.now());
                total += n;
                if (n == 0) {
                    writable.await();
                }
            }
            return total;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.nio.channels.ClosedByInterruptException();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(srcs[i]);
        }
        return total;
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    private void checkWritable() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (connection.isFinished()) {
            String failure = connection.failure();
            throw new IOException("uTP connection to " + remote + ": "
                    + (failure == null ? "closed" : failure));
        }
        if (connection.endOfStream() || connection.state() == UtpConnection.State.FIN_SENT) {
            throw new IOException("uTP connection to " + remote + ": closed by the peer");
        }
    }

    @Override
    public boolean isOpen() {
        lock.lock();
        try {
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /** Sends FIN after what was written and releases the stream; blocked reads and writes end. */
    @Override
    public void close() {
        end(false);
    }

    /** Sends RESET and releases the stream at once. */
    public void abort() {
        end(true);
    }

    private void end(boolean reset) {
        boolean finished;
        lock.lock();
        try {
            if (closed && !reset) {
                return;
            }
            closed = true;
            if (reset) {
                connection.abort(endpoint.now());
            } else {
                connection.close(endpoint.now());
            }
            finished = connection.isFinished();
            wakeAll();
        } finally {
            lock.unlock();
        }
        if (finished) {
            endpoint.forget(this);
        }
    }

    // ---- for the endpoint

    /** Waits until the handshake ends; throws if it failed or {@code timeoutNanos} passed (then resets). */
    void awaitConnected(long timeoutNanos) throws IOException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (connection.state() == UtpConnection.State.SYN_SENT && !closed) {
                if (left <= 0) {
                    connection.abort(endpoint.now());
                    closed = true;
                    throw new SocketTimeoutException("uTP connect to " + remote + " timed out after "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
                }
                left = connected.awaitNanos(left);
            }
            if (!connection.isOpen()) {
                String failure = connection.failure();
                throw new IOException("uTP connect to " + remote + " failed: "
                        + (failure == null ? "closed" : failure));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.abort(endpoint.now());
            closed = true;
            throw new java.nio.channels.ClosedByInterruptException();
        } finally {
            lock.unlock();
        }
    }

    static final int ACK_PENDING = 1;
    static final int CONFIRMED_NOW = 2;
    static final int ANNOUNCE = 4;
    static final int FINISHED = 8;

    /** Hands a packet to the connection; the result's bits tell the endpoint what to do next. */
    int deliver(UtpPacket packet, ByteBuffer datagram, long now) {
        lock.lock();
        try {
            if (connection == null) {
                return 0;
            }
            connection.receive(packet, datagram, now);
            wake();
            return outcome();
        } finally {
            lock.unlock();
        }
    }

    void flushAck(long now) {
        lock.lock();
        try {
            connection.flushAck(now);
        } finally {
            lock.unlock();
        }
    }

    int tick(long now) {
        lock.lock();
        try {
            if (connection == null) {
                return 0; // registered a moment before its connection is attached
            }
            connection.tick(now);
            wake();
            return outcome();
        } finally {
            lock.unlock();
        }
    }

    /** What a delivery or a tick left, as bits (no allocation per packet): ACK waiting, confirmed, finished. */
    private int outcome() {
        boolean confirmedNow = false;
        if (halfOpen && connection.state() != UtpConnection.State.SYN_RECEIVED) {
            halfOpen = false;
            confirmedNow = true;
        }
        boolean announce = false;
        if (confirmedNow && connection.isOpen() && !announced) {
            announced = true;
            announce = true;
        }
        return (connection.ackPending() ? ACK_PENDING : 0) | (confirmedNow ? CONFIRMED_NOW : 0)
                | (announce ? ANNOUNCE : 0) | (connection.isFinished() ? FINISHED : 0);
    }

    /** Drops an unconfirmed incoming stream silently (its endpoint needs the room). */
    void evict(long now) {
        lock.lock();
        try {
            connection.close(now);
            closed = true;
            wakeAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream because its endpoint closes: RESET if it was open. */
    void shutdown(long now) {
        lock.lock();
        try {
            if (connection != null && !connection.isFinished()) {
                connection.abort(now);
            }
            closed = closed || !announced && halfOpen;
            wakeAll();
        } finally {
            lock.unlock();
        }
    }

    UtpConnection.State state() {
        lock.lock();
        try {
            return connection.state();
        } finally {
            lock.unlock();
        }
    }

    /** The connection itself, for tests in this package: the caller holds no lock, so only read what is stable. */
    UtpConnection connectionForTest() {
        return connection;
    }

    private void wake() {
        if (connection.readable()) {
            readable.signal();
        }
        if (connection.writable() > 0 || connection.isFinished() || connection.endOfStream()) {
            writable.signal();
        }
        if (connection.state() != UtpConnection.State.SYN_SENT) {
            connected.signalAll();
        }
    }

    private void wakeAll() {
        readable.signalAll();
        writable.signalAll();
        connected.signalAll();
    }
}
