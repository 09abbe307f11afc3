package dev.jtorrent.daemon.web;

import dev.jtorrent.daemon.HttpHeaders;
import dev.jtorrent.daemon.HttpAccess;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The UI's files over HTTP: types, the security headers, caching, gzip, and nothing but the listed files. */
class WebUiTest {
    Server server;
    ServerConnector connector;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        HttpAccess access = new HttpAccess(InetAddress::isLoopbackAddress,
                host -> host.equals("127.0.0.1") || host.equals("localhost"), Optional.empty());
        server.setHandler(new WebUi(access));
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.getLocalPort()
                + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesEachFileWithItsTypeAndAStrictPolicy() throws Exception {
        String[][] expected = {{"/", "text/html; charset=UTF-8"}, {"/index.html", "text/html; charset=UTF-8"},
                {"/style.css", "text/css; charset=UTF-8"}, {"/main.js", "text/javascript; charset=UTF-8"},
                {"/icon.svg", "image/svg+xml"}};
        for (String[] file : expected) {
            HttpResponse<byte[]> response = get(file[0]);
            assertThat(response.statusCode()).as(file[0]).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).as(file[0]).contains(file[1]);
            assertThat(response.headers().firstValue("content-security-policy")).contains(WebUi.CSP);
            assertThat(response.headers().firstValue("x-content-type-options")).contains("nosniff");
            assertThat(response.headers().firstValue("cache-control")).contains("no-cache");
        }
        assertThat(WebUi.CSP).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
        assertThat(new String(get("/").body(), StandardCharsets.UTF_8)).contains("<script type=\"module\" src=\"main.js\">");
    }

    @Test
    void everyModuleThePageImportsIsServed() throws Exception {
        for (String file : WebUi.FILES) {
            String text = new String(get("/" + file).body(), StandardCharsets.UTF_8);
            var imports = java.util.regex.Pattern.compile("from '\\./([a-z]+\\.js)'").matcher(text);
            while (imports.find()) {
                assertThat(WebUi.FILES).as(file + " imports " + imports.group(1)).contains(imports.group(1));
            }
            // Nothing from elsewhere (an SVG's XML namespace is a name, not a fetch), and nothing inline.
            assertThat(text.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).as(file)
                    .doesNotContain("http://", "https://", "style=\"", "onclick=", "<script>");
        }
    }

    @Test
    void revalidatesByEtag() throws Exception {
        HttpResponse<byte[]> first = get("/main.js");
        String etag = first.headers().firstValue("etag").orElseThrow();
        HttpResponse<byte[]> again = get("/main.js", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get("/main.js", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void gzipsForClientsThatAcceptIt() throws Exception {
        HttpResponse<byte[]> plain = get("/list.js");
        HttpResponse<byte[]> zipped = get("/list.js", "Accept-Encoding", "gzip, deflate");
        assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
        assertThat(zipped.headers().firstValue("content-encoding")).contains("gzip");
        assertThat(zipped.headers().firstValue("vary")).contains("Accept-Encoding");
        assertThat(zipped.body().length).isLessThan(plain.body().length);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain.body());
        }
        assertThat(get("/list.js", "Accept-Encoding", "gzip;q=0").headers().firstValue("content-encoding")).isEmpty();
    }

    @Test
    void acceptsGzipReadsTheHeaderAsHttpDefinesIt() {
        assertThat(HttpHeaders.acceptsGzip("gzip")).isTrue();
        assertThat(HttpHeaders.acceptsGzip("br, GZIP;q=0.5")).isTrue();
        assertThat(HttpHeaders.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(HttpHeaders.acceptsGzip("gzip; q=0.000")).isFalse();
        assertThat(HttpHeaders.acceptsGzip("deflate, br")).isFalse();
        assertThat(HttpHeaders.acceptsGzip(null)).isFalse();
    }

    @Test
    void servesNothingButItsFiles() throws Exception {
        for (String path : new String[]{"/nothing.js", "/../pom.xml", "/dev/jtorrent/daemon/web/WebUi.class",
                "/WebUi.class", "/%2e%2e/etc/passwd", "/index.html/"}) {
            assertThat(get(path).statusCode()).as(path).isIn(400, 404);
        }
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + connector.getLocalPort() + "/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void refusesAnUnknownHostAgainstDnsRebinding() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", connector.getLocalPort())) {
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 421 ");
        }
    }
}
