package dev.jtorrent.daemon;

import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;

/**
 * The daemon's HTTP server: one port for the Transmission RPC, the qBittorrent Web API, the web UI and the metrics,
 * each a Jetty {@link Handler} mounted on a path.
 *
 * <p>Everything a client can make it hold is bounded: a request's headers ({@link #MAX_HEADER_BYTES}, past which
 * Jetty answers 431), its body ({@link #MAX_BODY_BYTES}, a torrent upload included: past it, 413), the connections
 * open at once ({@link #MAX_CONNECTIONS}: past it the server stops accepting until one closes, and the kernel's
 * backlog holds the rest), and the requests in flight ({@link #MAX_THREADS} handled, {@link #MAX_QUEUED} waiting:
 * past them the pool refuses new work rather than queue it).
 */
final class HttpFront implements AutoCloseable {
    /** Requests handled at once; more wait in Jetty's queue, whose length {@link #MAX_QUEUED} bounds. */
    static final int MAX_THREADS = 32;
    /** Requests waiting for a thread; past it, Jetty refuses new work rather than queue without bound. */
    static final int MAX_QUEUED = 256;
    /**
     * A request's body at most: a .torrent upload is at most {@code MetainfoLimits}' 10 MiB, base64 in a JSON
     * request (Transmission's {@code metainfo}) a third more.
     */
    static final long MAX_BODY_BYTES = 16L * 1024 * 1024;
    /** A request's line and headers at most: Jetty's default, ample for cookies and a Basic credential. */
    static final int MAX_HEADER_BYTES = 8 * 1024;
    /** Connections open at once: a few web UIs, phones and *arr programs each keep a handful. */
    static final int MAX_CONNECTIONS = 64;
    /** An idle connection is closed after this long. */
    static final long IDLE_TIMEOUT_MILLIS = 30_000;

    private final Server server;
    private final ServerConnector connector;

    /**
     * @param routes the handler for each path spec ({@code /transmission/*}, {@code /api/v2/*}, {@code /}); the
     *               most specific spec that matches a request takes it
     */
    HttpFront(InetAddress bind, int port, Map<String, Handler> routes) {
        Objects.requireNonNull(bind, "bind");
        server = new Server(threadPool());
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(bind.getHostAddress());
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
        PathMappingsHandler mappings = new PathMappingsHandler();
        routes.forEach((spec, handler) -> mappings.addMapping(PathSpec.from(spec), handler));
        SizeLimitHandler sizeLimit = new SizeLimitHandler(MAX_BODY_BYTES, -1);
        sizeLimit.setHandler(mappings);
        server.setHandler(sizeLimit);
        server.setStopTimeout(2_000);
    }

    /** The pool of the server's threads: {@link #MAX_THREADS} of them, {@link #MAX_QUEUED} jobs waiting at most. */
    static QueuedThreadPool threadPool() {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2, 60_000,
                new BlockingArrayQueue<>(MAX_QUEUED, 0, MAX_QUEUED));
        threads.setName("jtorrent-http");
        threads.setDaemon(true);
        return threads;
    }

    void start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IOException("cannot start the HTTP server: " + e.getMessage(), e);
        }
    }

    /** The port it listens on (the one chosen, when 0 was asked for). */
    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // Stopping a server that failed to start, or whose threads were interrupted: nothing is left to do.
        }
    }
}
