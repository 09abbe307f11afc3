package dev.jtorrent.tracker;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * How a {@link UdpTracker}'s datagrams travel: through a socket of its own ({@link OwnUdpSocket}), or through a
 * session's UDP port, where the replies are told from uTP and the DHT by their transaction ids
 * ({@link UdpTrackerReplies}).
 */
interface UdpTransport extends AutoCloseable {

    /**
     * Starts one request and its wait for a reply: a transaction id of its own, and the datagrams from
     * {@code tracker} that carry it (or, on a socket of its own, every datagram from {@code tracker}).
     */
    Transaction begin(InetSocketAddress tracker) throws IOException;

    @Override
    void close();

    /** One request to a tracker: its transaction id, what is sent and what comes back. Closed once done. */
    interface Transaction extends AutoCloseable {
        int id();

        /** Sends {@code request} to the tracker; a {@link java.net.PortUnreachableException} where the system knows. */
        void send(byte[] request) throws IOException;

        /**
         * The next datagram from the tracker, a copy, or {@code null} once {@code deadlineNanos} ({@link
         * System#nanoTime}) has passed without one.
         */
        byte[] receive(long deadlineNanos) throws IOException, InterruptedException;

        @Override
        void close();
    }
}
