package dev.jtorrent.daemon.transmission;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fetches the .torrent that a torrent-add names by an http(s) URL (and blocklist-update's list), before the reply,
 * as transmission-daemon does:
 * within {@link #timeout} for the whole exchange, however slowly the server drips, and at most {@link #maxBytes}.
 * Failures are worded as 3.00 words them ({@code gotMetadataFromURL: http error 404: Not Found}; {@code http error
 * 0: No Response} when nothing usable came back in time).
 */
final class MetainfoFetcher implements AutoCloseable {
    /** The default bounds: a .torrent is rarely over a few MiB, and a web server answers within seconds. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
    static final String PREFIX = "gotMetadataFromURL: ";
    static final String NO_ANSWER = "http error 0: No Response";
    static final String NO_RESPONSE = PREFIX + NO_ANSWER;

    private static final Map<Integer, String> REASONS = Map.of(400, "Bad Request", 401, "Unauthorized",
            403, "Forbidden", 404, "Not Found", 410, "Gone", 429, "Too Many Requests", 500, "Internal Server Error",
            502, "Bad Gateway", 503, "Service Unavailable", 504, "Gateway Timeout");

    private final Duration timeout;
    private final int maxBytes;
    private final HttpClient client;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    MetainfoFetcher(Duration timeout, int maxBytes) {
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .executor(threads)
                .build();
    }

    /** Whether {@code filename} is a URL this fetches. */
    static boolean isUrl(String filename) {
        return filename.startsWith("http://") || filename.startsWith("https://");
    }

    /**
     * @param cookies torrent-add's {@code cookies}, sent as the Cookie header
     * @throws RpcException worded as 3.00 words it, if nothing usable came back
     */
    byte[] fetch(String url, Optional<String> cookies) throws RpcException {
        return fetch(url, cookies, PREFIX);
    }

    /**
     * @param prefix what each failure's wording starts with: 3.00 words a failed .torrent fetch {@value #PREFIX}...,
     *               and a failed blocklist fetch {@code gotNewBlocklist: }...
     */
    byte[] fetch(String url, Optional<String> cookies, String prefix) throws RpcException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new RpcException(prefix + "not a URL: " + e.getMessage());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        cookies.filter(c -> !c.isBlank() && c.chars().noneMatch(ch -> ch == '\r' || ch == '\n'))
                .ifPresent(c -> request.header("Cookie", c));
        AtomicReference<InputStream> body = new AtomicReference<>();
        Future<byte[]> result = threads.submit(() -> {
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                body.set(in);
                if (response.statusCode() != 200) {
                    throw new RpcException(prefix + "http error " + response.statusCode() + ": "
                            + REASONS.getOrDefault(response.statusCode(), "Error"));
                }
                byte[] bytes = in.readNBytes(maxBytes + 1);
                if (bytes.length > maxBytes) {
                    throw new RpcException(prefix + "the .torrent is larger than " + maxBytes + " bytes");
                }
                return bytes;
            }
        });
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            closeQuietly(body.get());
            throw new RpcException(prefix + NO_ANSWER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(true);
            throw new RpcException(prefix + NO_ANSWER);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RpcException rpc) {
                throw rpc;
            }
            throw new RpcException(prefix + NO_ANSWER);
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // Closing is only to wake the reader; it is being abandoned either way.
            }
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
        threads.shutdownNow();
    }
}
