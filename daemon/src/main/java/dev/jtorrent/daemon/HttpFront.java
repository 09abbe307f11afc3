package dev.jtorrent.daemon;

import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;

/**
 * The daemon's HTTP server: one port for the Transmission RPC, the qBittorrent Web API, the web UI and the metrics,
 * each a Jetty {@link Handler} mounted on a path.
 */
final class HttpFront implements AutoCloseable {
    /** Requests handled at once; more wait in Jetty's queue, whose length {@link #MAX_QUEUED} bounds. */
    static final int MAX_THREADS = 32;
    /** Requests waiting for a thread; past it, Jetty refuses new work rather than queue without bound. */
    static final int MAX_QUEUED = 256;

    private final Server server;
    private final ServerConnector connector;

    /**
     * @param routes the handler for each path spec ({@code /transmission/*}, {@code /api/v2/*}, {@code /}); the
     *               most specific spec that matches a request takes it
     */
    HttpFront(InetAddress bind, int port, Map<String, Handler> routes) {
        Objects.requireNonNull(bind, "bind");
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2, 60_000,
                new org.eclipse.jetty.util.BlockingArrayQueue<>(MAX_QUEUED, 0, MAX_QUEUED));
        threads.setName("jtorrent-http");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost(bind.getHostAddress());
        connector.setPort(port);
        server.addConnector(connector);
        PathMappingsHandler mappings = new PathMappingsHandler();
        routes.forEach((spec, handler) -> mappings.addMapping(PathSpec.from(spec), handler));
        server.setHandler(mappings);
        server.setStopTimeout(2_000);
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
