package dev.jtorrent.utp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A {@link UtpEndpoint} on a UDP socket of its own, for standalone use and tests; a session shares its one UDP port
 * with the DHT and trackers instead, and feeds the endpoint itself.
 *
 * <p>It asks for {@link #SOCKET_BUFFER_BYTES} of kernel buffer each way: the kernel's default receive buffer (208
 * KiB here) overflows at loopback speeds, and each datagram it drops halves the sender's window (libtorrent's uTP
 * ran at 5-9 MiB/s with the default and 90 MiB/s with 4 MiB; the kernel caps the request at
 * {@code net.core.rmem_max}). One reader thread reads the socket without blocking until it is empty, hands every
 * datagram to the endpoint, then tells it the socket is drained (the deferred ACKs go) and waits on a selector;
 * it is a platform thread, since a virtual thread blocked in a selector would hold its carrier. A {@link UtpTimer}
 * ticks the endpoint.
 *
 * <p>The path ceiling (the largest datagram to try) is {@link PathCeiling}'s.
 */
public final class UtpSocket implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UtpSocket.class.getName());
    public static final int SOCKET_BUFFER_BYTES = 4 << 20;

    private final DatagramChannel channel;
    private final Selector selector;
    private final UtpEndpoint endpoint;
    private final Thread reader;
    private UtpTimer timer;
    private volatile boolean closed;

    private UtpSocket(DatagramChannel channel, Selector selector, UtpLimits limits) {
        this.channel = channel;
        this.selector = selector;
        this.endpoint = new UtpEndpoint(this::send, limits, System::nanoTime, new SecureRandom(),
                PathCeiling.ofThisMachine());
        this.reader = Thread.ofPlatform().daemon().name("utp-reader-" + port()).unstarted(this::readLoop);
    }

    /** Binds {@code address} (port 0 for any) and starts reading. */
    public static UtpSocket open(InetSocketAddress address, UtpLimits limits) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            channel.bind(address);
            channel.configureBlocking(false);
            Selector selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            UtpSocket socket = new UtpSocket(channel, selector, limits);
            socket.reader.start();
            socket.timer = UtpTimer.start(socket.endpoint, "utp-timer-" + socket.port());
            return socket;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public UtpEndpoint endpoint() {
        return endpoint;
    }

    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the uTP socket is closed", e);
        }
    }

    /** Opens a stream, waiting for the handshake at most {@code timeout}. */
    public UtpStream connect(InetSocketAddress to, Duration timeout) throws IOException {
        return endpoint.connect(to, timeout);
    }

    /** Where incoming streams go (on the reader thread: hand them on, do not block). */
    public void onAccept(Consumer<UtpStream> handler) {
        endpoint.onAccept(handler);
    }

    private int port() {
        return localAddress().getPort();
    }

    private void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        for (int attempt = 0; attempt < 3 && datagram.hasRemaining(); attempt++) {
            if (channel.send(datagram, to) > 0) {
                return;
            }
            Thread.onSpinWait(); // the socket's send buffer is full for a moment: try again, else it is a loss
        }
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
        try {
            while (!closed) {
                buffer.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                if (from == null) {
                    endpoint.drained();
                    selector.select();
                    selector.selectedKeys().clear();
                    continue;
                }
                buffer.flip();
                if (UtpEndpoint.looksLikeUtp(buffer)) {
                    endpoint.receive(buffer, from);
                }
            }
        } catch (ClosedChannelException e) {
            // closed: done
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.log(System.Logger.Level.WARNING, "uTP reader stopped: {0}", e.toString());
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        endpoint.close();
        timer.close();
        selector.wakeup();
        channel.close();
        selector.close();
        try {
            reader.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
