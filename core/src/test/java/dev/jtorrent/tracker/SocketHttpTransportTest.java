package dev.jtorrent.tracker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static dev.jtorrent.tracker.Announces.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The plain-socket transport of {@code http://} announces, against scripted servers: HTTP/1.1 framing, its caps, the
 * request it sends, and the hand-over to the TLS transport on a redirect to https.
 */
class SocketHttpTransportTest {
    private static final TrackerConfig FAST = TrackerConfig.DEFAULTS
            .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(800));
    /** A reply naming one peer, 127.0.0.1:6001, with a 60 s interval. */
    private static final String REPLY = "d8:intervali60e5:peers6:\u007f\u0000\u0000\u0001\u0017\u0071e";
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 6001);

    @Test
    void aChunkedBodyIsJoinedAcrossChunksWithExtensionsAndTrailers() throws Exception {
        AnnounceResponse response = announce(sending("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "b;name=value\r\nd8:interval\r\n"
                + "D ; a=1;b=\"q\"\r\ni60e5:peers6:\r\n"
                + "7\r\n" + REPLY.substring(24) + "\r\n"
                + "0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n", true));

        assertThat(response.interval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(response.peers()).containsExactly(PEER);
    }

    @Test
    void aChunkedBodyEndsAtItsLastChunkThoughTheConnectionStaysOpen() throws Exception {
        // Were the body read until the connection closes, this announce would time out.
        AnnounceResponse response = announce(sending("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(REPLY.length()) + "\r\n" + REPLY + "\r\n0\r\n\r\n", true));

        assertThat(response.peers()).containsExactly(PEER);
    }

    @Test
    void theTrailerSectionIsNotAwaited() throws Exception {
        AnnounceResponse response = announce(sending("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(REPLY.length()) + "\r\n" + REPLY + "\r\n0\r\nX-Unfinished: trail", true));

        assertThat(response.peers()).containsExactly(PEER);
    }

    @Test
    void aGzippedChunkedReplyIsInflated() throws Exception {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(latin1(REPLY));
        }
        AnnounceResponse response = announce((head, socket) -> {
            OutputStream out = socket.getOutputStream();
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(gzipped.size()) + "\r\n"));
            out.write(gzipped.toByteArray());
            out.write(ascii("\r\n0\r\n\r\n"));
        });
        assertThat(response.peers()).containsExactly(PEER);
    }

    @Test
    void aChunkSizeThatIsNotHexIsABadReply() throws Exception {
        assertThat(announceFails(sending("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
                false))).hasMessage("bad tracker reply: chunk size 'zz' is not hexadecimal");
    }

    @Test
    void chunkDataLongerThanItsSizeIsABadReply() throws Exception {
        assertThat(announceFails(sending("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
                false))).hasMessage("bad tracker reply: chunk data longer than its size");
    }

    @Test
    void endlessChunksAreCutAtOneMebibyte() throws Exception {
        TrackerException e = announceFails((head, socket) -> {
            OutputStream out = socket.getOutputStream();
            out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
            byte[] chunk = new byte[64 * 1024];
            while (true) {
                out.write(ascii(Integer.toHexString(chunk.length) + "\r\n"));
                out.write(chunk);
                out.write(ascii("\r\n"));
            }
        });
        assertThat(e).hasMessage("reply larger than 1 MiB");
    }

    @Test
    void aChunkSizeOverTheCapIsRefusedBeforeItsData() throws Exception {
        // The server then waits: only a refusal on the size alone comes before the deadline.
        assertThat(announceFails(sending("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n100001\r\n", true)))
                .hasMessage("reply larger than 1 MiB");
    }

    @Test
    void aContentLengthOverTheCapIsRefusedBeforeTheBody() throws Exception {
        assertThat(announceFails(sending("HTTP/1.1 200 OK\r\nContent-Length: 1048577\r\n\r\n", true)))
                .hasMessage("reply larger than 1 MiB");
    }

    /** One byte under, at and over the cap, with each of the three ways HTTP/1.1 delimits a body. */
    @ParameterizedTest
    @ValueSource(strings = {"content-length", "chunked", "until-close"})
    void theCapIsExactlyOneMebibyteHoweverTheBodyIsFramed(String framing) throws Exception {
        assertThat(announce(framed(framing, bencodeOfLength(HttpTracker.MAX_REPLY))).peers()).containsExactly(PEER);
        assertThat(announceFails(framed(framing, bencodeOfLength(HttpTracker.MAX_REPLY + 1))))
                .hasMessage("reply larger than 1 MiB");
    }

    @Test
    void aBodyWithoutALengthIsReadUntilTheConnectionCloses() throws Exception {
        AnnounceResponse response = announce((head, socket) -> {
            OutputStream out = socket.getOutputStream();
            out.write(ascii("HTTP/1.0 200 OK\r\n\r\n" + REPLY.substring(0, 10)));
            out.flush();
            Thread.sleep(100);
            out.write(ascii(REPLY.substring(10)));
        });
        assertThat(response.peers()).containsExactly(PEER);
    }

    @Test
    void aConnectionClosedInTheBodyIsReported() throws Exception {
        assertThat(announceFails(sending("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nd8:inter", false)))
                .hasMessage("tracker closed the connection before its reply was complete");
    }

    @Test
    void aConnectionClosedBeforeAnyReplyIsReported() throws Exception {
        assertThat(announceFails(sending("", false)))
                .hasMessage("could not reach tracker: the connection closed without a reply");
    }

    @Test
    void headersEndingInABareLfAreRead() throws Exception {
        AnnounceResponse response = announce(sending("HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: "
                + REPLY.length() + "\n\n" + REPLY, true));

        assertThat(response.peers()).containsExactly(PEER);
    }

    @Test
    void aHeaderSectionOverTheCapIsRefused() throws Exception {
        TrackerException e = announceFails((head, socket) -> {
            OutputStream out = socket.getOutputStream();
            out.write(ascii("HTTP/1.1 200 OK\r\n"));
            byte[] field = ascii("X-Pad: " + "a".repeat(1000) + "\r\n");
            while (true) {
                out.write(field);
            }
        });
        assertThat(e).hasMessage("bad tracker reply: HTTP header section larger than 64 KiB");
    }

    @Test
    void endlessInterimResponsesCountAgainstTheHeaderCap() throws Exception {
        TrackerException e = announceFails((head, socket) -> {
            byte[] interim = ascii("HTTP/1.1 100 Continue\r\n\r\n");
            while (true) {
                socket.getOutputStream().write(interim);
            }
        });
        assertThat(e).hasMessage("bad tracker reply: HTTP header section larger than 64 KiB");
    }

    @Test
    void aContinueBeforeTheRealStatusIsSkipped() throws Exception {
        AnnounceResponse response = announce(sending("HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: " + REPLY.length() + "\r\n\r\n" + REPLY, true));

        assertThat(response.peers()).containsExactly(PEER);
    }

    @Test
    void aMalformedStatusLineIsABadReply() throws Exception {
        assertThat(announceFails(sending("SSH-2.0-OpenSSH_9.6\r\n\r\n", false)))
                .hasMessage("bad tracker reply: malformed HTTP status line 'SSH-2.0-OpenSSH_9.6'");
    }

    @Test
    void aMalformedHeaderLineIsABadReply() throws Exception {
        assertThat(announceFails(sending("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", false)))
                .hasMessage("bad tracker reply: malformed HTTP header line 'no colon here'");
    }

    @Test
    void anInvalidContentLengthIsABadReply() throws Exception {
        assertThat(announceFails(sending("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nabcde", false)))
                .hasMessage("bad tracker reply: invalid Content-Length '5, 6'");
    }

    @Test
    void theRequestIsAPlainGetWithTheHostAndPortOfTheUrl() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        try (FakeHttpServer fake = new FakeHttpServer((head, socket) -> {
            seen.complete(head);
            FakeHttpServer.replying(REPLY).serve(head, socket);
        }); Tracker tracker = Tracker.open(fake.url("/announce?passkey=abc"), FAST)) {
            tracker.announce(request(6001, 0, AnnounceEvent.STARTED));
            String port = fake.url("").substring("http://127.0.0.1:".length());
            assertThat(seen.get()).startsWith("GET /announce?passkey=abc&info_hash=")
                    .contains(" HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n")
                    .contains("\r\nUser-Agent: jtorrent\r\n", "\r\nAccept-Encoding: gzip\r\n",
                            "\r\nConnection: close\r\n")
                    .endsWith("\r\n\r\n");
        }
    }

    @Test
    void aHostNameIsLookedUp() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        try (FakeHttpServer fake = new FakeHttpServer((head, socket) -> {
            seen.complete(head);
            FakeHttpServer.replying(REPLY).serve(head, socket);
        }); Tracker tracker = Tracker.open(fake.url("/announce").replace("127.0.0.1", "localhost"), FAST)) {
            assertThat(tracker.announce(request(6001, 0, AnnounceEvent.STARTED)).peers()).containsExactly(PEER);
        }
        assertThat(seen.get()).contains("\r\nHost: localhost:");
    }

    @Test
    void theHostHeaderHasNoPortWhenTheUrlHasNone() {
        assertThat(head("http://tracker.example/announce?x=1"))
                .startsWith("GET /announce?x=1 HTTP/1.1\r\nHost: tracker.example\r\n");
    }

    @Test
    void anIpv6HostIsInBracketsAndAnEmptyPathIsASlash() {
        assertThat(head("http://[::1]:6969")).startsWith("GET / HTTP/1.1\r\nHost: [::1]:6969\r\n");
        assertThat(head("http://[::1]?x=1")).startsWith("GET /?x=1 HTTP/1.1\r\nHost: [::1]\r\n");
    }

    @Test
    void aPathOutsideAsciiIsSentPercentEncoded() {
        assertThat(head("http://t.example/tr\u00e4cker/announce?k=%C3%A4"))
                .startsWith("GET /tr%C3%A4cker/announce?k=%C3%A4 HTTP/1.1\r\n");
    }

    /** Linux routes all of 127.0.0.0/8 to the loopback interface, so 127.0.0.2 is a source other than the default. */
    @Test
    void theConnectionLeavesFromTheBindAddress() throws Exception {
        InetAddress bind = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
        CompletableFuture<InetAddress> source = new CompletableFuture<>();
        try (FakeHttpServer fake = new FakeHttpServer((head, socket) -> {
            source.complete(socket.getInetAddress());
            FakeHttpServer.replying(REPLY).serve(head, socket);
        }); Tracker tracker = Tracker.open(fake.url("/announce"), FAST.withBindAddress(bind))) {
            tracker.announce(request(6001, 0, AnnounceEvent.STARTED));
        }
        assertThat(source.get()).isEqualTo(bind);
    }

    @Test
    void aConnectionThatDoesNotOpenInTimeIsAConnectTimeout() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             FullBacklog backlog = FullBacklog.fill(full)) {
            TrackerConfig config = TrackerConfig.DEFAULTS.withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(5));
            try (Tracker tracker = Tracker.open("http://127.0.0.1:" + full.getLocalPort() + "/announce", config)) {
                assertThat(assertThrows(TrackerException.class,
                        () -> tracker.announce(request(6001, 0, AnnounceEvent.STARTED))))
                        .hasMessage("could not connect to tracker within 300 ms");
            }
            // A request timeout shorter than the connect timeout is the one that runs out, and the one named.
            config = TrackerConfig.DEFAULTS.withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300));
            try (Tracker tracker = Tracker.open("http://127.0.0.1:" + full.getLocalPort() + "/announce", config)) {
                assertThat(assertThrows(TrackerException.class,
                        () -> tracker.announce(request(6001, 0, AnnounceEvent.STARTED))))
                        .hasMessage("no reply from tracker within 300 ms");
            }
        }
    }

    @Test
    void anInterruptEndsAnAnnounceWaitingOnAPlatformThread() throws Exception {
        try (FakeHttpServer fake = new FakeHttpServer((head, socket) -> Thread.sleep(10_000));
             Tracker tracker = Tracker.open(fake.url("/announce"),
                     TrackerConfig.DEFAULTS.withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10)))) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread announcer = Thread.ofPlatform().start(() -> {
                try {
                    tracker.announce(request(6001, 0, AnnounceEvent.STARTED));
                    outcome.complete(null);
                } catch (Exception e) {
                    outcome.complete(e);
                }
            });
            while (fake.requests.get() == 0 && !outcome.isDone()) {
                Thread.sleep(10);
            }
            announcer.interrupt();
            assertThat(outcome.get(2, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        }
    }

    @Test
    void aRedirectToHttpsIsFollowedOverTls() throws Exception {
        try (ServerSocket tlsPort = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // A plain HTTP server where TLS is expected: it records the client's first byte and answers in HTTP.
            CompletableFuture<Integer> firstByte = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                while (!tlsPort.isClosed()) {
                    try (Socket s = tlsPort.accept()) {
                        firstByte.complete(s.getInputStream().read());
                        s.getOutputStream().write(ascii("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"));
                    } catch (IOException e) {
                        firstByte.completeExceptionally(e);
                    }
                }
            });
            String target = "https://127.0.0.1:" + tlsPort.getLocalPort() + "/announce";
            try (FakeHttpServer plain = new FakeHttpServer(
                    FakeHttpServer.replying(302, "Location: " + target + "\r\n", new byte[0]));
                 Tracker tracker = Tracker.open(plain.url("/announce"),
                         TrackerConfig.DEFAULTS.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5)))) {
                assertThat(assertThrows(TrackerException.class,
                        () -> tracker.announce(request(6001, 0, AnnounceEvent.STARTED))))
                        .hasMessage("could not reach tracker: Unrecognized SSL message, plaintext connection?");
                assertThat(plain.requests.get()).isEqualTo(1);
            }
            assertThat(firstByte.get(1, TimeUnit.SECONDS)).as("a TLS handshake record starts with 22").isEqualTo(22);
        }
    }

    /** A server that writes {@code response} and then hangs up, or keeps the connection open for 10 s. */
    private static FakeHttpServer.Script sending(String response, boolean thenWait) {
        return (head, socket) -> {
            socket.getOutputStream().write(latin1(response));
            socket.getOutputStream().flush();
            if (thenWait) {
                Thread.sleep(10_000);
            }
        };
    }

    /** A valid announce reply naming {@link #PEER}, padded with an extra key to exactly {@code length} bytes. */
    private static byte[] bencodeOfLength(int length) {
        String suffix = REPLY.substring(1);
        int padLength = length - 1 - suffix.length() - "1:a".length() - ":".length();
        padLength -= Integer.toString(padLength).length();
        String body = "d1:a" + padLength + ":" + "x".repeat(padLength) + suffix;
        assertThat(body).hasSize(length);
        return latin1(body);
    }

    private static FakeHttpServer.Script framed(String framing, byte[] body) {
        return (head, socket) -> {
            OutputStream out = socket.getOutputStream();
            switch (framing) {
                case "content-length" -> {
                    out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n"));
                    out.write(body);
                }
                case "chunked" -> {
                    out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
                    for (int at = 0; at < body.length; at += 100_000) {
                        int size = Math.min(100_000, body.length - at);
                        out.write(ascii(Integer.toHexString(size) + "\r\n"));
                        out.write(body, at, size);
                        out.write(ascii("\r\n"));
                    }
                    out.write(ascii("0\r\n\r\n"));
                }
                case "until-close" -> {
                    out.write(ascii("HTTP/1.1 200 OK\r\n\r\n"));
                    out.write(body);
                }
                default -> throw new IllegalArgumentException(framing);
            }
        };
    }

    private static AnnounceResponse announce(FakeHttpServer.Script script) throws Exception {
        try (FakeHttpServer fake = new FakeHttpServer(script);
             Tracker tracker = Tracker.open(fake.url("/announce"), FAST)) {
            return tracker.announce(request(6001, 0, AnnounceEvent.STARTED));
        }
    }

    private static TrackerException announceFails(FakeHttpServer.Script script) throws Exception {
        try (FakeHttpServer fake = new FakeHttpServer(script);
             Tracker tracker = Tracker.open(fake.url("/announce"), FAST)) {
            return assertThrows(TrackerException.class,
                    () -> tracker.announce(request(6001, 0, AnnounceEvent.STARTED)));
        }
    }

    private static String head(String url) {
        return new String(SocketHttpTransport.requestHead(URI.create(url)), StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
