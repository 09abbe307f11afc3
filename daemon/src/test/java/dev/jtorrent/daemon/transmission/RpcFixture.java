package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.Daemon;
import dev.jtorrent.daemon.DaemonConfig;
import dev.jtorrent.daemon.HttpAccess;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.session.SessionConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A real daemon on loopback (DHT and LSD off) with the JDK's HTTP client doing the session-id handshake, for the RPC's
 * tests; and a raw HTTP/1.1 connection for what the JDK client will not send (a Host header of one's own, a length
 * it does not send).
 */
final class RpcFixture implements AutoCloseable {
    static final String USER = "user";
    /** A password with a colon and a space: Basic credentials split at the first colon only. */
    static final String PASSWORD = "pa:ss word";
    static final JsonMapper JSON = JsonMapper.builder().build();

    final Path dir;
    final Daemon daemon;
    final HttpClient http = HttpClient.newHttpClient();
    private String sessionId = "";

    RpcFixture(Path dir, boolean auth, Predicate<InetAddress> clients, Optional<Path> webHome) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("downloads"));
        SessionConfig session = SessionConfig.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(0)
                .dht(false)
                .lsd(false)
                .downloadDirectory(dir.resolve("downloads"))
                .resumeDirectory(dir.resolve("config").resolve("resume"))
                .build();
        Optional<HttpAccess.Credentials> credentials = auth
                ? Optional.of((user, password) -> user.equals(USER) && password.equals(PASSWORD))
                : Optional.empty();
        HttpAccess access = new HttpAccess(clients, host -> host.equals("nas.example.lan"), credentials);
        daemon = Daemon.start(new DaemonConfig(session, dir.resolve("config"), InetAddress.getLoopbackAddress(), 0,
                access, webHome, List.of(dir.resolve("downloads"))));
    }

    static RpcFixture open(Path dir) throws IOException {
        return new RpcFixture(dir, false, InetAddress::isLoopbackAddress, Optional.empty());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + daemon.rpcPort() + path);
    }

    Path downloads() {
        return dir.resolve("downloads");
    }

    /** Posts a body to the RPC, redoing the 409 handshake once, with Basic credentials if {@code auth}. */
    HttpResponse<byte[]> post(byte[] body, boolean auth, Map<String, String> headers) throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(TransmissionRpc.RPC_PATH))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .header(TransmissionRpc.SESSION_ID_HEADER, sessionId);
            if (auth) {
                request.header("Authorization", basic(USER, PASSWORD));
            }
            headers.forEach(request::header);
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 409 && attempt == 0) {
                sessionId = response.headers().firstValue(TransmissionRpc.SESSION_ID_HEADER).orElseThrow();
                continue;
            }
            return response;
        }
    }

    /** A legacy request's reply, parsed. */
    JsonNode call(String method, Object arguments) throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.put("method", method);
        request.set("arguments", JSON.valueToTree(arguments));
        return reply(JSON.writeValueAsBytes(request));
    }

    JsonNode reply(byte[] body) throws Exception {
        HttpResponse<byte[]> response = post(body, false, Map.of());
        if (response.statusCode() != 200) {
            throw new AssertionError("HTTP " + response.statusCode() + ": " + new String(response.body(),
                    StandardCharsets.ISO_8859_1));
        }
        return JSON.readTree(response.body());
    }

    JsonNode reply(String body) throws Exception {
        return reply(body.getBytes(StandardCharsets.UTF_8));
    }

    /** The arguments of a call that must succeed. */
    JsonNode ok(String method, Object arguments) throws Exception {
        JsonNode reply = call(method, arguments);
        if (!reply.path("result").asString().equals("success")) {
            throw new AssertionError(method + " answered " + reply);
        }
        return reply.get("arguments");
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Object> args(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** A .torrent of one file of {@code size} zero bytes in 16 KiB pieces, the file written under {@code dir}. */
    static byte[] metainfo(Path dir, String name, int size) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[size]);
        TorrentBuilder builder = TorrentBuilder.of(file).withPieceLength(Optional.of(16 * 1024));
        return builder.build(builder.plan(), new AtomicLong());
    }

    /** Adds a paused torrent by metainfo; returns its id. */
    int addPaused(String name, int size) throws Exception {
        byte[] torrent = metainfo(dir.resolve("sources"), name, size);
        JsonNode added = ok("torrent-add", args("metainfo", Base64.getEncoder().encodeToString(torrent),
                "paused", true));
        return added.get("torrent-added").get("id").asInt();
    }

    /** One raw HTTP/1.1 exchange on a connection of its own. */
    RawResponse raw(String requestHead, byte[] body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), daemon.rpcPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return RawResponse.read(socket.getInputStream());
        }
    }

    /** A response read off a raw connection: status, headers (names in lower case) and body. */
    record RawResponse(int status, Map<String, String> headers, byte[] body) {
        static RawResponse read(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            return new RawResponse(status, headers, in.readNBytes(length));
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed in a response head");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }

        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() {
        daemon.close();
        http.close();
    }
}
