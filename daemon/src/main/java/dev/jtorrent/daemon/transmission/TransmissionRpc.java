package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.HttpHeaders;
import dev.jtorrent.daemon.HttpAccess;
import dev.jtorrent.daemon.TorrentTable;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * The Transmission RPC over HTTP, as transmission-daemon serves it under {@code /transmission/}: the RPC at any path
 * starting with {@code /transmission/rpc} (transmission-remote appends {@code /rpc/} to a URL it is given), the web
 * client's files at {@code /transmission/web/}, and a redirect to them from anywhere else.
 *
 * <p>Each request passes transmission-daemon 3.00's checks in its order: the lockout after too many failed logins
 * (403), the client address whitelist (403), Basic authentication (401), then, stricter than 3.00, the Host header
 * (421) even with a password set, against DNS rebinding; then the session id (409) for everything but the web
 * client's files, against cross-site request forgery. Bodies are bounded ({@link #MAX_BODY}, 413 past it), and so is
 * JSON nesting ({@link RpcCall#MAX_DEPTH}).
 */
public final class TransmissionRpc extends Handler.Abstract implements AutoCloseable {
    public static final String PREFIX = "/transmission/";
    public static final String RPC_PATH = "/transmission/rpc";
    public static final String WEB_PATH = "/transmission/web/";
    static final String SESSION_ID_HEADER = "X-Transmission-Session-Id";
    static final String RPC_VERSION_HEADER = "X-Transmission-Rpc-Version";
    /** The largest request body: a .torrent of 12 MiB in base64, with room to spare. */
    public static final int MAX_BODY = 16 * 1024 * 1024;
    static final String HTML = "text/html; charset=ISO-8859-1";
    static final String JSON = "application/json; charset=UTF-8";

    private static final System.Logger LOG = System.getLogger(TransmissionRpc.class.getName());

    private final HttpAccess access;
    private final RpcOptions options;
    private final Runnable closeDaemon;
    private final SessionId sessionId;
    private final LoginLockout lockout = new LoginLockout();
    private final StaticFiles web;
    private final MetainfoFetcher fetcher;
    private final Methods methods;
    private final TurtleTimer turtle;
    private final RpcState state;

    /**
     * @param closeDaemon what session-close runs once its reply is sent
     */
    public TransmissionRpc(TorrentTable table, HttpAccess access, RpcOptions options, Runnable closeDaemon) {
        this(table, access, options, closeDaemon, Clock.systemUTC());
    }

    TransmissionRpc(TorrentTable table, HttpAccess access, RpcOptions options, Runnable closeDaemon, Clock clock) {
        this.access = Objects.requireNonNull(access, "access");
        this.options = Objects.requireNonNull(options, "options");
        this.closeDaemon = Objects.requireNonNull(closeDaemon, "closeDaemon");
        this.sessionId = new SessionId(clock);
        this.web = new StaticFiles(options.webHome());
        this.fetcher = new MetainfoFetcher(options.fetchTimeout(), MetainfoFetcher.DEFAULT_MAX_BYTES);
        this.state = new RpcState(table, clock, options.dataRoots());
        this.methods = new Methods(state, fetcher, () -> new SessionGet.TransmissionContext(Dialect.LEGACY,
                sessionId.current(), options.configDir().toString()));
        this.turtle = TurtleTimer.start(state.settings(), clock);
    }

    /** The handler of {@code /}: a redirect to the web client, as transmission-daemon answers there. */
    public static Handler redirectToWeb() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                redirect(response, callback);
                return true;
            }
        };
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        response.getHeaders().put(HttpHeader.SERVER, "Transmission");
        if (lockout.locked()) {
            return page(response, callback, HttpStatus.FORBIDDEN_403, Pages.LOCKED_OUT);
        }
        if (!clientAllowed(request)) {
            return page(response, callback, HttpStatus.FORBIDDEN_403, Pages.NOT_WHITELISTED);
        }
        if (access.credentials().isPresent()) {
            if (!authenticated(request, access.credentials().get())) {
                int failures = lockout.failed();
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"Transmission\"");
                return page(response, callback, HttpStatus.UNAUTHORIZED_401, Pages.unauthorized(failures));
            }
            lockout.succeeded();
        }
        if (!hostAllowed(request)) {
            return page(response, callback, HttpStatus.MISDIRECTED_REQUEST_421, Pages.MISDIRECTED);
        }
        String path = request.getHttpURI().getCanonicalPath();
        if (!path.startsWith(PREFIX)) {
            redirect(response, callback);
            return true;
        }
        if (path.startsWith(WEB_PATH)) {
            return webFile(request, response, callback, path.substring(WEB_PATH.length()));
        }
        if (path.equals("/transmission/web")) {
            redirect(response, callback);
            return true;
        }
        String current = sessionId.current();
        if (!sessionId.matches(request.getHeaders().get(SESSION_ID_HEADER))) {
            response.getHeaders().put(SESSION_ID_HEADER, current);
            response.getHeaders().put(RPC_VERSION_HEADER, SessionGet.RPC_VERSION_SEMVER);
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS,
                    SESSION_ID_HEADER + ", " + RPC_VERSION_HEADER);
            return page(response, callback, HttpStatus.CONFLICT_409, Pages.conflict(current));
        }
        if (!path.startsWith(RPC_PATH)) {
            return page(response, callback, HttpStatus.NOT_FOUND_404, Pages.NOT_FOUND);
        }
        if (!request.getMethod().equals("POST")) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            return page(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, Pages.METHOD_NOT_ALLOWED);
        }
        byte[] body = body(request);
        if (body == null) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            return page(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, Pages.tooLarge(MAX_BODY));
        }
        rpc(request, response, callback, RpcCall.parse(body));
        return true;
    }

    private void rpc(Request request, Response response, Callback callback, RpcCall call) throws IOException {
        byte[] reply = answer(call);
        if (call.notification()) {
            response.setStatus(HttpStatus.NO_CONTENT_204);
            response.write(true, null, after(call, callback));
            return;
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        send(request, response, after(call, callback), reply);
    }

    /** Runs the call and writes its reply, trying again if a torrent it reads is removed meanwhile. */
    byte[] answer(RpcCall call) {
        for (int attempt = 1; ; attempt++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(512);
            try {
                Methods.Outcome outcome = methods.call(call);
                Replies.write(out, call, outcome.result(), outcome.arguments());
                out.write('\n');
                return out.toByteArray();
            } catch (IllegalStateException removedMeanwhile) {
                if (attempt >= Methods.RETRIES) {
                    return failure(call, removedMeanwhile);
                }
            } catch (RuntimeException e) {
                return failure(call, e);
            }
        }
    }

    private static byte[] failure(RpcCall call, RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "RPC " + call.method().orElse("?") + " failed: " + e);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        Replies.write(out, call, message, Body.EMPTY);
        out.write('\n');
        return out.toByteArray();
    }

    /** The callback to complete once the reply is sent; for session-close, the daemon then stops. */
    private Callback after(RpcCall call, Callback callback) {
        if (!call.method().filter(Methods.SESSION_CLOSE::equals).isPresent()) {
            return callback;
        }
        return Callback.from(callback, () -> Thread.ofPlatform().name("session-close").start(closeDaemon));
    }

    private boolean clientAllowed(Request request) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress socket && socket.getAddress() != null
                && access.clientAllowed().test(socket.getAddress());
    }

    /**
     * Basic credentials, split at the first colon, so that a password may hold colons and spaces (3.00 does the
     * same); anything else (no header, another scheme, bad base64) is a failed login.
     */
    private static boolean authenticated(Request request, HttpAccess.Credentials credentials) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        return colon >= 0 && credentials.check(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    /**
     * The Host header without its port: IP literals, {@code localhost} and {@code localhost.} always pass (they
     * cannot be rebound), other names if the whitelist has them. A request without a Host (HTTP/1.0) names no host
     * to rebind and passes.
     */
    private boolean hostAllowed(Request request) {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null || host.isEmpty()) {
            return true;
        }
        String name = HttpHeaders.hostName(host);
        if (name.equals("localhost") || name.equals("localhost.") || HttpHeaders.isIpLiteral(name)) {
            return true;
        }
        return access.hostAllowed().test(name);
    }

    private boolean webFile(Request request, Response response, Callback callback, String relative)
            throws IOException {
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            return page(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, Pages.METHOD_NOT_ALLOWED);
        }
        StaticFiles.Lookup found = web.find(relative);
        if (found instanceof StaticFiles.Lookup.NotFound(String page)) {
            return page(response, callback, HttpStatus.NOT_FOUND_404, page);
        }
        StaticFiles.Lookup.Found file = (StaticFiles.Lookup.Found) found;
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, file.contentType());
        send(request, response, callback, request.getMethod().equals("HEAD") ? new byte[0] : file.bytes());
        return true;
    }

    /**
     * The request body, or null past {@link #MAX_BODY}: a declared length over it is refused before any byte is
     * read, and a chunked body is read no further than one byte past it.
     */
    private static byte[] body(Request request) throws IOException {
        long declared = request.getLength();
        if (declared > MAX_BODY) {
            return null;
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            return bytes.length > MAX_BODY ? null : bytes;
        }
    }

    /** Sends {@code bytes}, gzipped when the client accepts gzip, as transmission-daemon does. */
    private static void send(Request request, Response response, Callback callback, byte[] bytes) throws IOException {
        byte[] out = bytes;
        if (bytes.length > 0 && HttpHeaders.acceptsGzip(request.getHeaders().get(HttpHeader.ACCEPT_ENCODING))) {
            ByteArrayOutputStream zipped = new ByteArrayOutputStream(bytes.length / 4 + 64);
            try (OutputStream gzip = new GZIPOutputStream(zipped, 8192)) {
                gzip.write(bytes);
            }
            out = zipped.toByteArray();
            response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
        }
        response.getHeaders().put(HttpHeader.VARY, "Accept-Encoding");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, out.length);
        response.write(true, ByteBuffer.wrap(out), callback);
    }

    private static boolean page(Response response, Callback callback, int status, String html) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, HTML);
        byte[] bytes = html.getBytes(StandardCharsets.ISO_8859_1);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }

    private static void redirect(Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.SERVER, "Transmission");
        response.getHeaders().put(HttpHeader.LOCATION, WEB_PATH);
        page(response, callback, HttpStatus.MOVED_PERMANENTLY_301, "<h1>301: Moved Permanently</h1>");
    }

    @Override
    public void close() {
        state.close();
        turtle.close();
        fetcher.close();
    }

    @Override
    protected void doStop() throws Exception {
        close();
        super.doStop();
    }
}
