package dev.jtorrent.tracker;

import dev.jtorrent.net.UdpPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.jtorrent.tracker.Announces.INFO_HASH;
import static dev.jtorrent.tracker.Announces.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * UDP tracker clients on a session's {@link UdpPort}: requests leave from the port, and replies are told apart on it
 * by their transaction ids ({@link UdpTrackerReplies}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UdpTrackerSharedPortTest {
    /** 200, 400 and 800 ms: three attempts in 1.4 s instead of BEP 15's hours. */
    private static final TrackerConfig FAST = TrackerConfig.DEFAULTS.withUdpRetransmission(Duration.ofMillis(200), 2);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.7", 6881);

    private UdpPort port;
    private UdpTrackerReplies replies;

    @BeforeEach
    void openPort() throws IOException {
        port = UdpPort.listen(List.of(LOOPBACK), 0);
        replies = UdpTrackerReplies.on(port);
    }

    @AfterEach
    void closePort() {
        replies.close();
        port.close();
    }

    @Test
    void peersAnnouncedThroughThePortFindEachOtherAtTheEmbeddedTracker() throws Exception {
        try (TrackerServer server = TrackerServer.start(new InetSocketAddress(LOOPBACK, 0), Duration.ofSeconds(9));
             Tracker first = open(server.udpAnnounceUrl());
             Tracker second = open(server.udpAnnounceUrl())) {
            first.announce(request(6001, 0, AnnounceEvent.STARTED));
            AnnounceResponse response = second.announce(request(6002, 5, AnnounceEvent.STARTED));

            assertThat(response.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 6001));
            assertThat(response.interval()).isEqualTo(Duration.ofSeconds(9));
            assertThat(first.scrape(List.of(INFO_HASH))).containsExactly(new ScrapeResult(INFO_HASH, 1, 0, 1));
            assertThat(replies.inFlight()).isZero();
            assertThat(port.unknown()).isZero();
        }
    }

    @Test
    void requestsLeaveFromThePort() throws Exception {
        List<SocketAddress> clients = new CopyOnWriteArrayList<>();
        try (FakeUdpTracker fake = new FakeUdpTracker((request, client, t) -> {
            clients.add(client);
            t.send(client, FakeUdpTracker.announced(FakeUdpTracker.transactionId(request), 7));
        }); Tracker tracker = open(fake.url())) {
            assertThat(tracker.announce(request(6001, 0, AnnounceEvent.STARTED)).peers()).containsExactly(PEER);

            assertThat(clients).containsExactly(new InetSocketAddress(LOOPBACK, port.port()));
        }
    }

    @Test
    void aReplyWithAnUnknownTransactionIdIsLeftToThePortWhichDropsIt() throws Exception {
        try (FakeUdpTracker fake = new FakeUdpTracker((request, client, t) -> {
            int id = FakeUdpTracker.transactionId(request);
            t.send(client, FakeUdpTracker.announced(id + 1, 99));
            t.send(client, FakeUdpTracker.announced(id, 7));
        }); Tracker tracker = open(fake.url())) {
            assertThat(tracker.announce(request(6001, 0, AnnounceEvent.STARTED)).peers()).containsExactly(PEER);

            // The tracker's datagrams arrive in order: the stray reply was looked at before the good one.
            assertThat(port.unknown()).isEqualTo(1);
            assertThat(replies.dropped()).isZero();
        }
    }

    @Test
    void aStrangersReplyWithTheRightTransactionIdIsDropped() throws Exception {
        try (DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             FakeUdpTracker fake = new FakeUdpTracker((request, client, t) -> {
                 int id = FakeUdpTracker.transactionId(request);
                 byte[] spoof = FakeUdpTracker.announced(id, 99);
                 stranger.send(new DatagramPacket(spoof, spoof.length, client));
                 t.send(client, FakeUdpTracker.announced(id, 7));
             }); Tracker tracker = open(fake.url())) {
            assertThat(tracker.announce(request(6001, 0, AnnounceEvent.STARTED)).peers()).containsExactly(PEER);

            // Dropped as a stranger's while the request waits, or as unknown had it come after the answer.
            assertThat(replies.dropped() + port.unknown()).isEqualTo(1);
        }
    }

    /** BEP 15's schedule is the same on the port: base * 2^n, each attempt a transaction of its own. */
    @Test
    void aSilentTrackerIsAskedAgainWithGrowingWaitsThenGivenUpOn() throws Exception {
        List<Integer> ids = new CopyOnWriteArrayList<>();
        try (FakeUdpTracker fake = new FakeUdpTracker((request, client, t) ->
                ids.add(FakeUdpTracker.transactionId(request)));
             Tracker tracker = open(fake.url())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> tracker.announce(request(6001, 0, AnnounceEvent.STARTED)))
                    .isInstanceOf(TrackerException.class)
                    .hasMessage("no reply from " + fake.url() + " after 3 attempts");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(fake.requests(1)).isEqualTo(3);
            assertThat(ids).doesNotHaveDuplicates();
            assertThat(took).isBetween(Duration.ofMillis(1350), Duration.ofSeconds(4));
            assertThat(replies.inFlight()).isZero();
        }
    }

    /**
     * On a shared socket, unconnected, the kernel does not report a closed port: the request times out as a silent
     * tracker's does (on a socket of its own it fails at once, see {@link UdpTrackerTest}).
     */
    @Test
    void aClosedPortTimesOutOnTheSharedPort() throws Exception {
        int closedPort;
        try (DatagramSocket probe = new DatagramSocket(0, LOOPBACK)) {
            closedPort = probe.getLocalPort();
        }
        try (Tracker tracker = open("udp://127.0.0.1:" + closedPort + "/announce")) {
            assertThatThrownBy(() -> tracker.announce(request(6001, 0, AnnounceEvent.STARTED)))
                    .isInstanceOf(TrackerException.class)
                    .hasMessageContaining("after 3 attempts");
        }
    }

    @Test
    void aTrackerThePortCannotReachFailsAtOnce() throws Exception {
        try (UdpPort v4 = UdpPort.listen(List.of(LOOPBACK), 0);
             UdpTrackerReplies onV4 = UdpTrackerReplies.on(v4);
             Tracker tracker = Tracker.open("udp://192.0.2.1:6969/announce", FAST, Optional.of(onV4))) {
            assertThatThrownBy(() -> tracker.announce(request(6001, 0, AnnounceEvent.STARTED)))
                    .isInstanceOf(TrackerException.class)
                    .hasMessageContaining("could not reach udp://192.0.2.1:6969/announce");
        }
    }

    /** Two trackers answering at once through one port: each client gets its own tracker's answer. */
    @Test
    void concurrentClientsOnOnePortEachGetTheirOwnReply() throws Exception {
        try (FakeUdpTracker a = new FakeUdpTracker((request, client, t) ->
                t.send(client, FakeUdpTracker.announced(FakeUdpTracker.transactionId(request), 1)));
             FakeUdpTracker b = new FakeUdpTracker((request, client, t) ->
                     t.send(client, FakeUdpTracker.announced(FakeUdpTracker.transactionId(request), 2)));
             Tracker toA = open(a.url());
             Tracker toB = open(b.url())) {
            List<Thread> threads = new ArrayList<>();
            List<AssertionError> failures = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 20; i++) {
                Tracker tracker = i % 2 == 0 ? toA : toB;
                int last = i % 2 == 0 ? 1 : 2;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        assertThat(tracker.announce(request(6001, 0, AnnounceEvent.NONE)).peers())
                                .containsExactly(new InetSocketAddress("10.0.0." + last, 6881));
                    } catch (AssertionError e) {
                        failures.add(e);
                    } catch (Exception e) {
                        failures.add(new AssertionError(e));
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
        }
    }

    @Test
    void requestsInFlightAreBounded() throws Exception {
        List<UdpTransport.Transaction> begun = new ArrayList<>();
        InetSocketAddress tracker = new InetSocketAddress(LOOPBACK, 6969);
        for (int i = 0; i < UdpTrackerReplies.MAX_IN_FLIGHT; i++) {
            begun.add(replies.begin(tracker));
        }
        assertThat(begun.stream().map(UdpTransport.Transaction::id).distinct()).hasSize(UdpTrackerReplies.MAX_IN_FLIGHT);

        assertThatThrownBy(() -> replies.begin(tracker)).isInstanceOf(IOException.class)
                .hasMessageContaining("too many UDP tracker requests in flight");
        begun.removeFirst().close();
        begun.add(replies.begin(tracker));
        begun.forEach(UdpTransport.Transaction::close);
        assertThat(replies.inFlight()).isZero();
    }

    @Test
    void repliesQueuedForOneRequestAreBounded() throws Exception {
        InetSocketAddress tracker = new InetSocketAddress(LOOPBACK, 6969);
        try (UdpTransport.Transaction request = replies.begin(tracker)) {
            ByteBuffer reply = ByteBuffer.wrap(FakeUdpTracker.announced(request.id(), 7));
            assertThat(replies.accepts(reply)).isTrue();
            for (int i = 0; i < UdpTrackerReplies.REPLIES_PER_REQUEST + 3; i++) {
                replies.receive(reply.duplicate(), tracker);
            }

            assertThat(replies.dropped()).isEqualTo(3);
            for (int i = 0; i < UdpTrackerReplies.REPLIES_PER_REQUEST; i++) {
                assertThat(request.receive(System.nanoTime())).isEqualTo(reply.array());
            }
            assertThat(request.receive(System.nanoTime())).isNull();
        }
    }

    /** The handler takes BEP 15 replies to requests in flight, and nothing else (uTP and the DHT go elsewhere). */
    @Test
    void onlyRepliesToRequestsInFlightAreAccepted() throws Exception {
        try (UdpTransport.Transaction request = replies.begin(new InetSocketAddress(LOOPBACK, 6969))) {
            int id = request.id();
            for (int action = 0; action <= 3; action++) {
                assertThat(replies.accepts(ByteBuffer.allocate(8).putInt(action).putInt(id).flip())).isTrue();
            }
            assertThat(replies.accepts(ByteBuffer.allocate(8).putInt(4).putInt(id).flip())).isFalse();
            assertThat(replies.accepts(ByteBuffer.allocate(8).putInt(-1).putInt(id).flip())).isFalse();
            assertThat(replies.accepts(ByteBuffer.allocate(8).putInt(1).putInt(id + 1).flip())).isFalse();
            assertThat(replies.accepts(ByteBuffer.allocate(7).putInt(1).put(new byte[3]).flip())).isFalse();
            assertThat(replies.accepts(ByteBuffer.wrap("d1:y1:qe".getBytes(java.nio.charset.StandardCharsets.US_ASCII))))
                    .isFalse();
            ByteBuffer utp = ByteBuffer.allocate(20).put(0, (byte) 0x41);
            assertThat(replies.accepts(utp)).isFalse();
        }
    }

    private Tracker open(String url) throws TrackerException {
        return Tracker.open(url, FAST, Optional.of(replies));
    }
}
