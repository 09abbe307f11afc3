package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.daemon.Categories;
import dev.jtorrent.daemon.HttpAccess;
import dev.jtorrent.daemon.Tags;
import dev.jtorrent.daemon.TorrentTable;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A session with the Web API in front of it on loopback (DHT and LSD off), and a client for it that keeps its SID
 * cookie: the API as a real client sees it, with the limits and the clock a test chooses.
 */
final class QbtFixture implements AutoCloseable {
    static final String USER = "admin";
    static final String PASSWORD = "correct horse";

    final Path dir;
    final Session session;
    final TorrentTable table;
    final Categories categories = new Categories();
    final Tags tags = new Tags();
    final QbtApi api;
    private final Server server;
    private final ServerConnector connector;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** The SID this client sends, null for none. */
    String sid;

    QbtFixture(Path dir, QbtLimits limits, Clock clock, boolean auth) throws Exception {
        this(dir, limits, clock, auth, InetAddress::isLoopbackAddress);
    }

    QbtFixture(Path dir, QbtLimits limits, Clock clock, boolean auth, Predicate<InetAddress> clients)
            throws Exception {
        this(dir, limits, clock, auth, clients, EventStreams.StreamLimits.DEFAULTS);
    }

    QbtFixture(Path dir, QbtLimits limits, Clock clock, boolean auth, Predicate<InetAddress> clients,
               EventStreams.StreamLimits streamLimits) throws Exception {
        this.dir = dir;
        SessionConfig config = SessionConfig.builder()
                .bindAddress(InetAddress.getLoopbackAddress())
                .port(0)
                .dht(false)
                .lsd(false)
                .downloadDirectory(dir.resolve("downloads"))
                .build();
        Files.createDirectories(dir.resolve("downloads"));
        session = Session.start(config);
        table = new TorrentTable(session, clock);
        HttpAccess.Credentials account = (user, password) -> user.equals(USER) && password.equals(PASSWORD);
        HttpAccess access = new HttpAccess(clients,
                host -> host.equals("127.0.0.1") || host.equals("localhost"),
                auth ? Optional.of(account) : Optional.empty());
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        api = new QbtApi(table, categories, tags, access, this::port, limits, clock, streamLimits);
        server.setHandler(api);
        server.start();
    }

    int port() {
        return connector.getLocalPort();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + "/api/v2/" + path);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        if (sid != null) {
            request.header("Cookie", "SID=" + sid);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        response.headers().allValues("set-cookie").forEach(cookie -> {
            if (cookie.startsWith("SID=")) {
                String value = cookie.substring(4, cookie.indexOf(';'));
                sid = value.isEmpty() ? null : value;
            }
        });
        return response;
    }

    HttpClient http() {
        return http;
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)));
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))));
    }

    static String form(Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((name, value) -> body.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return body.toString();
    }

    HttpResponse<String> login() throws Exception {
        return post("auth/login", Map.of("username", USER, "password", PASSWORD));
    }

    /** Posts a multipart body: the fields, then each file under the field name {@code torrents}. */
    HttpResponse<String> upload(Map<String, String> fields, Map<String, byte[]> files) throws Exception {
        String boundary = "----jtorrent" + System.nanoTime();
        return send(HttpRequest.newBuilder(uri("torrents/add"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, fields, files))));
    }

    static byte[] multipart(String boundary, Map<String, String> fields, Map<String, byte[]> files) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        files.forEach((name, content) -> {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"torrents\"; filename=\""
                    + name + "\"\r\nContent-Type: application/x-bittorrent\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    /** A .torrent of one file of {@code size} zero bytes, made in the fixture's directory. */
    byte[] metainfo(String name, int size) throws Exception {
        Path file = dir.resolve("content").resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[size]);
        TorrentBuilder builder = TorrentBuilder.of(file).withPieceLength(Optional.of(16 * 1024))
                .withTrackerTiers(java.util.List.of(java.util.List.of("http://127.0.0.1:1/announce")));
        return builder.build(builder.plan(), new AtomicLong());
    }

    @Override
    public void close() throws Exception {
        server.stop();
        session.close();
    }
}
