package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.daemon.Categories;
import dev.jtorrent.daemon.HttpAccess;
import dev.jtorrent.daemon.Tags;
import dev.jtorrent.daemon.TorrentTable;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The qBittorrent Web API v2 under {@code /api/v2/}, as qBittorrent 4.6 serves it (API 2.9.3), for Sonarr, Radarr,
 * Flood and the {@code @ctrl/qbittorrent} and {@code qbittorrent-api} libraries.
 *
 * <p>Each request passes, in qBittorrent's order: the client whitelist (403), the {@code Host} header (401, against
 * DNS rebinding), the cross-site check on {@code Origin} and {@code Referer} (401), then the SID cookie, without
 * which every endpoint but {@code auth/login} answers 403 "Forbidden" (unless the daemon has no account, when a
 * session is started for any request, as qBittorrent does for a client that needs no authentication). Only then is
 * the body read, bounded by {@link QbtLimits#maxBodyBytes} (413 past it), and parsed into parameters: a GET's from
 * its query, a POST's from its query and body. An unknown endpoint is 404, a GET to an action 405.
 *
 * <p>Beside qBittorrent's endpoints, jtorrent's web UI has a push channel of its own under the same checks, {@code
 * GET /api/v2/jtorrent/events} ({@link EventStreams}), and the two reads qBittorrent's own web UI uses that the
 * clients above do not, {@code sync/torrentPeers} and {@code torrents/pieceStates} ({@link DetailQueries}).
 */
public final class QbtApi extends Handler.Abstract {
    private static final Logger LOG = System.getLogger(QbtApi.class.getName());
    private static final Pattern PATH = Pattern.compile("/api/v2/([A-Za-z_][A-Za-z_0-9]*/[A-Za-z_][A-Za-z_0-9]*)");
    /** qBittorrent 4.x's cookie name (5.0 makes it configurable, {@code QBT_SID_<port>}, but keeps SID the default). */
    static final String COOKIE = "SID";

    private final Backend backend;
    private final WebSessions sessions;
    private final LoginFailures failures;
    private final FormParser parser;
    private final Routes routes;
    private final EventStreams events;

    /**
     * @param webUiPort the port the API is served on, as {@code app/preferences} reports it
     */
    public QbtApi(TorrentTable torrents, Categories categories, Tags tags, HttpAccess access, IntSupplier webUiPort,
                  QbtLimits limits, Clock clock) {
        this(torrents, categories, tags, access, webUiPort, limits, clock, EventStreams.StreamLimits.DEFAULTS);
    }

    QbtApi(TorrentTable torrents, Categories categories, Tags tags, HttpAccess access, IntSupplier webUiPort,
           QbtLimits limits, Clock clock, EventStreams.StreamLimits streamLimits) {
        this.backend = new Backend(torrents, categories, tags, access, webUiPort, limits, clock);
        this.sessions = new WebSessions(clock, limits.sessionTimeout(), limits.maxSessions(),
                limits.snapshotsPerSession());
        this.failures = new LoginFailures(clock, limits.maxLoginFailures(), limits.banDuration(),
                limits.maxFailureEntries());
        this.parser = new FormParser(limits.maxFields(), limits.maxFileBytes());
        this.routes = new Routes();
        new AuthEndpoints(backend, sessions, failures).register(routes);
        new AppEndpoints(backend).register(routes);
        new TorrentQueries(backend).register(routes);
        new TorrentActions(backend).register(routes);
        new TorrentEdits(backend).register(routes);
        new TorrentAdd(backend, new UrlFetcher(limits.fetchTimeout(), limits.maxFileBytes())).register(routes);
        new CategoryEndpoints(backend).register(routes);
        new SyncEndpoints(backend).register(routes);
        new DetailQueries(backend).register(routes);
        this.events = new EventStreams(backend, sessions, streamLimits);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Reply reply;
        try {
            Admitted admitted = admit(request);
            if (admitted.action().equals(EventStreams.PATH)) {
                if (!request.getMethod().equals("GET")) {
                    throw new ApiException(405, "Method Not Allowed");
                }
                events.open(admitted.session().orElseThrow(), response, callback,
                        Optional.ofNullable(admitted.newCookie()));
                return true;
            }
            reply = answer(request, admitted);
        } catch (ApiException e) {
            reply = Reply.error(e.status(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "qBittorrent API " + request.getHttpURI().getPath() + ": " + e);
            reply = Reply.error(500, "Internal Server Error");
        }
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("X-Frame-Options", "SAMEORIGIN");
        response.getHeaders().put("Referrer-Policy", "same-origin");
        reply.setCookie().ifPresent(cookie -> response.getHeaders().add(HttpHeader.SET_COOKIE, cookie));
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
        return true;
    }

    /** A request that passed the API's checks: its client, {@code scope/action}, session and any new cookie. */
    private record Admitted(InetAddress client, String action, Optional<WebSessions.WebSession> session,
                            String newCookie) {
    }

    private Admitted admit(Request request) throws ApiException {
        InetAddress client = clientAddress(request);
        HttpAccess access = backend.access();
        if (!access.clientAllowed().test(client)) {
            throw new ApiException(403, "Forbidden");
        }
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null || !access.hostAllowed().test(hostName(host))) {
            LOG.log(Level.WARNING, "qBittorrent API: a request from " + client.getHostAddress()
                    + " for an unknown Host: " + (host == null ? "none" : FormParser.printable(host)));
            throw new ApiException(401, "Unauthorized");
        }
        if (CrossSite.isCrossSite(host, request.getHeaders().get("X-Forwarded-Host"),
                request.getHeaders().get(HttpHeader.ORIGIN), request.getHeaders().get(HttpHeader.REFERER))) {
            LOG.log(Level.WARNING, "qBittorrent API: a cross-site request from " + client.getHostAddress()
                    + " (Origin " + printable(request.getHeaders().get(HttpHeader.ORIGIN)) + ", Referer "
                    + printable(request.getHeaders().get(HttpHeader.REFERER)) + ", Host " + printable(host) + ")");
            throw new ApiException(401, "Unauthorized");
        }
        Matcher path = PATH.matcher(request.getHttpURI().getPath());
        if (!path.matches()) {
            throw new ApiException(404, "Not Found");
        }
        String action = path.group(1);
        Optional<WebSessions.WebSession> session = sessions.find(cookie(request));
        String newCookie = null;
        if (session.isEmpty() && backend.access().credentials().isEmpty()) {
            WebSessions.WebSession started = sessions.create();
            session = Optional.of(started);
            newCookie = AuthEndpoints.cookie(started);
        }
        if (session.isEmpty() && !action.equals("auth/login")) {
            throw new ApiException(403, "Forbidden");
        }
        return new Admitted(client, action, session, newCookie);
    }

    private Reply answer(Request request, Admitted admitted) throws ApiException, IOException {
        String action = admitted.action();
        Optional<WebSessions.WebSession> session = admitted.session();
        String newCookie = admitted.newCookie();
        InetAddress client = admitted.client();
        Routes.Route route = routes.find(action).orElseThrow(() -> new ApiException(404, "Not Found"));
        String method = request.getMethod();
        boolean post = method.equals("POST");
        if (!post && (route.postOnly() || !method.equals("GET"))) {
            throw new ApiException(405, "Method Not Allowed");
        }
        FormData params = parser.parse(request.getHttpURI().getQuery(),
                post ? request.getHeaders().get(HttpHeader.CONTENT_TYPE) : null, post ? body(request) : new byte[0]);
        Reply reply = route.endpoint().handle(new Call(params, client, session));
        return newCookie == null || reply.setCookie().isPresent() ? reply : reply.withCookie(newCookie);
    }

    /** The body, at most {@link QbtLimits#maxBodyBytes}: 413 when it says or turns out to be longer. */
    private byte[] body(Request request) throws ApiException, IOException {
        int max = backend.limits().maxBodyBytes();
        long declared = request.getLength();
        if (declared > max) {
            throw new ApiException(413, "Payload Too Large");
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                throw new ApiException(413, "Payload Too Large");
            }
            return body;
        }
    }

    private static String printable(String header) {
        return header == null ? "none" : FormParser.printable(header);
    }

    private static String cookie(Request request) {
        for (HttpCookie cookie : Request.getCookies(request)) {
            if (cookie.getName().equals(COOKIE)) {
                return cookie.getValue();
            }
        }
        return null;
    }

    /** The name in a Host header, without its port (and an IPv6 literal without its brackets). */
    static String hostName(String host) {
        String trimmed = host.strip();
        if (trimmed.startsWith("[")) {
            int end = trimmed.indexOf(']');
            return end < 0 ? trimmed : trimmed.substring(1, end);
        }
        int colon = trimmed.indexOf(':');
        return colon < 0 ? trimmed : trimmed.substring(0, colon);
    }

    private static InetAddress clientAddress(Request request) throws ApiException {
        try {
            // A literal address: no lookup is made.
            return InetAddress.getByName(Request.getRemoteAddr(request));
        } catch (UnknownHostException e) {
            throw new ApiException(403, "Forbidden");
        }
    }

    @Override
    protected void doStop() throws Exception {
        events.close();
        super.doStop();
    }

    /** The event streams open now; for tests. */
    int eventStreams() {
        return events.open();
    }

    /** The count of live web sessions; for tests. */
    int sessionCount() {
        return sessions.size();
    }

}
