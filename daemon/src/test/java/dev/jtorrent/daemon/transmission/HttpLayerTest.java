package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class HttpLayerTest {
    @TempDir
    Path dir;

    private static final String SESSION_GET = "{\"method\":\"session-get\",\"arguments\":{\"fields\":[\"version\"]}}";

    @Test
    void theFirstRequestGets409WithTheSessionIdAndTheRetrySucceeds() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            HttpResponse<String> first = rpc.http.send(HttpRequest.newBuilder(rpc.uri(TransmissionRpc.RPC_PATH))
                    .POST(HttpRequest.BodyPublishers.ofString(SESSION_GET)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(409);
            String id = first.headers().firstValue("X-Transmission-Session-Id").orElseThrow();
            assertThat(id).hasSize(SessionId.LENGTH).matches("[A-Za-z0-9]+");
            assertThat(first.headers().firstValue("Content-Type")).contains("text/html; charset=ISO-8859-1");
            assertThat(first.headers().firstValue("X-Transmission-Rpc-Version")).contains("5.3.0");
            assertThat(first.headers().allValues("Server")).containsExactly("Transmission");
            assertThat(first.body()).endsWith("<p><code>X-Transmission-Session-Id: " + id + "</code></p>");

            // The header's name in lower case, as some clients send it.
            HttpResponse<String> retry = rpc.http.send(HttpRequest.newBuilder(rpc.uri(TransmissionRpc.RPC_PATH))
                    .header("x-transmission-session-id", id)
                    .POST(HttpRequest.BodyPublishers.ofString(SESSION_GET)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(retry.statusCode()).isEqualTo(200);
            assertThat(retry.headers().firstValue("Content-Type")).contains("application/json; charset=UTF-8");
            assertThat(retry.body()).contains("\"result\":\"success\"").endsWith("}\n");

            HttpResponse<String> wrong = rpc.http.send(HttpRequest.newBuilder(rpc.uri(TransmissionRpc.RPC_PATH))
                    .header("X-Transmission-Session-Id", "x".repeat(48))
                    .POST(HttpRequest.BodyPublishers.ofString(SESSION_GET)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(409);
            assertThat(wrong.headers().firstValue("X-Transmission-Session-Id")).contains(id);
        }
    }

    @Test
    void aGetIs409WithoutTheIdAnd405WithIt() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            HttpResponse<String> noId = rpc.http.send(HttpRequest.newBuilder(rpc.uri(TransmissionRpc.RPC_PATH)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(noId.statusCode()).isEqualTo(409);
            String id = noId.headers().firstValue("X-Transmission-Session-Id").orElseThrow();
            HttpResponse<String> get = rpc.http.send(HttpRequest.newBuilder(rpc.uri(TransmissionRpc.RPC_PATH))
                    .header("X-Transmission-Session-Id", id).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(get.headers().firstValue("Content-Type")).contains("text/html; charset=ISO-8859-1");
        }
    }

    @Test
    void anyPathStartingWithTheRpcPathIsTheRpcAndOtherPathsUnderTransmissionAreNotFound() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            rpc.reply(SESSION_GET); // the handshake
            String id = rpc.http.send(HttpRequest.newBuilder(rpc.uri("/transmission/rpc")).build(),
                    HttpResponse.BodyHandlers.ofString()).headers().firstValue("X-Transmission-Session-Id").orElseThrow();
            for (String path : new String[]{"/transmission/rpc/", "/transmission/rpc/rpc/"}) {
                HttpResponse<String> response = rpc.http.send(HttpRequest.newBuilder(rpc.uri(path))
                        .header("X-Transmission-Session-Id", id)
                        .POST(HttpRequest.BodyPublishers.ofString(SESSION_GET)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(path).isEqualTo(200);
            }
            HttpResponse<String> other = rpc.http.send(HttpRequest.newBuilder(rpc.uri("/transmission/other"))
                    .header("X-Transmission-Session-Id", id).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void withAPasswordAMissingOrWrongLoginIs401BeforeAny409() throws Exception {
        try (RpcFixture rpc = new RpcFixture(dir, true, InetAddress::isLoopbackAddress, Optional.empty())) {
            String[] bad = {null, RpcFixture.basic("user", "wrong"), RpcFixture.basic("other", RpcFixture.PASSWORD),
                    "Basic !!!not-base64", "Basic " + java.util.Base64.getEncoder().encodeToString("nocolon".getBytes()),
                    "Bearer abc"};
            int failures = 0;
            for (String authorization : bad) {
                HttpRequest.Builder request = HttpRequest.newBuilder(rpc.uri(TransmissionRpc.RPC_PATH))
                        .POST(HttpRequest.BodyPublishers.ofString(SESSION_GET));
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                HttpResponse<String> response = rpc.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                failures++;
                assertThat(response.statusCode()).as(String.valueOf(authorization)).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"Transmission\"");
                assertThat(response.headers().firstValue("X-Transmission-Session-Id")).isEmpty();
                assertThat(response.body()).isEqualTo("<h1>401: Unauthorized</h1><p>Unauthorized User. " + failures
                        + " unsuccessful login attempts.</p>");
            }
            HttpResponse<byte[]> good = rpc.post(SESSION_GET.getBytes(StandardCharsets.UTF_8), true, Map.of());
            assertThat(good.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void afterAHundredFailedLoginsEveryRequestIsRefusedEvenAGoodOne() throws Exception {
        try (RpcFixture rpc = new RpcFixture(dir, true, InetAddress::isLoopbackAddress, Optional.empty())) {
            for (int i = 0; i < LoginLockout.MAX_FAILURES - 1; i++) {
                assertThat(rpc.raw(head("POST", "127.0.0.1", "Authorization: Basic eDp5\r\n", 0), new byte[0])
                        .status()).isEqualTo(401);
            }
            // One short of the limit, a good login still works, and resets the count.
            assertThat(rpc.post(SESSION_GET.getBytes(StandardCharsets.UTF_8), true, Map.of()).statusCode()).isEqualTo(200);
            for (int i = 0; i < LoginLockout.MAX_FAILURES; i++) {
                rpc.raw(head("POST", "127.0.0.1", "Authorization: Basic eDp5\r\n", 0), new byte[0]);
            }
            HttpResponse<byte[]> locked = rpc.post(SESSION_GET.getBytes(StandardCharsets.UTF_8), true, Map.of());
            assertThat(locked.statusCode()).isEqualTo(403);
            assertThat(new String(locked.body(), StandardCharsets.ISO_8859_1)).contains("Too many unsuccessful login");
        }
    }

    @Test
    void aClientOutsideTheWhitelistIs403() throws Exception {
        try (RpcFixture rpc = new RpcFixture(dir, true, address -> false, Optional.empty())) {
            HttpResponse<String> response = rpc.http.send(HttpRequest.newBuilder(rpc.uri(TransmissionRpc.RPC_PATH))
                    .POST(HttpRequest.BodyPublishers.ofString(SESSION_GET)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).startsWith("<h1>403: Forbidden</h1><p>Unauthorized IP Address.</p>");
        }
    }

    @Test
    void anUnknownHostIs421EvenWithAPasswordWhileIpLiteralsLocalhostAndWhitelistedNamesPass() throws Exception {
        try (RpcFixture rpc = new RpcFixture(dir, true, InetAddress::isLoopbackAddress, Optional.empty())) {
            String login = "Authorization: " + RpcFixture.basic(RpcFixture.USER, RpcFixture.PASSWORD) + "\r\n";
            int port = rpc.daemon.rpcPort();
            RpcFixture.RawResponse rebound = rpc.raw(head("POST", "rebind.attacker.example:" + port, login, 0),
                    new byte[0]);
            assertThat(rebound.status()).isEqualTo(421);
            assertThat(rebound.text()).startsWith("<h1>421: Misdirected Request</h1>");
            for (String host : new String[]{"localhost:" + port, "127.0.0.1:" + port, "localhost.", "[::1]:" + port,
                    "nas.example.lan", "NAS.example.lan:" + port}) {
                assertThat(rpc.raw(head("POST", host, login, 0), new byte[0]).status()).as(host).isEqualTo(409);
            }
        }
    }

    @Test
    void theWebPathWithoutItsSlashRedirectsToTheWebClient() throws Exception {
        // "/" is jtorrent's own web UI (WebUiTest); Transmission's web client lives under /transmission/web/.
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            for (String path : new String[]{"/transmission/web"}) {
                RpcFixture.RawResponse response = rpc.raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Connection: close\r\n\r\n", new byte[0]);
                assertThat(response.status()).as(path).isEqualTo(301);
                assertThat(response.headers().get("location")).isEqualTo("/transmission/web/");
            }
        }
    }

    @Test
    void withoutAWebHomeTheWebPathSaysHowToGetOne() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            HttpResponse<String> response = rpc.http.send(HttpRequest.newBuilder(rpc.uri("/transmission/web/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).contains("--web-home");
        }
    }

    @Test
    void theWebHomeIsServedWithoutASessionIdButNothingOutsideIt() throws Exception {
        Path web = Files.createDirectories(dir.resolve("web"));
        Files.writeString(web.resolve("index.html"), "<html>client</html>");
        Files.createDirectories(web.resolve("javascript"));
        Files.writeString(web.resolve("javascript").resolve("app.js"), "let x = 1;");
        Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        Files.createSymbolicLink(web.resolve("escape.txt"), dir.resolve("secret.txt"));
        try (RpcFixture rpc = new RpcFixture(dir, true, InetAddress::isLoopbackAddress, Optional.of(web))) {
            String login = "Authorization: " + RpcFixture.basic(RpcFixture.USER, RpcFixture.PASSWORD) + "\r\n";
            RpcFixture.RawResponse index = rpc.raw(head("GET", "127.0.0.1", login, -1).replace("/transmission/rpc",
                    "/transmission/web/"), new byte[0]);
            assertThat(index.status()).isEqualTo(200);
            assertThat(index.headers().get("content-type")).startsWith("text/html");
            assertThat(index.text()).isEqualTo("<html>client</html>");
            RpcFixture.RawResponse script = rpc.raw(head("GET", "127.0.0.1", login, -1).replace("/transmission/rpc",
                    "/transmission/web/javascript/app.js"), new byte[0]);
            assertThat(script.headers().get("content-type")).startsWith("text/javascript");

            RpcFixture.RawResponse noLogin = rpc.raw(head("GET", "127.0.0.1", "", -1).replace("/transmission/rpc",
                    "/transmission/web/"), new byte[0]);
            assertThat(noLogin.status()).isEqualTo(401);
            for (String path : new String[]{"/transmission/web/escape.txt", "/transmission/web/../../secret.txt",
                    "/transmission/web/%2e%2e/%2e%2e/secret.txt", "/transmission/web/..%2f..%2fsecret.txt"}) {
                RpcFixture.RawResponse response = rpc.raw(head("GET", "127.0.0.1", login, -1)
                        .replace("/transmission/rpc", path), new byte[0]);
                assertThat(response.status()).as(path).isIn(400, 404);
                assertThat(response.text()).doesNotContain("TOP-SECRET-CONTENT");
            }
        }
    }

    @Test
    void aBodyOverTheLimitIs413WhetherDeclaredOrStreamed() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            rpc.reply(SESSION_GET);
            String id = rpc.http.send(HttpRequest.newBuilder(rpc.uri("/transmission/rpc")).build(),
                    HttpResponse.BodyHandlers.ofString()).headers().firstValue("X-Transmission-Session-Id").orElseThrow();
            RpcFixture.RawResponse declared = rpc.raw(head("POST", "127.0.0.1",
                    "X-Transmission-Session-Id: " + id + "\r\n", TransmissionRpc.MAX_BODY + 1), new byte[0]);
            assertThat(declared.status()).isEqualTo(413);

            byte[] big = new byte[TransmissionRpc.MAX_BODY + 1];
            java.util.Arrays.fill(big, (byte) ' ');
            HttpResponse<String> streamed = rpc.http.send(HttpRequest.newBuilder(rpc.uri(TransmissionRpc.RPC_PATH))
                    .header("X-Transmission-Session-Id", id)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(streamed.statusCode()).isEqualTo(413);
            // The daemon is still there.
            assertThat(rpc.reply(SESSION_GET).get("result").asString()).isEqualTo("success");
        }
    }

    @Test
    void repliesAreGzippedWhenTheClientAcceptsItAndAnyContentTypeIsTaken() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            HttpResponse<byte[]> zipped = rpc.post(SESSION_GET.getBytes(StandardCharsets.UTF_8), false,
                    Map.of("Accept-Encoding", "gzip, compress, deflate, br", "Content-Type", "json"));
            assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("\"result\":\"success\"");
            }
            for (String type : new String[]{"application/x-www-form-urlencoded", "text/plain"}) {
                HttpResponse<byte[]> plain = rpc.post(SESSION_GET.getBytes(StandardCharsets.UTF_8), false,
                        Map.of("Content-Type", type, "Accept-Encoding", "gzip;q=0"));
                assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
                assertThat(new String(plain.body(), StandardCharsets.UTF_8)).contains("\"result\":\"success\"");
            }
        }
    }

    @Test
    void fiveRequestsGoOverOneKeptAliveConnection() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            rpc.reply(SESSION_GET);
            String id = rpc.http.send(HttpRequest.newBuilder(rpc.uri("/transmission/rpc")).build(),
                    HttpResponse.BodyHandlers.ofString()).headers().firstValue("X-Transmission-Session-Id").orElseThrow();
            byte[] body = SESSION_GET.getBytes(StandardCharsets.UTF_8);
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), rpc.daemon.rpcPort())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                for (int i = 0; i < 5; i++) {
                    out.write(head("POST", "127.0.0.1", "X-Transmission-Session-Id: " + id + "\r\n", body.length)
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                    RpcFixture.RawResponse response = RpcFixture.RawResponse.read(socket.getInputStream());
                    assertThat(response.status()).isEqualTo(200);
                    assertThat(response.text()).contains("success");
                }
            }
        }
    }

    @Test
    void acceptEncodingIsReadAsTheHttpSpecSays() {
        assertThat(HttpHeaders.acceptsGzip("gzip")).isTrue();
        assertThat(HttpHeaders.acceptsGzip("deflate, GZIP;q=0.5")).isTrue();
        assertThat(HttpHeaders.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(HttpHeaders.acceptsGzip("gzip; q=0.000")).isFalse();
        assertThat(HttpHeaders.acceptsGzip("br, deflate")).isFalse();
        assertThat(HttpHeaders.acceptsGzip(null)).isFalse();
    }

    @Test
    void hostNamesAreTakenWithoutTheirPort() {
        assertThat(HttpHeaders.hostName("Example.org:9091")).isEqualTo("example.org");
        assertThat(HttpHeaders.hostName("[::1]:9091")).isEqualTo("[::1]");
        assertThat(HttpHeaders.hostName("localhost.")).isEqualTo("localhost.");
        assertThat(HttpHeaders.isIpLiteral("10.0.0.1")).isTrue();
        assertThat(HttpHeaders.isIpLiteral("[fe80::1]")).isTrue();
        assertThat(HttpHeaders.isIpLiteral("300.0.0.1")).isFalse();
        assertThat(HttpHeaders.isIpLiteral("1.2.3")).isFalse();
        assertThat(HttpHeaders.isIpLiteral("evil.1.2.3.4")).isFalse();
    }

    /** A request head to the RPC; a length of -1 sends none (for a GET). */
    static String head(String method, String host, String extraHeaders, long length) {
        return method + " " + TransmissionRpc.RPC_PATH + " HTTP/1.1\r\nHost: " + host + "\r\n" + extraHeaders
                + (length >= 0 ? "Content-Length: " + length + "\r\n" : "") + "\r\n";
    }
}
