package dev.jtorrent.daemon.web;

import dev.jtorrent.daemon.HttpHeaders;
import dev.jtorrent.daemon.HttpAccess;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * jtorrent's own web UI at {@code /}: a page, its style sheet and its ES modules, read once from the daemon jar's
 * resources ({@link #FILES}, a fixed list, so no request names a file of its own choosing) and kept in memory with
 * their gzip form ({@link Asset}). The page reaches the daemon through the qBittorrent Web API and its event stream
 * ({@code /api/v2/jtorrent/events}); nothing here needs a session, since these files hold no data.
 *
 * <p>Every answer carries {@link #CSP}: scripts, styles and connections from this origin only, no inline script or
 * style, no frames, no forms to elsewhere, so that a torrent name that smuggled markup into the page could run
 * nothing. Files are revalidated on each load ({@code no-cache} with an ETag, 304 when unchanged): their names
 * carry no version, as there is no build step to add one, and revalidating a handful of small files costs a round
 * trip each. The client whitelist applies as to the APIs (403); then a path that is none of the files is 404; then
 * the Host check, by the rule the qBittorrent API applies (421 here, with a line saying how to allow the name), so
 * that a page reached by a name the API would refuse says so at once rather than failing at its first call.
 */
public final class WebUi extends Handler.Abstract {
    /** The files of the UI, under {@code dev/jtorrent/daemon/web/} in the jar and at {@code /} over HTTP. */
    static final List<String> FILES = List.of("index.html", "style.css", "icon.svg", "main.js", "api.js",
            "store.js", "list.js", "details.js", "dialogs.js", "format.js", "events.js");

    /** What the page may load and do; see the class comment. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final HttpAccess access;
    private final Map<String, Asset> assets = new HashMap<>();

    public WebUi(HttpAccess access) {
        this.access = Objects.requireNonNull(access, "access");
        for (String file : FILES) {
            try (InputStream in = WebUi.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("the web UI's " + file + " is missing from the jar");
                }
                assets.put("/" + file, Asset.of(file, in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the web UI's " + file, e);
            }
        }
        assets.put("/", assets.get("/index.html"));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        var headers = response.getHeaders();
        headers.put("Content-Security-Policy", CSP);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "same-origin");
        if (!clientAllowed(request)) {
            return text(response, callback, 403, "Forbidden");
        }
        String method = request.getMethod();
        boolean head = method.equals("HEAD");
        if (!head && !method.equals("GET")) {
            headers.put(HttpHeader.ALLOW, "GET, HEAD");
            return text(response, callback, 405, "Method Not Allowed");
        }
        Asset asset = assets.get(request.getHttpURI().getPath());
        if (asset == null) {
            return text(response, callback, 404, "Not Found");
        }
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null || !access.hostAllowed().test(hostName(host))) {
            return text(response, callback, 421, "Misdirected Request: add this host name to the daemon's"
                    + " --rpc-host-whitelist");
        }
        headers.put(HttpHeader.CACHE_CONTROL, "no-cache");
        headers.put(HttpHeader.ETAG, asset.etag());
        headers.put(HttpHeader.VARY, "Accept-Encoding");
        if (asset.etag().equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
            response.setStatus(304);
            callback.succeeded();
            return true;
        }
        headers.put(HttpHeader.CONTENT_TYPE, asset.contentType());
        boolean gzip = asset.gzipped() != null && HttpHeaders.acceptsGzip(request.getHeaders().get(HttpHeader.ACCEPT_ENCODING));
        byte[] body = gzip ? asset.gzipped() : asset.bytes();
        if (gzip) {
            headers.put(HttpHeader.CONTENT_ENCODING, "gzip");
        }
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.setStatus(200);
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
        return true;
    }

    private boolean clientAllowed(Request request) {
        try {
            // A literal address: no lookup is made.
            return access.clientAllowed().test(InetAddress.getByName(Request.getRemoteAddr(request)));
        } catch (UnknownHostException e) {
            return false;
        }
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

    private static boolean text(Response response, Callback callback, int status, String message) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=UTF-8");
        response.write(true, ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
