package dev.jtorrent.daemon;

import dev.jtorrent.daemon.metrics.MetricsEndpoint;
import dev.jtorrent.daemon.qbittorrent.QbtApi;
import dev.jtorrent.daemon.qbittorrent.QbtLimits;
import dev.jtorrent.daemon.transmission.RpcOptions;
import dev.jtorrent.daemon.transmission.TransmissionRpc;
import dev.jtorrent.daemon.web.WebUi;
import dev.jtorrent.session.Session;
import org.eclipse.jetty.server.Handler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A running jtorrent daemon: a session, the daemon's table of its torrents, the state it keeps of them in its config
 * directory ({@link StateStore}), its watch directory, and the HTTP front that drives them.
 *
 * <p>{@link #start} adds back the torrents kept from the last run before the HTTP front opens, so that no client
 * sees a half-loaded daemon. {@link #close()} stops the front first, so that no request reaches a closing session,
 * then the watch dir, then saves every torrent's state (before the session pauses its torrents, which is not the
 * state to keep), then closes the session, which tells the trackers {@code stopped} and saves the resume data.
 */
public final class Daemon implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Daemon.class.getName());
    /** How long the final save of the torrents' state may take at a stop. */
    static final Duration STATE_SAVE_TIMEOUT = Duration.ofSeconds(3);

    private final DaemonConfig config;
    private final Session session;
    private final TorrentTable torrents;
    private final StateStore state;
    private final Categories categories = new Categories();
    private final Tags tags = new Tags();
    private final RequestCounter requests = new RequestCounter();
    private final HttpFront front;
    private final Optional<WatchDir> watchDir;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private Daemon(DaemonConfig config, Session session) {
        this.config = config;
        this.session = session;
        this.torrents = new TorrentTable(session, Clock.systemUTC());
        this.state = new StateStore(config.configDir(), torrents);
        this.front = new HttpFront(config.rpcBind(), config.rpcPort(), routes());
        this.watchDir = config.watchDir().map(directory -> new WatchDir(directory, torrents));
    }

    /**
     * Starts a daemon: its config directory, its session, the torrents kept from the last run, its watch dir, then
     * its HTTP front.
     *
     * @throws IOException if the config directory cannot be made, or the session or the HTTP port cannot be opened
     */
    public static Daemon start(DaemonConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        Files.createDirectories(config.configDir());
        Path downloads = config.session().downloadDirectory();
        if (!Files.isDirectory(downloads)) {
            // As transmission-daemon makes its download-dir: otherwise every torrent added fails to start. Only
            // the last name is made, so a download dir on a disk not mounted (its parent missing) still fails.
            Files.createDirectory(downloads);
            LOG.log(System.Logger.Level.INFO, "made the download directory " + downloads);
        }
        Session session = Session.start(config.session());
        Daemon daemon = null;
        try {
            daemon = new Daemon(config, session);
            int restored = daemon.state.restore();
            if (restored > 0) {
                LOG.log(System.Logger.Level.INFO, "restored " + restored + " torrent(s) from "
                        + daemon.state.directory());
            }
            if (daemon.watchDir.isPresent()) {
                daemon.watchDir.get().start();
            }
            daemon.front.start();
        } catch (IOException | RuntimeException e) {
            if (daemon != null) {
                // Nothing but what was just read is there to save; this ends the state's thread and subscription.
                daemon.watchDir.ifPresent(WatchDir::close);
                daemon.state.close(STATE_SAVE_TIMEOUT);
            }
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
        routes.put("/api/v2/*", requests.counting(RequestCounter.Api.QBITTORRENT, new QbtApi(torrents, categories,
                tags, config.access(), this::rpcPort, QbtLimits.DEFAULTS, Clock.systemUTC())));
        routes.put(MetricsEndpoint.PATH, new MetricsEndpoint(session, requests, config.access()));
        routes.put("/", requests.counting(RequestCounter.Api.WEB, new WebUi(config.access())));
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

    /** The state kept in the config dir; for tests. */
    StateStore state() {
        return state;
    }

    /** The watch dir, if the config names one; for tests. */
    Optional<WatchDir> watchDir() {
        return watchDir;
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
        watchDir.ifPresent(WatchDir::close);
        state.close(STATE_SAVE_TIMEOUT);
        session.close();
        closed.complete(null);
    }
}
