package dev.jtorrent.cli.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Transmission's JSON RPC (`/transmission/rpc`), as {@link TransmissionClient} drives the daemon: every request
 * carries the session id, and a 409 answer hands out the id to repeat the request with.
 */
final class TransmissionRpc {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI rpc;
    private final Supplier<String> describe;
    private String sessionId = "";

    /** @param describe the daemon's state and log, added to every failure */
    TransmissionRpc(int port, Supplier<String> describe) {
        this.rpc = URI.create("http://127.0.0.1:" + port + "/transmission/rpc");
        this.describe = describe;
    }

    /** One RPC call; the answer's JSON text. */
    String call(String json) {
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(rpc)
                        .timeout(Duration.ofSeconds(10))
                        .header("X-Transmission-Session-Id", sessionId)
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
                Optional<String> id = response.headers().firstValue("X-Transmission-Session-Id");
                if (response.statusCode() == 409 && id.isPresent()) {
                    sessionId = id.get();
                    continue;
                }
                if (response.statusCode() != 200) {
                    throw new AssertionError("transmission RPC answered HTTP " + response.statusCode() + ": "
                            + response.body() + "\n" + describe.get());
                }
                return response.body();
            }
            throw new AssertionError("transmission RPC kept answering 409\n" + describe.get());
        } catch (IOException e) {
            throw new UncheckedIOException("transmission RPC " + rpc, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A JSON string literal; test paths are plain, but a quote or backslash must not break the request. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"', '\\' -> out.append('\\').append(c);
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** A .torrent file as the `metainfo` argument of `torrent-add` wants it. */
    static String base64(Path file) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
