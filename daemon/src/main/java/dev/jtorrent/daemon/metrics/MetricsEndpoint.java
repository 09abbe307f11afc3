package dev.jtorrent.daemon.metrics;

import dev.jtorrent.daemon.HttpHeaders;
import dev.jtorrent.daemon.HttpAccess;
import dev.jtorrent.daemon.RequestCounter;
import dev.jtorrent.session.Session;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /metrics}: the daemon's figures for Prometheus, in the Prometheus text format ({@code text/plain;
 * version=0.0.4}), or in OpenMetrics when the {@code Accept} header asks for it, as the Prometheus Java client's
 * writers choose; gzipped when the scraper accepts it (Prometheus does). GET and HEAD only.
 *
 * <p>What is reported: the session's figures ({@link SessionMetrics}), the requests each API answered ({@link
 * RequestMetrics}), and the JVM's own ({@code jvm_*} and {@code process_*}, from the client's JVM instrumentation:
 * memory, threads, GC, CPU). Each daemon has a registry of its own, never the client's default one, so that two
 * daemons in one JVM (tests) do not mix; the JVM's figures are the process's, so they have one registry for the
 * JVM ({@link JvmFigures}). Access is checked first ({@link ScrapeAccess}).
 */
public final class MetricsEndpoint extends Handler.Abstract {
    /** Where the endpoint is mounted: where Prometheus looks by default. */
    public static final String PATH = "/metrics";

    private static final System.Logger LOG = System.getLogger(MetricsEndpoint.class.getName());
    private static final String TEXT = "text/plain; charset=UTF-8";

    private final ScrapeAccess access;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();

    /**
     * @param requests what the HTTP front's APIs answered
     */
    public MetricsEndpoint(Session session, RequestCounter requests, HttpAccess access) {
        this.access = new ScrapeAccess(access);
        long started = System.currentTimeMillis();
        registry.register(new SessionMetrics(session, started));
        registry.register(new RequestMetrics(requests, started));
    }

    /**
     * The JVM's figures, registered once per JVM: the client keeps every registry it instruments for good (and a
     * listener on each garbage collector), so a registry per daemon would keep each closed daemon's session alive.
     */
    private static final class JvmFigures {
        static final PrometheusRegistry REGISTRY = new PrometheusRegistry();

        static {
            JvmMetrics.builder().register(REGISTRY);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            return text(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "Method Not Allowed");
        }
        ScrapeAccess.Outcome outcome = access.check(clientOf(request), request.getHeaders().get(HttpHeader.HOST),
                request.getHeaders().get(HttpHeader.AUTHORIZATION));
        if (outcome instanceof ScrapeAccess.Outcome.Refused refused) {
            if (refused.challenge()) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"jtorrent\"");
            }
            return text(response, callback, refused.status(), refused.reason());
        }
        byte[] body;
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        ExpositionFormatWriter writer = writerFor(accept);
        EscapingScheme escaping = EscapingScheme.fromAcceptHeader(accept);
        boolean gzip = HttpHeaders.acceptsGzip(request.getHeaders().get(HttpHeader.ACCEPT_ENCODING));
        try {
            body = scrape(writer, escaping, gzip);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "metrics: the scrape failed: " + e);
            return text(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "The scrape failed");
        }
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType(writer, escaping, accept));
        if (gzip) {
            response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
        }
        response.getHeaders().put(HttpHeader.VARY, "Accept, Accept-Encoding");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, method.equals("HEAD") ? null : ByteBuffer.wrap(body), callback);
        return true;
    }

    /**
     * The writer the {@code Accept} header asks for: OpenMetrics if it says so, else the text format. The client
     * picks protobuf when it is asked first, as Prometheus asks by default, though without the protobuf jar its
     * writer cannot write: the text format then, which Prometheus takes next.
     */
    ExpositionFormatWriter writerFor(String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        return writer.isAvailable() ? writer : formats.getPrometheusTextFormatWriter();
    }

    /**
     * The writer's content type ({@code text/plain; version=0.0.4; charset=utf-8} for the text format), with the
     * escaping of names only when the scraper asked for one: every name here is a legacy one, which no escaping
     * changes, and a scraper that did not ask expects none said.
     */
    static String contentType(ExpositionFormatWriter writer, EscapingScheme escaping, String accept) {
        boolean asked = accept != null && accept.contains("escaping=");
        return writer.getContentType() + (asked ? escaping.toHeaderFormat() : "");
    }

    /** One scrape, written as {@code writer} writes, gzipped if {@code gzip}. */
    byte[] scrape(ExpositionFormatWriter writer, EscapingScheme escaping, boolean gzip) throws IOException {
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        registry.scrape().forEach(all::metricSnapshot);
        JvmFigures.REGISTRY.scrape().forEach(all::metricSnapshot);
        MetricSnapshots snapshots = all.build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        try (OutputStream out = gzip ? new GZIPOutputStream(bytes, 8192) : bytes) {
            writer.write(out, snapshots, escaping);
        }
        return bytes.toByteArray();
    }

    private static InetAddress clientOf(Request request) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress socket ? socket.getAddress() : null;
    }

    private static boolean text(Response response, Callback callback, int status, String text) {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, TEXT);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
