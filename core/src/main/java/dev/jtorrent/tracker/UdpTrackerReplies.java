package dev.jtorrent.tracker;

import dev.jtorrent.net.UdpPort;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The UDP tracker clients of a session on its {@link UdpPort}, as libtorrent's tracker manager is on its listen
 * socket: requests leave from the listen port, and replies come back to it, where they are told from uTP and the DHT
 * by their first eight bytes (BEP 15): an action from 0 to 3 and the transaction id of a request in flight. Each
 * request registers a transaction id of its own, unique among those in flight and random (a stranger who cannot see
 * our requests cannot guess one); a reply is taken only from the address the request went to, and copied into its
 * request's queue for the thread waiting on it.
 *
 * <p>Bounds: {@value #MAX_IN_FLIGHT} requests in flight (a request past it fails at once), and
 * {@value #REPLIES_PER_REQUEST} datagrams queued for one request; what comes beyond is dropped and counted. A reply
 * with an unknown transaction id is not this handler's: the port drops and counts it.
 *
 * <p>On the shared port a tracker at a closed port is not reported at once, as on a socket of its own: the kernel
 * reports ICMP errors only to connected sockets (libtorrent reads them from the socket's error queue, which Java
 * cannot), so the request times out as a silent tracker's does.
 */
public final class UdpTrackerReplies implements UdpPort.Handler, AutoCloseable {
    /** Far above what a session's announcers keep in flight at once; a bound on memory, not a working limit. */
    static final int MAX_IN_FLIGHT = 4096;
    /** A tracker answers once; it may repeat itself when our request was sent twice, and no more. */
    static final int REPLIES_PER_REQUEST = 4;
    private static final int HEADER = 8;
    private static final int LAST_ACTION = UdpPacket.ERROR;

    private final UdpPort port;
    private final RandomGenerator random;
    private final Map<Integer, Request> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();

    private UdpTrackerReplies(UdpPort port, RandomGenerator random) {
        this.port = port;
        this.random = random;
    }

    /**
     * The tracker clients' side of {@code port}, registered on it until {@link #close}. Its transaction ids come from
     * a {@link SecureRandom} made at the first request: made at once, it would start the JDK's security providers at
     * every session's start, which a download that finds its data complete never needs.
     */
    public static UdpTrackerReplies on(UdpPort port) {
        return on(port, () -> TransactionIds.RANDOM.nextLong());
    }

    /** Holds the random source of transaction ids until it is first asked for one. */
    private static final class TransactionIds {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    static UdpTrackerReplies on(UdpPort port, RandomGenerator random) {
        UdpTrackerReplies replies = new UdpTrackerReplies(port, random);
        port.register(replies);
        return replies;
    }

    @Override
    public boolean accepts(ByteBuffer datagram) {
        if (datagram.remaining() < HEADER) {
            return false;
        }
        int action = datagram.getInt(datagram.position());
        return action >= 0 && action <= LAST_ACTION && inFlight.containsKey(datagram.getInt(datagram.position() + 4));
    }

    @Override
    public void receive(ByteBuffer datagram, InetSocketAddress from) {
        Request request = inFlight.get(datagram.getInt(datagram.position() + 4));
        if (request == null || !request.tracker.equals(from)) {
            dropped.incrementAndGet(); // ended meanwhile, or a stranger's: replies come from the address asked
            return;
        }
        byte[] copy = new byte[datagram.remaining()];
        datagram.get(datagram.position(), copy);
        if (!request.replies.offer(copy)) {
            dropped.incrementAndGet();
        }
    }

    /** Datagrams with the transaction id of a request in flight that were not taken: from a stranger, or too many. */
    public long dropped() {
        return dropped.get();
    }

    /** Requests waiting for a reply now. */
    int inFlight() {
        return inFlight.size();
    }

    /** Stops taking replies; requests still waiting time out. */
    @Override
    public void close() {
        port.unregister(this);
    }

    /** A transport for one tracker client over the port. */
    UdpTransport transport() {
        return new UdpTransport() {
            @Override
            public Transaction begin(InetSocketAddress tracker) throws IOException {
                return UdpTrackerReplies.this.begin(tracker);
            }

            @Override
            public void close() {
                // the port is the session's
            }
        };
    }

    Request begin(InetSocketAddress tracker) throws IOException {
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            throw new IOException("too many UDP tracker requests in flight (" + MAX_IN_FLIGHT + ")");
        }
        while (true) {
            Request request = new Request(tracker, random.nextInt());
            if (inFlight.putIfAbsent(request.id, request) == null) {
                return request;
            }
        }
    }

    /** One request in flight, registered under its transaction id until closed. */
    final class Request implements UdpTransport.Transaction {
        private final InetSocketAddress tracker;
        private final int id;
        private final BlockingQueue<byte[]> replies = new ArrayBlockingQueue<>(REPLIES_PER_REQUEST);

        private Request(InetSocketAddress tracker, int id) {
            this.tracker = UdpPort.normalise(tracker);
            this.id = id;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public void send(byte[] request) throws IOException {
            port.send(ByteBuffer.wrap(request), tracker);
        }

        @Override
        public byte[] receive(long deadlineNanos) throws InterruptedException {
            return replies.poll(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            inFlight.remove(id, this);
        }
    }
}
