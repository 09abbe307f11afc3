package dev.jtorrent.utp;

import dev.jtorrent.net.UdpPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;

/**
 * The uTP connections of one UDP port. It does not own the socket: whoever reads the port (one thread) hands it
 * each datagram that {@link #looksLikeUtp} with {@link #receive}, and calls {@link #drained} when the socket has
 * nothing more waiting, which is when the acknowledgements deferred meanwhile go out (one per connection per burst,
 * as libtorrent's socket manager does); it sends through a {@link Sender}. The port also carries the DHT and UDP
 * tracker replies, told apart by their first bytes: the endpoint is a {@link UdpPort.Handler} for the session's
 * {@link UdpPort}, whose {@link UdpPort#send} is its sender. A reader that cannot tell when its socket drained
 * (the port's blocking readers) may never call {@link #drained}: acknowledgements then go after every few packets
 * and at each tick. {@link UtpSocket} is an owner of its own for standalone use and tests.
 *
 * <p>A datagram reaches the connection whose receive id and address it matches; the last one matched is tried
 * first, so a stream of packets costs no lookup. A SYN for no connection opens one, within the bounds of
 * {@link UtpLimits}: connections in all, incoming connections not yet confirmed (the opener answered nothing after
 * its SYN, so its address may be spoofed), and SYNs answered per second. Such a connection answers one STATE of the
 * SYN's size per SYN and nothing else, so a spoofed SYN cannot make us send more than it cost; it is handed to the
 * acceptor only once confirmed, and dropped silently if never. Any other datagram for no connection is ignored, as
 * libtorrent ignores it (a RESET would be a reply to a forged source); malformed datagrams are counted and ignored.
 *
 * <p>One timer ({@link #tick}), not one per connection, drives timeouts and keep-alives: {@link UtpSocket} runs it.
 */
