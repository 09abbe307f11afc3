package dev.jtorrent.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session's UDP side of its listen port: one socket per bound address, or for the wildcard one dual-stack socket on
 * {@code [::]} (an IPv4 socket on {@code 0.0.0.0} where IPv6 is unavailable), shared by every protocol that speaks
 * UDP there: uTP, the DHT and the replies of UDP trackers. libtorrent shares its listen socket the same way
 * ({@code session_impl::on_udp_packet}), so that one port is mapped through a NAT, announced to trackers and to the
 * DHT, and reached by peers.
 *
 * <p>Each socket has a reader (a virtual thread) that receives into one buffer of {@value #RECEIVE_BUFFER} bytes and
 * hands each datagram to the first registered {@link Handler} that {@linkplain Handler#accepts accepts} it. The
 * kinds are told apart by their first bytes and never overlap: a uTP packet's first byte has version 1 in its low
 * nibble (BEP 29), a KRPC message is a bencoded dictionary ({@code d...e}, BEP 5), and a UDP tracker reply starts
 * with its action, 0 to 3 in four bytes (BEP 15), followed by the transaction id of a request in flight. A datagram
 * that no handler takes is dropped and counted ({@link #unknown}); one that fills the buffer was longer than it and
 * truncated by the kernel, and is dropped and counted too ({@link #truncated}). A datagram over IPv4 is always seen
 * from an {@link Inet4Address}, even on a dual-stack socket, where the system reports an IPv4-mapped IPv6 address.
 *
 * <p>Dispatch is synchronous on the reader: nothing queues between the socket and a handler, so a flood of datagrams
 * costs what handling them costs and no memory grows; what the reader cannot take in time waits in the socket's
 * receive buffer, and beyond it the kernel drops it. Handlers must therefore not block (a short lock is fine), and
 * the buffer they are given is valid only during the call: they copy what they keep. Nothing of ours is allocated per
 * datagram.
 *
 * <p>{@link #send} is safe from any thread. {@link #close} closes the sockets and waits for the readers to end.
 */
public final class UdpPort implements AutoCloseable {
    /**
     * Above the largest UDP payload (65,507 bytes over IPv4, 65,527 over IPv6 without jumbograms): uTP on loopback
     * sends datagrams far above the Ethernet MTU, and the DHT and trackers send a few KiB at most.
     */
    public static final int RECEIVE_BUFFER = 64 * 1024;
    /**
     * The socket buffers asked for, 4 MiB each way: uTP needs them to keep up at speed (with the default 208 KiB
     * receive buffer, libtorrent's uTP on loopback lost thousands of datagrams a second and ran at 5-7 MiB/s); the
     * kernel caps them at {@code net.core.rmem_max} and {@code wmem_max}.
     */
    public static final int SOCKET_BUFFER = 4 * 1024 * 1024;
    private static final System.Logger LOG = System.getLogger(UdpPort.class.getName());
    private static final long READER_JOIN_MILLIS = TimeUnit.SECONDS.toMillis(5);

    /** Takes one kind of datagram off the port. */
    public interface Handler {
        /**
         * Whether {@code datagram} (from its position to its limit) is of this handler's kind; it must not move the
         * buffer's position or limit, nor block.
         */
        boolean accepts(ByteBuffer datagram);

        /**
         * Handles a datagram this handler accepted, on the socket's reader thread. The buffer is the reader's own and
         * valid only during the call: copy what is kept. Must not block.
         */
        void receive(ByteBuffer datagram, InetSocketAddress from);
    }

    private final List<Socket> sockets;
    /** The sockets' readers, started once the port is made. */
    private final List<Thread> readers = new CopyOnWriteArrayList<>();
    private final int receiveBuffer;
    private final ReentrantLock registering = new ReentrantLock();
    /** Copied on each change, read without a lock by the readers: handlers come and go a few times a session. */
    private volatile Handler[] handlers = new Handler[0];
    private final AtomicLong unknown = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private volatile boolean closed;

    /** One bound socket; {@code dualStack} for a wildcard IPv6 socket, which carries IPv4 too. */
    private record Socket(DatagramChannel channel, InetSocketAddress local, boolean dualStack) {
        boolean reaches(InetAddress to) {
            InetAddress bound = local.getAddress();
            if (bound.isLoopbackAddress() && !to.isLoopbackAddress()) {
                return false; // a socket on loopback cannot leave the host
            }
            return dualStack || (bound instanceof Inet4Address) == (to instanceof Inet4Address);
        }
    }

    private UdpPort(List<Socket> sockets, int receiveBuffer) {
        this.sockets = sockets;
        this.receiveBuffer = receiveBuffer;
    }

    /**
     * The port of a session listening on {@code port} at {@code addresses}: a socket on each, or when there are none,
     * one dual-stack socket on {@code [::]}, which falls back to {@code 0.0.0.0} where IPv6 is unavailable. Port 0
     * takes whatever port the system gives the first socket, and the others bind that one.
     *
     * @throws IOException if a socket cannot be bound; the message says which address
     */
    public static UdpPort listen(List<InetAddress> addresses, int port) throws IOException {
        return listen(addresses, port, RECEIVE_BUFFER, Thread.ofVirtual());
    }

    /** As {@link #listen(List, int)}, with another receive buffer and other reader threads: for tests. */
    static UdpPort listen(List<InetAddress> addresses, int port, int receiveBuffer, Thread.Builder readers)
            throws IOException {
        List<InetSocketAddress> endpoints = new ArrayList<>();
        if (addresses.isEmpty()) {
            endpoints.add(new InetSocketAddress(ipv6Available() ? anyIpv6() : anyIpv4(), port));
        } else {
            addresses.forEach(a -> endpoints.add(new InetSocketAddress(a, port)));
        }
        return bind(endpoints, true, receiveBuffer, readers);
    }

    /**
     * A port of a socket at each of {@code endpoints}, each bound as given ({@code [::]} dual-stack, {@code 0.0.0.0}
     * IPv4 only): for a DHT node or a tracker client without a session.
     */
    public static UdpPort bind(List<InetSocketAddress> endpoints) throws IOException {
        return bind(endpoints, false, RECEIVE_BUFFER, Thread.ofVirtual());
    }

    private static UdpPort bind(List<InetSocketAddress> endpoints, boolean samePort, int receiveBuffer,
                                Thread.Builder readers) throws IOException {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no address to bind");
        }
        if (receiveBuffer < 1) {
            throw new IllegalArgumentException("receive buffer must be positive: " + receiveBuffer);
        }
        List<Socket> sockets = new ArrayList<>();
        try {
            int port = -1;
            for (InetSocketAddress endpoint : endpoints) {
                InetSocketAddress at = samePort && port > 0 ? new InetSocketAddress(endpoint.getAddress(), port)
                        : endpoint;
                Socket socket = open(at);
                sockets.add(socket);
                port = socket.local.getPort();
            }
        } catch (IOException | RuntimeException e) {
            for (Socket s : sockets) {
                s.channel.close();
            }
            throw e;
        }
        UdpPort udp = new UdpPort(List.copyOf(sockets), receiveBuffer);
        for (Socket s : udp.sockets) {
            udp.readers.add(readers.name("udp-read-" + s.local).start(() -> udp.read(s)));
        }
        return udp;
    }

    private static Socket open(InetSocketAddress at) throws IOException {
        boolean v4 = at.getAddress() instanceof Inet4Address;
        DatagramChannel channel = DatagramChannel.open(v4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
            channel.bind(at);
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            return new Socket(channel, local, !v4 && local.getAddress().isAnyLocalAddress());
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot bind UDP " + at.getAddress().getHostAddress() + " port " + at.getPort()
                    + ": " + e.getMessage(), e);
        }
    }

    private static boolean ipv6Available() {
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            return probe != null;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static InetAddress anyIpv6() {
        try {
            return InetAddress.getByAddress(new byte[16]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress anyIpv4() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Adds {@code handler}; datagrams are offered to the handlers in the order they were added, and the first that
     * accepts one takes it.
     */
    public void register(Handler handler) {
        Objects.requireNonNull(handler, "handler");
        registering.lock();
        try {
            Handler[] more = Arrays.copyOf(handlers, handlers.length + 1);
            more[handlers.length] = handler;
            handlers = more;
        } finally {
            registering.unlock();
        }
    }

    /** Removes {@code handler}; a datagram it is handling at the moment is still handled. */
    public void unregister(Handler handler) {
        registering.lock();
        try {
            handlers = Arrays.stream(handlers).filter(h -> h != handler).toArray(Handler[]::new);
        } finally {
            registering.unlock();
        }
    }

    /**
     * Sends {@code datagram} (from its position to its limit) to {@code to}, through the first socket that can reach
     * it: of its family or dual-stack, and not on loopback unless {@code to} is. Safe from any thread.
     *
     * @throws IOException if no socket can reach {@code to}, the port is closed, or the system refuses the datagram
     */
    public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        InetSocketAddress target = normalise(to);
        for (Socket s : sockets) {
            if (s.reaches(target.getAddress())) {
                s.channel.send(datagram, target);
                return;
            }
        }
        throw new IOException("no UDP socket of this port reaches " + target.getAddress().getHostAddress());
    }

    /** Whether some socket can send to {@code address} (see {@link #send}). */
    public boolean reaches(InetAddress address) {
        InetAddress target = normalise(address);
        return sockets.stream().anyMatch(s -> s.reaches(target));
    }

    /** Whether some socket carries IPv4: one bound to an IPv4 address, or a dual-stack one. */
    public boolean carriesIpv4() {
        return sockets.stream().anyMatch(s -> s.dualStack || s.local.getAddress() instanceof Inet4Address);
    }

    /** Whether some socket carries IPv6. */
    public boolean carriesIpv6() {
        return sockets.stream().anyMatch(s -> s.local.getAddress() instanceof Inet6Address);
    }

    /** The bound addresses of the sockets, in the order they were bound. */
    public List<InetSocketAddress> localAddresses() {
        return sockets.stream().map(Socket::local).toList();
    }

    /** The port of the first socket. */
    public int port() {
        return sockets.getFirst().local.getPort();
    }

    /** The socket receive buffer each socket got, as the system reports it (Linux reports twice what it grants). */
    List<Integer> socketReceiveBuffers() throws IOException {
        List<Integer> sizes = new ArrayList<>();
        for (Socket s : sockets) {
            sizes.add(s.channel.getOption(StandardSocketOptions.SO_RCVBUF));
        }
        return sizes;
    }

    /** Datagrams no handler accepted, dropped. */
    public long unknown() {
        return unknown.get();
    }

    /** Datagrams longer than the receive buffer, dropped. */
    public long truncated() {
        return truncated.get();
    }

    /** Closes the sockets and waits (5 s at most) for the readers to end; idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Socket s : sockets) {
            try {
                s.channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing UDP {0}: {1}", s.local, e.getMessage());
            }
        }
        for (Thread reader : readers) {
            if (reader == Thread.currentThread()) {
                continue; // a handler closing the port: its reader ends once the handler returns
            }
            try {
                reader.join(READER_JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * {@code address} with an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as the IPv4 address it stands for;
     * any other as it is.
     */
    public static InetSocketAddress normalise(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        InetAddress n = a == null ? null : normalise(a);
        return n == a ? address : new InetSocketAddress(n, address.getPort());
    }

    /** {@code address}, an IPv4-mapped IPv6 address as its IPv4 address. */
    public static InetAddress normalise(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return address;
            }
        }
        if (b[10] != (byte) 0xff || b[11] != (byte) 0xff) {
            return address;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private void read(Socket socket) {
        // One byte more than the datagrams taken: a datagram that fills it was longer, and cut short by the kernel.
        ByteBuffer buffer = ByteBuffer.allocateDirect(receiveBuffer + 1);
        // The system hands back the same sender object while the sender stays the same; so do we, normalised.
        InetSocketAddress lastRaw = null;
        InetSocketAddress lastFrom = null;
        while (!closed) {
            InetSocketAddress raw;
            try {
                buffer.clear();
                raw = (InetSocketAddress) socket.channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                // An ICMP error reported on the socket, a transient failure: the next datagram is read anyway.
                LOG.log(System.Logger.Level.DEBUG, "UDP receive on {0}: {1}", socket.local, e.getMessage());
                continue;
            }
            if (raw == null) {
                continue;
            }
            if (!buffer.hasRemaining()) {
                truncated.incrementAndGet();
                continue;
            }
            if (raw != lastRaw) {
                lastRaw = raw;
                lastFrom = normalise(raw);
            }
            buffer.flip();
            dispatch(buffer, lastFrom);
        }
    }

    private void dispatch(ByteBuffer datagram, InetSocketAddress from) {
        int position = datagram.position();
        int limit = datagram.limit();
        for (Handler h : handlers) {
            boolean taken;
            try {
                taken = h.accepts(datagram);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "UDP handler failed to look at a datagram; it goes on", e);
                taken = false;
            }
            datagram.limit(limit).position(position); // whatever a careless predicate did
            if (taken) {
                try {
                    h.receive(datagram, from);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "UDP handler failed on a datagram; it goes on", e);
                }
                return;
            }
        }
        unknown.incrementAndGet();
    }
}
