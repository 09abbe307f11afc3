package dev.jtorrent.daemon.qbittorrent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches a .torrent from an http(s) URL given to {@code torrents/add}: within {@link #timeout} in all (connecting,
 * the headers and the whole body: a server that trickles bytes cannot hold a request thread longer), and at most
 * {@link #maxBytes} of body, refused past that. Redirects are followed as the JDK's client does by default
 * ({@code NORMAL}: never from https to http).
 */
final class UrlFetcher {
    private final Duration timeout;
    private final int maxBytes;
    private final HttpClient client;

    UrlFetcher(Duration timeout, int maxBytes) {
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    static boolean fetchable(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /**
     * The body at {@code url}.
     *
     * @throws IOException with one line saying why, if it cannot be had within the bounds
     */
    byte[] fetch(String url) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IOException("not a valid URL: " + url);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<HttpResponse<InputStream>> sent =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try {
            response = sent.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            throw new IOException("no answer from " + url + " within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IOException("cannot fetch " + url + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + url);
        }
        InputStream body = response.body();
        if (response.statusCode() != 200) {
            body.close();
            throw new IOException(url + " answered HTTP " + response.statusCode());
        }
        // The body is read here; at the deadline, closing the stream fails the read that waits.
        long left = Math.max(1, deadline - System.nanoTime());
        CompletableFuture<Void> cutOff = CompletableFuture.runAsync(() -> close(body),
                CompletableFuture.delayedExecutor(left, TimeUnit.NANOSECONDS));
        try (body) {
            byte[] bytes = body.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new IOException(url + " is larger than " + maxBytes + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            if (System.nanoTime() - deadline >= 0) {
                throw new IOException("the body of " + url + " did not arrive within " + timeout.toSeconds() + " s");
            }
            throw e;
        } finally {
            cutOff.cancel(false);
        }
    }

    private static void close(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // closing to cut a read off: nothing more to do
        }
    }
}
