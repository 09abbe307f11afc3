package dev.jtorrent.daemon.metrics;

import dev.jtorrent.daemon.Daemon;
import dev.jtorrent.daemon.DaemonConfig;
import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.daemon.HttpAccess;
import dev.jtorrent.daemon.RequestCounter;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.IpFilter;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import dev.jtorrent.session.TorrentHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics} of a real daemon on loopback (DHT and LSD off), scraped over HTTP and read with a strict parser
 * of the text format ({@link PromText}), while one of its torrents downloads from a seeder in another session.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsEndpointTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String USER = "prometheus";
    private static final String PASSWORD = "s3:cr et";
    private static final String TEXT_0_0_4 = "text/plain; version=0.0.4; charset=utf-8";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private Daemon daemon(Predicate<InetAddress> clients, boolean auth) throws IOException {
        Files.createDirectories(dir.resolve("downloads"));
        SessionConfig session = SessionConfig.builder()
                .bindAddress(LOOPBACK)
                .port(0)
                .dht(false)
                .lsd(false)
                .downloadDirectory(dir.resolve("downloads"))
                .build(); // no resume directory: closing 10,000 torrents then writes nothing
        Optional<HttpAccess.Credentials> credentials = auth
                ? Optional.of((user, password) -> user.equals(USER) && password.equals(PASSWORD))
                : Optional.empty();
        // The qBittorrent API asks the predicate about IP literals too; /metrics lets them through itself.
        HttpAccess access = new HttpAccess(clients, host -> host.equals("nas.example.lan") || host.equals("127.0.0.1"),
                credentials);
        return Daemon.start(new DaemonConfig(session, dir.resolve("config"), LOOPBACK, 0, access));
    }

    private PromText scrape(Daemon daemon) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(daemon, "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(TEXT_0_0_4);
        return PromText.parse(response.body());
    }

    private static URI uri(Daemon daemon, String path) {
        return URI.create("http://127.0.0.1:" + daemon.rpcPort() + path);
    }

    private static String state(String state) {
        return "jtorrent_torrents{state=\"" + state + "\"}";
    }

    /** Scrapes until {@code condition} holds of a scrape; returns that scrape. */
    private PromText awaitScrape(Daemon daemon, String what, Predicate<PromText> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        PromText last = scrape(daemon);
        while (!condition.test(last)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what + "; last scrape: " + last.samples);
            }
            Thread.sleep(50);
            last = scrape(daemon);
        }
        return last;
    }

    @Test
    void reportsADownloadAsItGoesAndTorrentsAsTheyPause() throws Exception {
        int size = 512 * 1024;
        Path content = Files.createDirectories(dir.resolve("seed")).resolve("payload.bin");
        byte[] data = new byte[size];
        new Random(7).nextBytes(data);
        Files.write(content, data);
        TorrentBuilder builder = TorrentBuilder.of(content).withPieceLength(Optional.of(16 * 1024));
        byte[] metainfo = builder.build(builder.plan(), new AtomicLong());

        try (Session seeding = Session.start(SessionConfig.builder().bindAddress(LOOPBACK).port(0).dht(false)
                .lsd(false).downloadDirectory(content.getParent()).build());
             Daemon daemon = daemon(InetAddress::isLoopbackAddress, false)) {
            seeding.add(Torrent.parse(metainfo), AddOptions.builder().build()).checked().get(10, TimeUnit.SECONDS);
            PromText before = scrape(daemon);
            assertThat(before.types).containsEntry("jtorrent_torrents", "gauge");
            assertThat(before.value("jtorrent_payload_downloaded_bytes_total")).isZero();
            for (String state : List.of("downloading", "seeding", "paused", "error", "held_back", "checking")) {
                assertThat(before.value(state(state))).isZero();
            }
            assertThat(before.value("jtorrent_rpc_requests_total{api=\"qbittorrent\",result=\"success\"}"))
                    .isZero();
            assertThat(before.samples).containsKey("jvm_threads_current");

            // Slow enough to be seen downloading: 512 KiB at 128 KiB/s.
            daemon.session().setDownloadLimit(128 * 1024);
            DaemonTorrent torrent = daemon.torrents().add(metainfo, AddOptions.builder().build(), List.of(), "")
                    .torrent();
            TorrentHandle handle = torrent.handle();
            handle.checked().get(10, TimeUnit.SECONDS);
            handle.addPeer(new InetSocketAddress(LOOPBACK, seeding.port()));

            PromText during = awaitScrape(daemon, "the download under way", scrape ->
                    scrape.value("jtorrent_payload_downloaded_bytes_total") > 0
                            && scrape.value("jtorrent_peers_connected") == 1
                            && scrape.value("jtorrent_payload_download_rate_bytes_per_second") > 0);
            assertThat(during.value(state("downloading"))).isEqualTo(1);
            assertThat(during.value("jtorrent_payload_downloaded_bytes_total")).isLessThan(size);
            assertThat(during.value("jtorrent_peers_known")).isGreaterThanOrEqualTo(1);

            daemon.session().setDownloadLimit(0);
            handle.completion().get(30, TimeUnit.SECONDS);
            PromText done = awaitScrape(daemon, "the torrent seeding", scrape -> scrape.value(state("seeding")) == 1);
            assertThat(done.value("jtorrent_payload_downloaded_bytes_total")).isEqualTo(size);
            assertThat(done.value(state("downloading"))).isZero();

            daemon.session().setIpFilter(IpFilter.builder().block(InetAddress.getByName("127.0.0.9")).build());
            handle.addPeer(new InetSocketAddress(InetAddress.getByName("127.0.0.9"), 6881));
            awaitScrape(daemon, "the filter to block the peer", scrape ->
                    scrape.value("jtorrent_ip_filter_blocked_total") >= 1);

            handle.pause();
            PromText paused = scrape(daemon);
            assertThat(paused.value(state("paused"))).isEqualTo(1);
            assertThat(paused.value(state("seeding"))).isZero();
            assertThat(paused.value("jtorrent_peers_connected")).isZero();

            daemon.torrents().remove(torrent, false);
            PromText removed = scrape(daemon);
            assertThat(removed.value(state("paused"))).isZero();
            assertThat(removed.value("jtorrent_payload_downloaded_bytes_total")).isEqualTo(size);
        }
    }

    @Test
    void countsEachApisRequestsByResult() throws Exception {
        try (Daemon daemon = daemon(InetAddress::isLoopbackAddress, false)) {
            http.send(HttpRequest.newBuilder(uri(daemon, "/api/v2/app/version")).build(),
                    HttpResponse.BodyHandlers.ofString());
            http.send(HttpRequest.newBuilder(uri(daemon, "/api/v2/no/such")).build(),
                    HttpResponse.BodyHandlers.ofString());
            http.send(HttpRequest.newBuilder(uri(daemon, "/transmission/rpc"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

            PromText scraped = scrape(daemon);

            String requests = "jtorrent_rpc_requests_total";
            assertThat(scraped.value(requests + "{api=\"qbittorrent\",result=\"success\"}")).isEqualTo(1);
            assertThat(scraped.value(requests + "{api=\"qbittorrent\",result=\"client_error\"}")).isEqualTo(1);
            assertThat(scraped.value(requests + "{api=\"transmission\",result=\"client_error\"}")).isEqualTo(1);
            assertThat(scraped.value(requests + "{api=\"web\",result=\"server_error\"}")).isZero();
            assertThat(daemon.requests().count(RequestCounter.Api.TRANSMISSION, RequestCounter.Result.SUCCESS))
                    .isZero();
            long series = scraped.samples.keySet().stream().filter(name -> name.startsWith(requests + "{")).count();
            assertThat(series).isEqualTo((long) RequestCounter.Api.values().length
                    * RequestCounter.Result.values().length);
        }
    }

    @Test
    void asksForTheAccountAndChecksTheWhitelistAndTheHost() throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        try (Daemon daemon = daemon(address -> address.equals(LOOPBACK), true)) {
            Raw anonymous = raw(daemon, LOOPBACK, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            assertThat(anonymous.status).isEqualTo(401);
            assertThat(anonymous.headers).containsEntry("www-authenticate", "Basic realm=\"jtorrent\"");
            assertThat(raw(daemon, LOOPBACK, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                    + basic(USER, "wrong") + "\r\n").status).isEqualTo(401);

            Raw good = raw(daemon, LOOPBACK, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                    + basic(USER, PASSWORD) + "\r\n");
            assertThat(good.status).isEqualTo(200);
            assertThat(good.headers).containsEntry("content-type", TEXT_0_0_4);
            assertThat(PromText.parse(good.text()).value(state("paused"))).isZero();

            assertThat(raw(daemon, other, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                    + basic(USER, PASSWORD) + "\r\n").status).isEqualTo(403);
            assertThat(raw(daemon, LOOPBACK, "GET /metrics HTTP/1.1\r\nHost: attacker.example:9091\r\n"
                    + "Authorization: " + basic(USER, PASSWORD) + "\r\n").status).isEqualTo(421);
            assertThat(raw(daemon, LOOPBACK, "GET /metrics HTTP/1.1\r\nHost: NAS.example.lan:9091\r\n"
                    + "Authorization: " + basic(USER, PASSWORD) + "\r\n").status).isEqualTo(200);
            Raw head = raw(daemon, LOOPBACK, "HEAD /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                    + basic(USER, PASSWORD) + "\r\n");
            assertThat(head.status).isEqualTo(200);
            assertThat(head.headers).containsEntry("content-type", TEXT_0_0_4);
            assertThat(head.body).isEmpty();
            assertThat(raw(daemon, LOOPBACK, "POST /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                    + "Authorization: " + basic(USER, PASSWORD) + "\r\n").status).isEqualTo(405);
        }
    }

    @Test
    void speaksOpenMetricsWhenAskedAndGzipsWhenAccepted() throws Exception {
        try (Daemon daemon = daemon(InetAddress::isLoopbackAddress, false)) {
            HttpResponse<String> open = http.send(HttpRequest.newBuilder(uri(daemon, "/metrics"))
                    .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(open.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/openmetrics-text; version=1.0.0");
            assertThat(open.body()).endsWith("# EOF\n").contains("jtorrent_payload_downloaded_bytes_total 0");

            // What Prometheus sends by default: it takes protobuf first, which this daemon does not offer.
            HttpResponse<byte[]> zipped = http.send(HttpRequest.newBuilder(uri(daemon, "/metrics"))
                    .header("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                            + "encoding=delimited;q=0.6,text/plain;version=0.0.4;q=0.3,*/*;q=0.2")
                    .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(zipped.statusCode()).isEqualTo(200);
            assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(zipped.headers().firstValue("Content-Type")).hasValue(TEXT_0_0_4);
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))) {
                PromText text = PromText.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                assertThat(text.value("jtorrent_dht_nodes")).isZero();
            }
        }
    }

    /**
     * Not a test of speed, which this machine's load would make flaky: it measures what a scrape of 10,000 paused
     * torrents takes, prints it, and checks the answer stays as short as with none.
     */
    @Test
    void scrapesTenThousandTorrentsInOnePassWithoutASeriesEach() throws Exception {
        int count = 10_000;
        try (Daemon daemon = daemon(InetAddress::isLoopbackAddress, false)) {
            PromText empty = scrape(daemon);
            AddOptions paused = AddOptions.builder().paused(true).build();
            long addStart = System.nanoTime();
            for (int i = 0; i < count; i++) {
                daemon.torrents().add(tiny(i), paused, List.of(), "");
            }
            long addMillis = (System.nanoTime() - addStart) / 1_000_000;
            StringBuilder timings = new StringBuilder();
            String body = "";
            for (int round = 0; round < 5; round++) {
                long start = System.nanoTime();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(daemon, "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                timings.append(String.format(Locale.ROOT, " %.1f", (System.nanoTime() - start) / 1e6));
                body = response.body();
            }
            SessionMetrics session = new SessionMetrics(daemon.session(), 0);
            StringBuilder collects = new StringBuilder();
            for (int round = 0; round < 5; round++) {
                long start = System.nanoTime();
                session.collect();
                collects.append(String.format(Locale.ROOT, " %.1f", (System.nanoTime() - start) / 1e6));
            }
            System.out.printf("metrics: %d paused torrents added in %d ms; scrapes over HTTP (ms):%s; the session's "
                    + "figures alone (ms):%s; %d bytes%n", count, addMillis, timings, collects, body.length());

            PromText text = PromText.parse(body);
            assertThat(text.value(state("paused"))).isEqualTo(count);
            assertThat(jtorrentSeries(text)).isEqualTo(jtorrentSeries(empty)); // no series per torrent
        }
    }

    private static List<String> jtorrentSeries(PromText text) {
        return text.samples.keySet().stream().filter(name -> name.startsWith("jtorrent_")).sorted().toList();
    }

    /** A one-piece, 1000-byte torrent named {@code t<i>.bin}, distinct for each {@code i}, its data absent. */
    private static byte[] tiny(int i) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String name = "t" + i + ".bin";
        byte[] pieces = new byte[20];
        for (int b = 0; b < 4; b++) {
            pieces[b] = (byte) (i >>> (8 * b));
        }
        out.writeBytes(("d4:infod6:lengthi1000e4:name" + name.length() + ":" + name
                + "12:piece lengthi16384e6:pieces20:").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(pieces);
        out.writeBytes("ee".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A response read off a raw connection: status, headers (names in lower case) and body. */
    private record Raw(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One raw HTTP/1.1 exchange from {@code from}, for the Host headers and source addresses the JDK will not set. */
    private static Raw raw(Daemon daemon, InetAddress from, String head) throws IOException {
        try (Socket socket = new Socket(LOOPBACK, daemon.rpcPort(), from, 0)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            int status = Integer.parseInt(line(in).split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            return new Raw(status, headers, in.readNBytes(length));
        }
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
}
