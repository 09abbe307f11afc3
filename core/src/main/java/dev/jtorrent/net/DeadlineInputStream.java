package dev.jtorrent.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * A socket's input that must be read to its end by a deadline: before every read the socket's read timeout is set to
 * the time left, so a server that trickles its reply a byte at a time, or a peer its handshake, cannot stretch it
 * past the deadline (a fixed read timeout would restart with every byte).
 */
public final class DeadlineInputStream extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private final long deadline;
    private final String late;

    /**
     * @param deadline a {@link System#nanoTime()} instant
     * @param late     the message of the {@link SocketTimeoutException} once it has passed
     */
    public DeadlineInputStream(Socket socket, long deadline, String late) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.deadline = deadline;
        this.late = late;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** @throws SocketTimeoutException once the deadline has passed */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        socket.setSoTimeout(millisLeft());
        return in.read(b, off, len);
    }

    private int millisLeft() throws SocketTimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException(late);
        }
        return timeoutMillis(left);
    }

    /**
     * {@code nanos} as a socket timeout: in milliseconds, rounded up, since a timeout of 0 would mean no timeout at
     * all.
     */
    public static int timeoutMillis(long nanos) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999)));
    }
}
