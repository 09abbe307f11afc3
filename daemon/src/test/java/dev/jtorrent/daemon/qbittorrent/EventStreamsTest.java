package dev.jtorrent.daemon.qbittorrent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The push channel over HTTP on loopback, read as a browser's EventSource reads it. */
class EventStreamsTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** A short keep-alive, so that a stream notices its ended session quickly. */
    static final EventStreams.StreamLimits LIMITS = new EventStreams.StreamLimits(2, 64, 1024 * 1024,
            Duration.ofMillis(200), Duration.ofMillis(20), Duration.ofMillis(200));

    @TempDir
    Path dir;
    QbtFixture qbt;
    final List<Stream<String>> open = new ArrayList<>();

    QbtFixture start(boolean auth) throws Exception {
        qbt = new QbtFixture(dir, QbtLimits.DEFAULTS, Clock.systemUTC(), auth, InetAddress::isLoopbackAddress,
                LIMITS);
        return qbt;
    }

    @AfterEach
    void stop() throws Exception {
        open.forEach(Stream::close);
        if (qbt != null) {
            qbt.close();
        }
    }

    /** One event as the stream sent it: its name (null for a keep-alive comment) and data. */
    record Event(String name, String data) {
        JsonNode json() {
            return JSON.readTree(data);
        }
    }

    /** An open stream: its status, and its events as they come, read on a thread of their own. */
    final class Events {
        final int status;
        final String contentType;
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        static final Object END = new Object();

        Events(HttpResponse<Stream<String>> response) {
            status = response.statusCode();
            contentType = response.headers().firstValue("content-type").orElse("");
            open.add(response.body());
            Thread.ofVirtual().start(() -> {
                String name = null;
                StringBuilder data = new StringBuilder();
                try {
                    for (String line : (Iterable<String>) response.body()::iterator) {
                        if (line.isEmpty()) {
                            if (name != null || !data.isEmpty()) {
                                events.add(new Event(name, data.toString()));
                            }
                            name = null;
                            data.setLength(0);
                        } else if (line.startsWith("event: ")) {
                            name = line.substring(7);
                        } else if (line.startsWith("data: ")) {
                            data.append(line.substring(6));
                        }
                    }
                } catch (RuntimeException e) {
                    // closed by the test
                }
                events.add(END);
            });
        }

        /** The next named event, skipping keep-alives; fails after 10 s or at the stream's end. */
        Event next() throws InterruptedException {
            while (true) {
                Object next = events.poll(10, TimeUnit.SECONDS);
                assertThat(next).as("an event within 10 s").isNotNull().isNotSameAs(END);
                if (next instanceof Event event && event.name() != null) {
                    return event;
                }
            }
        }

        /** The next update whose JSON passes {@code test}, skipping others (a torrent's other changes). */
        JsonNode nextUpdate(java.util.function.Predicate<JsonNode> test) throws InterruptedException {
            while (true) {
                Event event = next();
                assertThat(event.name()).isEqualTo("update");
                if (test.test(event.json())) {
                    return event.json();
                }
            }
        }

        /** Waits for the stream's end, skipping what comes before. */
        void awaitEnd() throws InterruptedException {
            while (true) {
                Object next = events.poll(10, TimeUnit.SECONDS);
                assertThat(next).as("the stream's end within 10 s").isNotNull();
                if (next == END) {
                    return;
                }
            }
        }
    }

    Events connect(HttpRequest.Builder request) throws Exception {
        if (qbt.sid != null) {
            request.header("Cookie", "SID=" + qbt.sid);
        }
        return new Events(qbt.http().send(request.build(), HttpResponse.BodyHandlers.ofLines()));
    }

    Events connect() throws Exception {
        return connect(HttpRequest.newBuilder(qbt.uri("jtorrent/events")));
    }

    @Test
    void aStreamNeedsASessionAndPassesTheApisChecks() throws Exception {
        start(true);
        assertThat(qbt.get("jtorrent/events").statusCode()).isEqualTo(403);
        qbt.login();
        assertThat(connect(HttpRequest.newBuilder(qbt.uri("jtorrent/events"))
                .header("Origin", "http://evil.example")).status).isEqualTo(401);
        assertThat(connect(HttpRequest.newBuilder(qbt.uri("jtorrent/events"))
                .header("Referer", "http://127.0.0.1:1/")).status).isEqualTo(401);
        assertThat(qbt.post("jtorrent/events", Map.of()).statusCode()).isEqualTo(405);
        assertThat(qbt.api.eventStreams()).isZero();

        Events events = connect(HttpRequest.newBuilder(qbt.uri("jtorrent/events"))
                .header("Origin", "http://127.0.0.1:" + qbt.port()));
        assertThat(events.status).isEqualTo(200);
        assertThat(events.contentType).startsWith("text/event-stream");
        assertThat(events.next().name()).isEqualTo("resync");
    }

    @Test
    void pushesAResyncFirstThenTorrentsAddedChangedAndRemoved() throws Exception {
        start(true);
        qbt.login();
        Events events = connect();
        assertThat(events.status).isEqualTo(200);
        assertThat(events.next().name()).isEqualTo("resync");

        byte[] metainfo = qbt.metainfo("pushed", 40_000);
        assertThat(qbt.upload(Map.of("paused", "true"), Map.of("pushed.torrent", metainfo)).body()).isEqualTo("Ok.");
        String hash = qbt.table.all().getFirst().infoHash().hex();
        JsonNode added = events.next().json();
        assertThat(added.get("torrents").get(hash).get("name").asString()).isEqualTo("pushed");
        assertThat(added.get("torrents").get(hash).get("state").asString()).startsWith("paused");

        qbt.post("torrents/setDownloadLimit", Map.of("hashes", hash, "limit", "5000"));
        JsonNode changed = events.nextUpdate(json -> json.path("torrents").path(hash).has("dl_limit"));
        assertThat(changed.get("torrents").get(hash).get("dl_limit").asLong()).isEqualTo(5000);
        assertThat(changed.get("torrents").get(hash).has("name")).isFalse();

        qbt.post("torrents/delete", Map.of("hashes", hash, "deleteFiles", "false"));
        JsonNode removed = events.nextUpdate(json -> json.has("torrents_removed"));
        assertThat(removed.get("torrents_removed").get(0).asString()).isEqualTo(hash);
    }

    @Test
    void opensAtMostItsLimitOfStreamsAndFreesASlotWhenOneEnds() throws Exception {
        start(true);
        qbt.login();
        Events first = connect();
        Events second = connect();
        assertThat(first.status).isEqualTo(200);
        assertThat(second.status).isEqualTo(200);
        first.next();
        second.next();
        HttpResponse<String> third = qbt.get("jtorrent/events");
        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.body()).isEqualTo("Too many event streams are open");

        // Logging out ends this session's streams at their next keep-alive, and frees their slots.
        String sid = qbt.sid;
        qbt.post("auth/logout", Map.of());
        first.awaitEnd();
        second.awaitEnd();
        assertThat(qbt.sid).isNull();
        assertThat(qbt.get("jtorrent/events").statusCode()).isEqualTo(403);
        qbt.login();
        assertThat(qbt.sid).isNotEqualTo(sid);
        Events again = connect();
        assertThat(again.status).isEqualTo(200);
        assertThat(again.next().name()).isEqualTo("resync");
    }

    @Test
    void stoppingTheApiEndsItsStreams() throws Exception {
        start(true);
        qbt.login();
        Events events = connect();
        events.next();
        qbt.close();
        events.awaitEnd();
        qbt = null;
    }

    @Test
    void withoutAnAccountAStreamGetsASessionOfItsOwn() throws Exception {
        start(false);
        Events events = connect();
        assertThat(events.status).isEqualTo(200);
        assertThat(events.next().name()).isEqualTo("resync");
    }
}
