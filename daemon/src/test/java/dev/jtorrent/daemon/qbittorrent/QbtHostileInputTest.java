package dev.jtorrent.daemon.qbittorrent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a hostile or broken client sends: too much, too many, malformed, or a URL that never answers. */
class QbtHostileInputTest {
    @TempDir
    Path dir;
    QbtFixture qbt;

    @BeforeEach
    void start() throws Exception {
        qbt = new QbtFixture(dir, QbtMainDataTest.LIMITS, Clock.systemUTC(), true);
        qbt.login();
    }

    @AfterEach
    void stop() throws Exception {
        qbt.close();
    }

    @Test
    void aBodyPastTheLimitIsRefusedWhetherDeclaredOrStreamed() throws Exception {
        int max = QbtMainDataTest.LIMITS.maxBodyBytes();
        // Declared, with Expect: 100-continue, as a careful client sends a large body: refused before it is sent.
        // (Without it, the refusal can race the upload, and a client still writing may see the connection reset
        // rather than the answer.)
        HttpResponse<String> declared = qbt.send(HttpRequest.newBuilder(qbt.uri("torrents/add"))
                .expectContinue(true)
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofByteArray(QbtFixture.multipart("b", Map.of(),
                        Map.of("big.torrent", new byte[max])))));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).isEqualTo("Payload Too Large");
        // Chunked: no Content-Length to refuse it by, so it is cut off as it is read.
        HttpResponse<String> streamed = qbt.send(HttpRequest.newBuilder(qbt.uri("torrents/add"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        ("urls=" + "a".repeat(max)).getBytes()))));
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(qbt.table.size()).isZero();
    }

    @Test
    void aFilePastItsLimitIsRefused() throws Exception {
        HttpResponse<String> tooLarge = qbt.upload(Map.of(), Map.of("big.torrent",
                new byte[QbtMainDataTest.LIMITS.maxFileBytes() + 1]));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
    }

    @Test
    void tooManyFieldsAreABadRequest() throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i <= QbtMainDataTest.LIMITS.maxFields(); i++) {
            fields.put("f" + i, "v");
        }
        HttpResponse<String> many = qbt.post("torrents/add", fields);
        assertThat(many.statusCode()).isEqualTo(400);
        assertThat(many.body()).isEqualTo("too many form fields: at most " + QbtMainDataTest.LIMITS.maxFields());
        HttpResponse<String> manyParts = qbt.upload(fields, Map.of());
        assertThat(manyParts.statusCode()).isEqualTo(400);
    }

    @Test
    void aBrokenMultipartBodyIsABadRequest() throws Exception {
        byte[] body = "--xyz\r\nContent-Disposition: form-data; name=\"torrents\"; filename=\"a\"\r\n\r\nd4:"
                .getBytes();
        HttpResponse<String> broken = qbt.send(HttpRequest.newBuilder(qbt.uri("torrents/add"))
                .header("Content-Type", "multipart/form-data; boundary=xyz")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.body()).isEqualTo("a multipart part is never closed by its boundary");
        HttpResponse<String> noBoundary = qbt.send(HttpRequest.newBuilder(qbt.uri("torrents/add"))
                .header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(noBoundary.statusCode()).isEqualTo(400);
    }

    @Test
    void aTorrentUrlThatNeverAnswersFailsWithinTheFetchTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket accepted = silent.accept()) {
                    accepted.getInputStream().readAllBytes(); // reads the request, never answers
                } catch (java.io.IOException e) {
                    // closed by the test
                }
            });
            long start = System.nanoTime();
            HttpResponse<String> answer = qbt.post("torrents/add",
                    Map.of("urls", "http://127.0.0.1:" + silent.getLocalPort() + "/a.torrent"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer.body()).isEqualTo("Fails.");
            assertThat(millis).isBetween(900L, 10_000L);
        }
        assertThat(qbt.table.size()).isZero();
    }

    @Test
    void aClientOffTheWhitelistIsForbiddenAndWithoutAuthEveryoneGetsASession() throws Exception {
        qbt.close();
        qbt = new QbtFixture(dir, QbtMainDataTest.LIMITS, Clock.systemUTC(), false);
        HttpResponse<String> open = qbt.get("app/version");
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(qbt.sid).isNotNull();
        assertThat(qbt.get("sync/maindata").statusCode()).isEqualTo(200);
        assertThat(qbt.get("sync/maindata?rid=1").body()).startsWith("{\"rid\":2");

        qbt.close();
        qbt = new QbtFixture(dir, QbtMainDataTest.LIMITS, Clock.systemUTC(), false, address -> false);
        HttpResponse<String> refused = qbt.login();
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo("Forbidden");
        assertThat(qbt.sid).isNull();
    }

    @Test
    void sessionsAreBounded() throws Exception {
        for (int i = 0; i < 10; i++) {
            qbt.sid = null;
            assertThat(qbt.login().body()).isEqualTo("Ok.");
        }
        assertThat(qbt.api.sessionCount()).isEqualTo(QbtMainDataTest.LIMITS.maxSessions());
        assertThat(qbt.get("app/version").statusCode()).isEqualTo(200);
    }
}
