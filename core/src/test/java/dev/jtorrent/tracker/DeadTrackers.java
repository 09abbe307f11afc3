package dev.jtorrent.tracker;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Trackers on 127.0.0.1 that never answer, of each kind a real torrent's dead trackers come in: an HTTP tracker
 * that takes the request and says nothing, one whose connection never opens (a full accept queue, as a host that
 * drops packets looks), a TCP port where nothing listens, a UDP tracker that never replies, and a UDP port where
 * nothing listens. Each kind serves any number of URLs, and each URL is a tracker of its own to a client. The silent
 * HTTP tracker keeps every request and counts its connections. Public for the session tests.
 */
public final class DeadTrackers implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int KINDS = 5;

    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private final FakeHttpServer silentHttp;
    private final ServerSocket neverAccepting;
    private final FullBacklog fullBacklog;
    private final DatagramSocket silentUdp;
    private final int closedTcpPort;
    private final int closedUdpPort;

    public DeadTrackers() throws IOException {
        silentHttp = new FakeHttpServer((head, socket) -> {
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            try {
                FakeHttpServer.silent().serve(head, socket);
            } finally {
                open.decrementAndGet();
            }
        });
        neverAccepting = new ServerSocket(0, 1, LOOPBACK);
        fullBacklog = FullBacklog.fill(neverAccepting);
        silentUdp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            closedTcpPort = probe.getLocalPort();
        }
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            closedUdpPort = probe.getLocalPort();
        }
    }

    /** {@code count} different tracker URLs, the five kinds in turn, a silent HTTP tracker first. */
    public List<String> urls(int count) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String path = "/announce/" + i;
            urls.add(switch (i % KINDS) {
                case 0 -> silentHttp(i);
                case 1 -> "http://127.0.0.1:" + neverAccepting.getLocalPort() + path;
                case 2 -> "udp://127.0.0.1:" + silentUdp.getLocalPort() + path;
                case 3 -> "http://127.0.0.1:" + closedTcpPort + path;
                default -> "udp://127.0.0.1:" + closedUdpPort + path;
            });
        }
        return urls;
    }

    /** A silent HTTP tracker: it reads the request and says nothing until the client hangs up. */
    public String silentHttp(int i) {
        return silentHttp.url("/announce/" + i);
    }

    /** The head of each request the silent HTTP trackers read, in order. */
    public List<String> silentHttpRequests() {
        return List.copyOf(silentHttp.heads);
    }

    /** Connections to the silent HTTP trackers open now: from a read request to the client's hanging up. */
    public int openConnections() {
        return open.get();
    }

    /** The most connections to the silent HTTP trackers that were open at once. */
    public int mostConnectionsOpenAtOnce() {
        return mostOpen.get();
    }

    @Override
    public void close() throws IOException {
        silentHttp.close();
        fullBacklog.close();
        neverAccepting.close();
        silentUdp.close();
    }
}