public final class UtpEndpoint implements UdpPort.Handler, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UtpEndpoint.class.getName());
    /**
     * Unconfirmed incoming connections from one IP address at most: SYNs from spoofed ports of one address fill
     * this, not the endpoint's whole {@link UtpLimits#synReceived()}, and take none of the SYN rate past it.
     */
    static final int MAX_HALF_OPEN_PER_ADDRESS = 4;

    /** Sends one datagram; {@code datagram} is valid only during the call. */
    @FunctionalInterface
    public interface Sender {
        void send(ByteBuffer datagram, InetSocketAddress to) throws IOException;
    }

    private final Sender sender;
    private final UtpLimits limits;
    private final LongSupplier clock;
    private final RandomGenerator random;
    private final ToIntFunction<InetSocketAddress> pathCeiling;
    private final OutOfOrderBudget outOfOrder;
    private final Map<Key, UtpStream> streams = new ConcurrentHashMap<>();
    /** Incoming streams not yet confirmed, oldest first; guarded by {@link #halfOpenLock}. */
    private final LinkedHashMap<UtpStream, InetAddress> halfOpen = new LinkedHashMap<>();
    private final ReentrantLock halfOpenLock = new ReentrantLock();
    private volatile Consumer<UtpStream> acceptor;
    private volatile boolean closed;

    // The reader's own state: only the thread that calls receive and drained touches it.
    private final UtpPacket packet = new UtpPacket();
    private final List<UtpStream> ackDue = new ArrayList<>();
    private final SynRate synRate;
    private UtpStream last;
    private InetSocketAddress lastAddress;
    private int lastId = -1;
    private long malformed;

    private record Key(InetSocketAddress address, int recvId) {
    }

    /**
     * @param pathCeiling the largest datagram the local interface carries to an address (see {@link UtpSocket})
     */
    public UtpEndpoint(Sender sender, UtpLimits limits, LongSupplier clock, RandomGenerator random,
            ToIntFunction<InetSocketAddress> pathCeiling) {
        this.sender = sender;
        this.limits = limits;
        this.clock = clock;
        this.random = random;
        this.pathCeiling = pathCeiling;
        this.outOfOrder = new OutOfOrderBudget(limits.outOfOrderBytesTotal());
        this.synRate = new SynRate(limits.synPerSecond(), clock.getAsLong());
    }

    /** Whether a datagram can be uTP (version 1, type 0 to 4, a header long): for a demultiplexer. */
    public static boolean looksLikeUtp(ByteBuffer datagram) {
        return UtpPacket.looksLikeUtp(datagram);
    }

    /** As a handler of the session's shared port: the datagrams that {@link #looksLikeUtp}. */
    @Override
    public boolean accepts(ByteBuffer datagram) {
        return looksLikeUtp(datagram);
    }

    /** Where incoming streams go, once their opener confirmed its address; called on the reader's thread. */
    public void onAccept(Consumer<UtpStream> handler) {
        this.acceptor = handler;
    }

    long now() {
        return clock.getAsLong();
    }

    /** Opens a stream to {@code to}, waiting for the handshake at most {@code timeout}. */
    public UtpStream connect(InetSocketAddress to, Duration timeout) throws IOException {
        if (closed) {
            throw new IOException("the uTP endpoint is closed");
        }
        if (streams.size() >= limits.connections()) {
            throw new IOException("too many uTP connections: " + limits.connections());
        }
        UtpStream stream = new UtpStream(this, to);
        int recvId;
        do {
            recvId = random.nextInt(1 << 16);
        } while (streams.putIfAbsent(new Key(to, recvId), stream) != null);
        stream.attach(UtpConnection.open(datagram -> send(datagram, to), limits, outOfOrder, recvId,
                pathCeiling.applyAsInt(to), now()), false);
        try {
            stream.awaitConnected(timeout.toNanos());
        } catch (IOException e) {
            forget(stream);
            throw e;
        }
        return stream;
    }

    /** Takes one datagram that arrived from {@code from}; never throws for what the network sent. */
    @Override
    public void receive(ByteBuffer datagram, InetSocketAddress from) {
        try {
            packet.parse(datagram);
        } catch (UtpPacketException e) {
            if (malformed++ % 1_000 == 0) {
                LOG.log(System.Logger.Level.DEBUG, "malformed uTP datagram from {0}: {1} ({2} so far)", from,
                        e.getMessage(), malformed);
            }
            return;
        }
        long now = now();
        int id = packet.connectionId();
        UtpStream stream;
        if (last != null && id == lastId && from.equals(lastAddress)) {
            stream = last;
        } else {
            stream = streams.get(new Key(from, id));
            if (stream == null && packet.type() == UtpType.SYN) {
                // a SYN sent again: its connection receives on the SYN's id + 1
                stream = streams.get(new Key(from, SeqNr.plus(id, 1)));
                if (stream != null) {
                    handle(stream, stream.deliver(packet, datagram, now));
                    return;
                }
                accept(datagram, from, now);
                return;
            }
            if (stream == null) {
                return; // no such connection: ignored, never answered
            }
            last = stream;
            lastAddress = from;
            lastId = id;
        }
        handle(stream, stream.deliver(packet, datagram, now));
    }

    /** The socket has nothing more waiting: send the acknowledgements deferred meanwhile. */
    public void drained() {
        if (ackDue.isEmpty()) {
            return;
        }
        long now = now();
        for (UtpStream s : ackDue) {
            s.flushAck(now);
        }
        ackDue.clear();
    }

    /** Timeouts, resends and keep-alives of every connection; finished ones are let go. */
    public void tick() {
        long now = now();
        for (UtpStream s : streams.values()) {
            int result = s.tick(now);
            afterChange(s, result);
        }
    }

    private void handle(UtpStream stream, int result) {
        if ((result & UtpStream.ACK_PENDING) != 0 && !ackDue.contains(stream)) {
            ackDue.add(stream);
        }
        afterChange(stream, result);
    }

    private void afterChange(UtpStream stream, int result) {
        if ((result & UtpStream.CONFIRMED_NOW) != 0) {
            leaveHalfOpen(stream);
        }
        if ((result & UtpStream.ANNOUNCE) != 0) {
            Consumer<UtpStream> handler = acceptor;
            if (handler == null) {
                stream.abort();
            } else {
                handler.accept(stream);
            }
        }
        if ((result & UtpStream.FINISHED) != 0) {
            forget(stream);
        }
    }

    private void accept(ByteBuffer datagram, InetSocketAddress from, long now) {
        if (closed || acceptor == null) {
            return;
        }
        if (halfOpenFrom(from.getAddress()) >= MAX_HALF_OPEN_PER_ADDRESS || !synRate.tryTake(now)) {
            return; // a flood: the opener, if real, will try again
        }
        UtpStream oldest = null;
        halfOpenLock.lock();
        try {
            if (halfOpen.size() >= limits.synReceived()) {
                oldest = halfOpen.keySet().iterator().next();
            }
        } finally {
            halfOpenLock.unlock();
        }
        if (oldest != null) {
            // Full of unconfirmed connections: the oldest gives way, as a SYN cache does. An honest opener answers
            // within a round trip, so it is confirmed before synReceived newer SYNs (a second's worth at the SYN
            // rate) push it out; a flood only ever replaces its own.
            oldest.evict(now);
            forget(oldest);
        }
        if (streams.size() >= limits.connections()) {
            return;
        }
        UtpStream stream = new UtpStream(this, from);
        Key key = new Key(from, SeqNr.plus(packet.connectionId(), 1));
        if (streams.putIfAbsent(key, stream) != null) {
            return;
        }
        halfOpenLock.lock();
        try {
            halfOpen.put(stream, from.getAddress());
        } finally {
            halfOpenLock.unlock();
        }
        stream.attach(UtpConnection.accept(d -> send(d, from), limits, outOfOrder, packet, random.nextInt(1 << 16),
                pathCeiling.applyAsInt(from), now), true);
    }

    /** Lets a finished or closed stream go. */
    void forget(UtpStream stream) {
        streams.values().remove(stream);
        leaveHalfOpen(stream);
        if (last == stream) {
            last = null; // a benign race with the reader: at worst it hands a packet to a finished stream
        }
    }

    private void leaveHalfOpen(UtpStream stream) {
        halfOpenLock.lock();
        try {
            halfOpen.remove(stream);
        } finally {
            halfOpenLock.unlock();
        }
    }

    private int halfOpenFrom(InetAddress address) {
        halfOpenLock.lock();
        try {
            int n = 0;
            for (InetAddress a : halfOpen.values()) {
                if (a.equals(address)) {
                    n++;
                }
            }
            return n;
        } finally {
            halfOpenLock.unlock();
        }
    }

    private void send(ByteBuffer datagram, InetSocketAddress to) {
        try {
            sender.send(datagram, to);
        } catch (IOException e) {
            // UDP: the packet is lost; the connection's timers deal with that like any other loss
            LOG.log(System.Logger.Level.DEBUG, "uTP send to {0} failed: {1}", to, e.getMessage());
        }
    }

    /** Connections now, in any state. */
    public int connections() {
        return streams.size();
    }

    /** Incoming connections not yet confirmed. */
    public int halfOpen() {
        halfOpenLock.lock();
        try {
            return halfOpen.size();
        } finally {
            halfOpenLock.unlock();
        }
    }

    /** Bytes all connections hold ahead of gaps. */
    public long outOfOrderBytes() {
        return outOfOrder.used();
    }

    /** Datagrams refused as malformed so far. */
    public long malformed() {
        return malformed;
    }

    /** Resets every connection and refuses new ones. */
    @Override
    public void close() {
        closed = true;
        long now = now();
        for (UtpStream s : streams.values()) {
            s.shutdown(now);
        }
        streams.clear();
        halfOpenLock.lock();
        try {
            halfOpen.clear();
        } finally {
            halfOpenLock.unlock();
        }
    }

    /** SYNs answered per second, in bursts of as many: a token bucket on the reader's thread. */
    private static final class SynRate {
        private static final long SECOND = 1_000_000_000L;
        private final long intervalNanos;
        private final long burstNanos;
        private long due;

        SynRate(int perSecond, long now) {
            this.intervalNanos = SECOND / perSecond;
            this.burstNanos = SECOND - intervalNanos;
            this.due = now - burstNanos;
        }

        boolean tryTake(long now) {
            if (now - due < 0) {
                return false;
            }
            due = Math.max(due, now - burstNanos) + intervalNanos;
            return true;
        }
    }
}
