package dev.jtorrent.utp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;

/**
 * A throughput measure, not a test: one stream of {@code MiB} (argument 1, default 1024) over uTP between two
 * {@link UtpSocket}s on loopback, and over a TCP socket pair, in the same JVM and the same run; MiB/s of each, and
 * the uTP packet size path-MTU discovery reached. Run after a build:
 * {@code java -cp core/target/classes:core/target/test-classes dev.jtorrent.utp.UtpThroughput 1024}.
 */
public final class UtpThroughput {
    private static final int CHUNK = 256 * 1024;

    private UtpThroughput() {
    }

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        for (int round = 0; round < rounds; round++) {
            double tcp = tcp(mib);
            double utp = utp(mib);
            System.out.printf("round %d: %d MiB  TCP %.0f MiB/s  uTP %.0f MiB/s  (uTP/TCP %.2f)%n", round, mib, tcp,
                    utp, utp / tcp);
        }
    }

    private static double utp(long mib) throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (UtpSocket a = UtpSocket.open(any, UtpLimits.DEFAULTS);
                UtpSocket b = UtpSocket.open(any, UtpLimits.DEFAULTS)) {
            SynchronousQueue<UtpStream> accepted = new SynchronousQueue<>();
            b.onAccept(s -> Thread.ofVirtual().start(() -> handOver(accepted, s)));
            UtpStream out = a.connect(b.localAddress(), Duration.ofSeconds(5));
            double rate = transfer(out, () -> accepted.take(), mib);
            System.out.printf("  uTP packet size %d bytes, window %d KiB%n", out.connectionForTest().packetSize(),
                    out.connectionForTest().congestionWindow() / 1024);
            return rate;
        }
    }

    private static double tcp(long mib) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel out = SocketChannel.open(server.getLocalAddress());
            return transfer(out, server::accept, mib);
        }
    }

    interface Source {
        ByteChannel take() throws Exception;
    }

    private static double transfer(ByteChannel out, Source accept, long mib) throws Exception {
        long total = mib << 20;
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            try {
                for (long sent = 0; sent < total; sent += CHUNK) {
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                }
                out.close();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        long start = System.nanoTime();
        try (ByteChannel in = accept.take()) {
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
            long received = 0;
            while (received < total) {
                int n = in.read(buffer.clear());
                if (n < 0) {
                    throw new IOException("ended after " + received);
                }
                received += n;
            }
        }
        writing.join();
        return (double) total / (1 << 20) / ((System.nanoTime() - start) / 1e9);
    }

    /** Hands an accepted stream to the test's thread, waiting for it to take it. */
    static void handOver(SynchronousQueue<UtpStream> queue, UtpStream stream) {
        try {
            queue.put(stream);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
