package dev.jtorrent.tracker;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static dev.jtorrent.tracker.Announces.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Servers that misbehave: each announce must end in a clear TrackerException within bounded time. */
class HttpTrackerHostileTest {
    private static final TrackerConfig FAST = TrackerConfig.DEFAULTS
            .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(800));

    private static TrackerException announceFails(FakeHttpServer.Script script) throws Exception {
        try (FakeHttpServer fake = new FakeHttpServer(script);
             Tracker tracker = Tracker.open(fake.url("/announce"), FAST)) {
            long start = System.nanoTime();
            TrackerException e = org.junit.jupiter.api.Assertions.assertThrows(TrackerException.class,
                    () -> tracker.announce(request(6001, 0, AnnounceEvent.STARTED)));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            return e;
        }
    }

    @Test
    void anEndlessBodyIsCutAtOneMebibyte() throws Exception {
        TrackerException e = announceFails((head, socket) -> {
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            while (true) {
                out.write(chunk);
            }
        });
        assertThat(e).hasMessage("reply larger than 1 MiB");
    }

    @Test
    void aTwoMebibyteBodyIsRefused() throws Exception {
        byte[] body = new byte[2 * 1024 * 1024];
        assertThat(announceFails(FakeHttpServer.replying(200, "", body))).hasMessage("reply larger than 1 MiB");
    }

    @Test
    void aGzipBombIsCutAtOneMebibyteAfterInflating() throws Exception {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 20; i++) {
                gzip.write(zeros);
            }
        }
        assertThat(announceFails(FakeHttpServer.replying(200, "Content-Encoding: gzip\r\n", compressed.toByteArray())))
                .hasMessage("reply larger than 1 MiB");
    }

    @Test
    void invalidBencodeIsABadReply() throws Exception {
        assertThat(announceFails(FakeHttpServer.replying("d8:intervali01ee")))
                .hasMessageStartingWith("bad tracker reply: the reply is not valid bencode");
    }

    @Test
    void aRedirectLoopStopsAfterFiveHops() throws Exception {
        try (FakeHttpServer fake = new FakeHttpServer(
                FakeHttpServer.replying(302, "Location: /announce?again\r\n", new byte[0]));
             Tracker tracker = Tracker.open(fake.url("/announce"), FAST)) {
            assertThatThrownBy(() -> tracker.announce(request(6001, 0, AnnounceEvent.STARTED)))
                    .isInstanceOf(TrackerException.class)
                    .hasMessage("tracker redirected more than 5 times");
            assertThat(fake.requests.get()).isEqualTo(6);
        }
    }

    /** 300,000 bytes, well within the 1 MiB cap: the first 3000 peers are taken, the rest never decoded. */
    @Test
    void aReplyListingFiftyThousandPeersYieldsTheFirstThreeThousand() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("d8:intervali60e5:peers300000:".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 50_000; i++) {
            body.writeBytes(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i, 0x1a, (byte) 0xe1});
        }
        body.write('e');
        try (FakeHttpServer fake = new FakeHttpServer(FakeHttpServer.replying(200, "", body.toByteArray()));
             Tracker tracker = Tracker.open(fake.url("/announce"), FAST)) {
            List<InetSocketAddress> peers = tracker.announce(request(6001, 0, AnnounceEvent.STARTED)).peers();

            assertThat(peers).hasSize(AnnounceResponse.MAX_PEERS).hasSize(3000);
            assertThat(peers.getFirst()).isEqualTo(new InetSocketAddress("10.0.0.0", 6881));
            assertThat(peers.getLast()).isEqualTo(new InetSocketAddress("10.0.11.183", 6881)); // 2999 = 11 * 256 + 183
        }
    }

    @Test
    void aReplyThatNeverArrivesTimesOut() throws Exception {
        assertThat(announceFails((head, socket) -> Thread.sleep(10_000)))
                .hasMessage("no reply from tracker within 800 ms");
    }

    @Test
    void aBodyTrickledByteByByteTimesOut() throws Exception {
        TrackerException e = announceFails((head, socket) -> {
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 1000; i++) {
                out.write('d');
                out.flush();
                Thread.sleep(100);
            }
        });
        assertThat(e).hasMessage("no reply from tracker within 800 ms");
    }

    @Test
    void aFailureReasonIsReportedAsTheTrackersWords() throws Exception {
        assertThat(announceFails(FakeHttpServer.replying("d14:failure reason22:torrent not registerede")))
                .hasMessage("tracker said: torrent not registered");
    }

    @Test
    void aFailureReasonInAnErrorStatusIsStillReported() throws Exception {
        byte[] body = "d14:failure reason9:forbiddene".getBytes(StandardCharsets.US_ASCII);
        assertThat(announceFails(FakeHttpServer.replying(403, "", body))).hasMessage("tracker said: forbidden");
    }

    @Test
    void aClosedPortIsReportedAsUnreachable() throws Exception {
        FakeHttpServer fake = new FakeHttpServer((head, socket) -> { });
        String url = fake.url("/announce");
        fake.close();
        try (Tracker tracker = Tracker.open(url, FAST)) {
            assertThatThrownBy(() -> tracker.announce(request(6001, 0, AnnounceEvent.STARTED)))
                    .isInstanceOf(TrackerException.class)
                    .hasMessageStartingWith("could not reach tracker");
        }
    }

    @Test
    void theAnnounceUrlCarriesEveryFieldAndKeepsThePasskey() throws Exception {
        String[] seen = new String[1];
        try (FakeHttpServer fake = new FakeHttpServer((head, socket) -> {
            seen[0] = head.lines().findFirst().orElseThrow();
            FakeHttpServer.replying("d8:intervali60e5:peers6:\u007f\u0000\u0000\u0001\u0017\u0071e")
                    .serve(head, socket);
        }); Tracker tracker = Tracker.open(fake.url("/announce?passkey=abc"), FAST)) {
            AnnounceResponse response = tracker.announce(request(6001, 0, AnnounceEvent.STARTED)
                    .withTrackerId(java.util.Optional.of("t 1")));
            assertThat(response.peers()).hasSize(1);
            assertThat(response.peers().getFirst().getPort()).isEqualTo(0x1771);
        }
        byte[] peerId = new byte[20];
        Arrays.fill(peerId, (byte) 6001);
        assertThat(seen[0]).startsWith("GET /announce?passkey=abc&info_hash=%01%23Eg%89%AB%CD%EF%01%23Eg%89%AB%CD%EF"
                        + "%01%23Eg&peer_id=qqqqqqqqqqqqqqqqqqqq&port=6001&uploaded=0&downloaded=0&left=0&compact=1"
                        + "&numwant=50&key=1771&event=started&trackerid=t%201 ");
    }

    @Test
    void scrapeIsUnsupportedWithoutAnAnnounceSegment() throws Exception {
        try (Tracker tracker = Tracker.open("http://127.0.0.1:1/tracker", FAST)) {
            assertThatThrownBy(() -> tracker.scrape(java.util.List.of(Announces.INFO_HASH)))
                    .isInstanceOf(TrackerException.class)
                    .hasMessageStartingWith("tracker does not support scrape");
        }
    }
}
