package dev.jtorrent.daemon;

import dev.jtorrent.daemon.metrics.MetricsEndpoint;
import dev.jtorrent.daemon.qbittorrent.QbtApi;
import dev.jtorrent.daemon.qbittorrent.QbtLimits;
import dev.jtorrent.daemon.transmission.RpcOptions;
import dev.jtorrent.daemon.transmission.TransmissionRpc;
import dev.jtorrent.session.Session;
import org.eclipse.jetty.server.Handler;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A running jtorrent daemon: a session, the daemon's table of its torrents, and the HTTP front that drives them.
 * {@link #close()} stops the front first, so that no request reaches a closing session, then the session.
 */
public final class Daemon implements AutoCloseable {
    private final DaemonConfig config;
    private final Session session;
    private final TorrentTable torrents;
    private final Categories categories = new Categories();
    private final Tags tags = new Tags();
    private final RequestCounter requests = new RequestCounter();
    private final HttpFront front;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private Daemon(DaemonConfig config, Session session) {
        this.config = config;
        this.session = session;
        this.torrents = new TorrentTable(session, Clock.systemUTC());
        this.front = new HttpFront(config.rpcBind(), config.rpcPort(), routes());
    }

    /**
     * Starts a daemon: its config directory, its session, then its HTTP front.
     *
     * @throws IOException if the config directory cannot be made, or the session or the HTTP port cannot be opened
     */
    public static Daemon start(DaemonConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        Files.createDirectories(config.configDir());
        Session session = Session.start(config.session());
        Daemon daemon;
        try {
            daemon = new Daemon(config, session);
            daemon.front.start();
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
        return daemon;
    }

    /** The handler of each path the HTTP front serves. */
    private Map<String, Handler> routes() {
        Map<String, Handler> routes = new LinkedHashMap<>();
        routes.put("/transmission/*", requests.counting(RequestCounter.Api.TRANSMISSION, new TransmissionRpc(torrents,
                config.access(), new RpcOptions(config.configDir(), config.webHome(), config.dataDirs(),
                RpcOptions.DEFAULT_FETCH_TIMEOUT), this::close)));
        routes.put("^/$", TransmissionRpc.redirectToWeb());
        routes.put("/api/v2/*", requests.counting(RequestCounter.Api.QBITTORRENT, new QbtApi(torrents, categories,
                tags, config.access(), this::rpcPort, QbtLimits.DEFAULTS, Clock.systemUTC())));
        routes.put(MetricsEndpoint.PATH, new MetricsEndpoint(session, requests, config.access()));
        return routes;
    }

    public DaemonConfig config() {
        return config;
    }

    public Session session() {
        return session;
    }

    public TorrentTable torrents() {
        return torrents;
    }

    /** qBittorrent's categories: names and save paths. */
    public Categories categories() {
        return categories;
    }

    /** qBittorrent's tags, those no torrent carries included. */
    public Tags tags() {
        return tags;
    }

    /** The requests each API of the HTTP front answered, as {@code /metrics} reports them. */
    public RequestCounter requests() {
        return requests;
    }

    /** The port of the HTTP front (the one chosen, when the config asked for 0). */
    public int rpcPort() {
        return front.port();
    }

    /**
     * Completes once the daemon is closed: by {@link #close()}, or by a client (the Transmission RPC's
     * session-close), so that the program running it can exit.
     */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void close() {
        front.close();
        session.close();
        closed.complete(null);
    }
}
