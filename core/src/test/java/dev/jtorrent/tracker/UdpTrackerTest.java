package dev.jtorrent.tracker;

import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.jtorrent.tracker.Announces.INFO_HASH;
import static dev.jtorrent.tracker.Announces.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UdpTrackerTest {
    /** 200, 400 and 800 ms: three attempts in 1.4 s instead of BEP 15's hours. */
    private static final TrackerConfig FAST = TrackerConfig.DEFAULTS.withUdpRetransmission(Duration.ofMillis(200), 2);
    private static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.7", 6881);

    @Test
    void peersAnnouncedOverUdpFindEachOther() throws Exception {
        try (TrackerServer server = TrackerServer.start(loopback(), Duration.ofSeconds(9));
             Tracker tracker = Tracker.open(server.udpAnnounceUrl(), FAST)) {
            tracker.announce(request(6001, 0, AnnounceEvent.STARTED));
            AnnounceResponse second = tracker.announce(request(6002, 5, AnnounceEvent.STARTED));

            assertThat(second.peers()).containsExactly(new InetSocketAddress("127.0.0.1", 6001));
            assertThat(second.interval()).isEqualTo(Duration.ofSeconds(9));
            assertThat(second.seeders()).hasValue(1);
            assertThat(second.leechers()).hasValue(1);
        }
    }

    @Test
    void aStoppedPeerIsRemovedAndScrapeCountsTheRest() throws Exception {
        try (TrackerServer server = TrackerServer.start(loopback());
             Tracker tracker = Tracker.open(server.udpAnnounceUrl(), FAST)) {
            tracker.announce(request(6001, 0, AnnounceEvent.STARTED));
            tracker.announce(request(6002, 5, AnnounceEvent.STARTED));
            tracker.announce(request(6001, 0, AnnounceEvent.STOPPED));

            assertThat(tracker.announce(request(6003, 5, AnnounceEvent.STARTED)).peers())
                    .containsExactly(new InetSocketAddress("127.0.0.1", 6002));
            assertThat(tracker.scrape(List.of(INFO_HASH))).containsExactly(new ScrapeResult(INFO_HASH, 0, 0, 2));
        }
    }

    @Test
    void theConnectionIdIsReusedWithinItsMinute() throws Exception {
        try (FakeUdpTracker fake = new FakeUdpTracker((request, client, t) ->
                t.send(client, FakeUdpTracker.announced(FakeUdpTracker.transactionId(request), 7)));
             Tracker tracker = Tracker.open(fake.url(), FAST)) {
            tracker.announce(request(6001, 0, AnnounceEvent.STARTED));
            tracker.announce(request(6001, 0, AnnounceEvent.NONE));

            assertThat(fake.requests(0)).isEqualTo(1);
            assertThat(fake.requests(1)).isEqualTo(2);
        }
    }

    @Test
    void aReplyWithTheWrongTransactionIdIsIgnored() throws Exception {
        assertThat(announceAfter((request, client, t) -> {
            int id = FakeUdpTracker.transactionId(request);
            t.send(client, FakeUdpTracker.announced(id + 1, 99));
            t.send(client, FakeUdpTracker.announced(id, 7));
        }).peers()).containsExactly(PEER);
    }

    @Test
    void aReplyWithTheWrongActionIsIgnored() throws Exception {
        assertThat(announceAfter((request, client, t) -> {
            int id = FakeUdpTracker.transactionId(request);
            byte[] wrong = FakeUdpTracker.announced(id, 99);
            wrong[3] = 2; // a scrape reply
            t.send(client, wrong);
            t.send(client, FakeUdpTracker.announced(id, 7));
        }).peers()).containsExactly(PEER);
    }

    @Test
    void aTruncatedReplyIsIgnored() throws Exception {
        assertThat(announceAfter((request, client, t) -> {
            int id = FakeUdpTracker.transactionId(request);
            t.send(client, java.util.Arrays.copyOf(FakeUdpTracker.announced(id, 99), 23));
            t.send(client, java.util.Arrays.copyOf(FakeUdpTracker.announced(id, 99), 12));
            t.send(client, FakeUdpTracker.announced(id, 7));
        }).peers()).containsExactly(PEER);
    }

    @Test
    void aReplyFromAnotherAddressIsIgnored() throws Exception {
        try (DatagramSocket stranger = new DatagramSocket(loopback())) {
            assertThat(announceAfter((request, client, t) -> {
                int id = FakeUdpTracker.transactionId(request);
                byte[] spoof = FakeUdpTracker.announced(id, 99);
                stranger.send(new java.net.DatagramPacket(spoof, spoof.length, client));
                Thread.onSpinWait();
                t.send(client, FakeUdpTracker.announced(id, 7));
            }).peers()).containsExactly(PEER);
        }
    }

    @Test
    void anErrorPacketCarriesTheTrackersMessage() throws Exception {
        try (FakeUdpTracker fake = new FakeUdpTracker((request, client, t) -> {
            byte[] message = "unregistered torrent".getBytes(StandardCharsets.UTF_8);
            t.send(client, ByteBuffer.allocate(8 + message.length).putInt(3)
                    .putInt(FakeUdpTracker.transactionId(request)).put(message).array());
        }); Tracker tracker = Tracker.open(fake.url(), FAST)) {
            assertThatThrownBy(() -> tracker.announce(request(6001, 0, AnnounceEvent.STARTED)))
                    .isInstanceOf(TrackerException.class)
                    .hasMessage("tracker said: unregistered torrent");
        }
    }

    @Test
    void aSilentTrackerIsAskedAgainWithGrowingWaitsThenGivenUpOn() throws Exception {
        try (FakeUdpTracker fake = new FakeUdpTracker((request, client, t) -> { });
             Tracker tracker = Tracker.open(fake.url(), FAST)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> tracker.announce(request(6001, 0, AnnounceEvent.STARTED)))
                    .isInstanceOf(TrackerException.class)
                    .hasMessage("no reply from " + fake.url() + " after 3 attempts");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(fake.requests(1)).isEqualTo(3);
            assertThat(took).isBetween(Duration.ofMillis(1350), Duration.ofSeconds(4));
        }
    }

    @Test
    void aClosedPortFailsAtOnceRatherThanAfterTheRetransmissions() throws Exception {
        int closedPort;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        TrackerConfig slow = TrackerConfig.DEFAULTS.withUdpRetransmission(Duration.ofSeconds(5), 2);
        try (Tracker tracker = Tracker.open("udp://127.0.0.1:" + closedPort + "/announce", slow)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> tracker.announce(request(6001, 0, AnnounceEvent.STARTED)))
                    .isInstanceOf(TrackerException.class)
                    .hasMessageContaining("nothing listens on its port");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    /** A reply of 10,000 peers fills most of a datagram: only the first 3000 are taken. */
    @Test
    void aReplyListingTenThousandPeersYieldsTheFirstThreeThousand() throws Exception {
        AnnounceResponse response = announceAfter((request, client, t) -> {
            ByteBuffer reply = ByteBuffer.allocate(20 + 6 * 10_000).putInt(1)
                    .putInt(FakeUdpTracker.transactionId(request)).putInt(60).putInt(0).putInt(10_000);
            for (int i = 0; i < 10_000; i++) {
                reply.put(new byte[] {10, 0, (byte) (i >> 8), (byte) i}).putShort((short) 6881);
            }
            t.send(client, reply.array());
        });

        assertThat(response.peers()).hasSize(AnnounceResponse.MAX_PEERS).hasSize(3000);
        assertThat(response.peers().getLast()).isEqualTo(new InetSocketAddress("10.0.11.183", 6881));
    }

    @Test
    void scrapeReadsTheCountsInRequestOrder() throws Exception {
        try (FakeUdpTracker fake = new FakeUdpTracker((request, client, t) ->
                t.send(client, ByteBuffer.allocate(20).putInt(2).putInt(FakeUdpTracker.transactionId(request))
                        .putInt(5).putInt(6).putInt(7).array()));
             Tracker tracker = Tracker.open(fake.url(), FAST)) {
            assertThat(tracker.scrape(List.of(INFO_HASH))).containsExactly(new ScrapeResult(INFO_HASH, 5, 6, 7));
        }
    }

    private static AnnounceResponse announceAfter(FakeUdpTracker.Script script) throws Exception {
        try (FakeUdpTracker fake = new FakeUdpTracker(script);
             Tracker tracker = Tracker.open(fake.url(), FAST)) {
            AnnounceResponse response = tracker.announce(request(6001, 0, AnnounceEvent.STARTED));
            assertThat(fake.requests(1)).as("answered without a retransmission").isEqualTo(1);
            return response;
        }
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
