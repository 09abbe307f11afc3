package dev.jtorrent.tracker;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GETs over the JDK's HttpClient, for {@code https://} trackers, with the body capped by {@link CappedBody} as it
 * arrives. TLS is the one thing worth the client's cost: building it takes a fresh process about 150 ms (it loads
 * the CA certificates and starts its asynchronous machinery), so {@link HttpTracker} builds one only when a tracker
 * URL or a redirect first needs it.
 */
final class JdkHttpTransport implements HttpTransport, AutoCloseable {
    private final TrackerConfig config;
    private final HttpErrors errors;
    /**
     * A client per local address a request leaves from (HttpClient binds all its connections to one): with bind
     * addresses of both families, a client for each family's, built when first needed.
     */
    private final Map<Optional<InetAddress>, HttpClient> clients = new HashMap<>();

    JdkHttpTransport(TrackerConfig config) {
        this.config = config;
        this.errors = new HttpErrors(config);
    }

    private synchronized HttpClient client(Optional<InetAddress> local) {
        return clients.computeIfAbsent(local, address -> {
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(config.connectTimeout())
                    // HttpTracker follows redirects itself, each hop within the one deadline.
                    .followRedirects(HttpClient.Redirect.NEVER);
            address.ifPresent(builder::localAddress);
            return builder.build();
        });
    }

    @Override
    public Reply get(URI uri, InetAddress host, long deadline) throws TrackerException, InterruptedException {
        HttpClient client = client(config.localFor(host));
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw errors.timeout();
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofNanos(remaining))
                .header("Accept-Encoding", "gzip")
                .header("User-Agent", "jtorrent")
                .GET().build();
        Future<HttpResponse<byte[]>> future = client.sendAsync(request, info -> new CappedBody(HttpTracker.MAX_REPLY));
        HttpResponse<byte[]> response;
        try {
            response = future.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw errors.timeout();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        }
        return new Reply(response.statusCode(), response.headers().firstValue("Location"),
                response.headers().firstValue("Content-Encoding"), response.body());
    }

    private TrackerException failure(Throwable cause) {
        // The JDK wraps the real cause in IOExceptions; look through them for the ones with a message of our own.
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof CappedBody.TooLarge) {
                return HttpErrors.tooLarge();
            }
            if (c instanceof HttpConnectTimeoutException) {
                return errors.connectTimeout();
            }
            if (c instanceof HttpTimeoutException) {
                return errors.timeout();
            }
        }
        return HttpErrors.unreachable(cause);
    }

    @Override
    public synchronized void close() {
        clients.values().forEach(HttpClient::close);
    }
}
