package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.daemon.Daemon;
import dev.jtorrent.daemon.DaemonConfig;
import dev.jtorrent.daemon.HttpAccess;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.SessionConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus (Debian's 2.42) scrapes jtorrent's daemon: the daemon runs in this JVM with an account, its HTTP front
 * on 127.0.78.1, and Prometheus on 127.0.78.2 scrapes {@code /metrics} every second with {@code basic_auth} from a
 * password file, once with the account's password and once with a wrong one. The first target is up and the
 * daemon's figures can be queried from Prometheus; the second is down on a 401. {@code promtool check metrics}
 * finds nothing to say about a scrape. DHT and LSD are off; nothing leaves the loopback interface.
 *
 * <p>Without Prometheus the test is aborted with the package that installs it, and fails under CI=true.
 */
class PrometheusScrapeIT {
    private static final ExternalTool PROMETHEUS = new ExternalTool("prometheus", "prometheus");
    private static final ExternalTool PROMTOOL = new ExternalTool("promtool", "prometheus");
    private static final String DAEMON_IP = "127.0.78.1";
    private static final String PROMETHEUS_IP = "127.0.78.2";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String USER = "prometheus";
    private static final String PASSWORD = "a: password of the test";

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable each : started.reversed()) {
            each.close();
        }
    }

    @Test
    @Timeout(180) // a backstop: each wait has its own limit
    void prometheusScrapesTheDaemonWithBasicAuthAndQueriesItsFigures() throws Exception {
        Path prometheus = PROMETHEUS.require();
        Path promtool = PROMTOOL.require();

        SessionConfig session = SessionConfig.builder()
                .bindAddress(Loopback.address(DAEMON_IP))
                .port(0)
                .dht(false)
                .lsd(false)
                .downloadDirectory(Files.createDirectories(dir.resolve("downloads")))
                .build();
        HttpAccess.Credentials account = (user, password) -> user.equals(USER) && password.equals(PASSWORD);
        HttpAccess access = new HttpAccess(InetAddress::isLoopbackAddress, host -> false, Optional.of(account));
        Daemon daemon = Daemon.start(new DaemonConfig(session, dir.resolve("config"), Loopback.address(DAEMON_IP),
                0, access));
        started.add(daemon);
        for (String name : List.of("a.bin", "b.bin")) {
            daemon.torrents().add(metainfo(name), AddOptions.builder().paused(true).build(), List.of(), "");
        }
        String target = DAEMON_IP + ":" + daemon.rpcPort();

        HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create("http://" + target + "/metrics"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
                        .getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        ExternalProcess.Result lint = ExternalProcess.of(Duration.ofSeconds(30),
                List.of(promtool.toString(), "check", "metrics")).withInput(scrape.body()).run();
        assertThat(lint.exitCode()).as(lint.stdout() + lint.stderr()).isZero();
        assertThat(lint.stdout() + lint.stderr()).isBlank();

        Files.writeString(dir.resolve("password"), PASSWORD);
        Files.writeString(dir.resolve("wrong-password"), "not " + PASSWORD);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: jtorrent
                    basic_auth:
                      username: %1$s
                      password_file: %2$s
                    static_configs:
                      - targets: ['%4$s']
                  - job_name: wrong
                    basic_auth:
                      username: %1$s
                      password_file: %3$s
                    static_configs:
                      - targets: ['%4$s']
                """.formatted(USER, dir.resolve("password"), dir.resolve("wrong-password"), target));
        int port = Loopback.freePort(PROMETHEUS_IP);
        BackgroundProcess server = BackgroundProcess.start("prometheus", List.of(prometheus.toString(),
                "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=" + PROMETHEUS_IP + ":" + port), dir, Map.of("HOME", dir.toString()));
        started.add(server);
        String api = "http://" + PROMETHEUS_IP + ":" + port + "/api/v1/";

        Await.untilTrue("Prometheus to scrape the daemon", WAIT,
                () -> value(api, "up{job=\"jtorrent\"}").filter("1"::equals).isPresent(), server::describe);
        assertThat(value(api, "jtorrent_torrents{job=\"jtorrent\",state=\"paused\"}")).hasValue("2");
        assertThat(value(api, "jtorrent_payload_downloaded_bytes_total{job=\"jtorrent\"}")).hasValue("0");

        String wrong = Await.until("the wrong password's target to be down", WAIT, () -> {
            HttpResponse<String> targets = http.send(HttpRequest.newBuilder(URI.create(api + "targets")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Optional.of(targets.body()).filter(body -> body.contains("\"job\":\"wrong\"")
                    && body.contains("401"));
        }, server::describe);
        assertThat(wrong).contains("\"health\":\"down\"");
        assertThat(value(api, "up{job=\"wrong\"}")).hasValue("0");
    }

    /** The value of a query's one sample in Prometheus now, if it has one. */
    private Optional<String> value(String api, String query) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return Optional.empty();
        }
        Map<String, Object> data = cast(JsonReader.readObject(response.body()).get("data"));
        List<Object> result = cast(data.get("result"));
        if (result.size() != 1) {
            return Optional.empty();
        }
        Map<String, Object> sample = cast(result.getFirst());
        List<Object> value = cast(sample.get("value"));
        return Optional.of((String) value.get(1));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    private byte[] metainfo(String name) throws Exception {
        Path file = Files.createDirectories(dir.resolve("sources")).resolve(name);
        Files.write(file, name.getBytes(StandardCharsets.UTF_8));
        TorrentBuilder builder = TorrentBuilder.of(file).withPieceLength(Optional.of(16 * 1024));
        return builder.build(builder.plan(), new AtomicLong());
    }
}
