package dev.jtorrent.tracker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import static dev.jtorrent.tracker.Announces.INFO_HASH;
import static dev.jtorrent.tracker.Announces.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Server-side request forgery: torrents and redirects that aim tracker requests at a cloud's metadata service, at
 * local programs or from the internet into the LAN are refused before anything connects (see {@link AddressPolicy}).
 */
class HttpTrackerSsrfTest {
    private static final TrackerConfig FAST = TrackerConfig.DEFAULTS
            .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(800))
            .withUdpRetransmission(Duration.ofMillis(200), 1);
    private static final String REPLY = "d8:intervali60e5:peers6:\u007f\u0000\u0000\u0001\u0017\u0071e";

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "https://169.254.169.254/announce",
            "http://[::ffff:169.254.169.254]/announce", "http://[fe80::1]:6969/announce",
            "udp://169.254.169.254:6969/announce"})
    void aTrackerAtALinkLocalAddressIsRefusedWithoutAConnection(String url) throws Exception {
        try (Tracker tracker = Tracker.open(url, FAST)) {
            assertThat(announceFails(tracker)).hasMessageStartingWith("refused a tracker at the link-local address ")
                    .hasMessageEndingWith(", where clouds serve instance credentials");
        }
    }

    /** A torrent aimed at a local program's RPC (Transmission's here), by address, by name or by the wildcard. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "0.0.0.0"})
    void aTrackerOnThisMachineWithoutAnAnnouncePathIsRefusedWithoutARequest(String host) throws Exception {
        try (FakeHttpServer rpc = new FakeHttpServer(FakeHttpServer.replying(REPLY));
             Tracker tracker = Tracker.open(rpc.url("/transmission/rpc").replace("127.0.0.1", host), FAST)) {
            assertThat(announceFails(tracker)).hasMessageStartingWith("refused a tracker on this machine (")
                    .hasMessageEndingWith(") whose path does not start with /announce: /transmission/rpc");
            assertThat(rpc.requests.get()).isZero();
        }
    }

    @Test
    void aTrackerOnThisMachineIsAnnouncedToAndScrapedAtItsUsualPaths() throws Exception {
        try (TrackerServer server = TrackerServer.start(new java.net.InetSocketAddress(
                InetAddress.getLoopbackAddress(), 0));
             Tracker tracker = Tracker.open(server.httpAnnounceUrl(), FAST)) {
            tracker.announce(request(6001, 0, AnnounceEvent.STARTED));
            assertThat(tracker.scrape(List.of(INFO_HASH))).containsExactly(new ScrapeResult(INFO_HASH, 1, 0, 0));
        }
    }

    @Test
    void aRedirectToTheCloudMetadataServiceIsRefused() throws Exception {
        try (FakeHttpServer fake = new FakeHttpServer(FakeHttpServer.replying(302,
                "Location: http://169.254.169.254/latest/meta-data/iam/security-credentials/\r\n", new byte[0]));
             Tracker tracker = Tracker.open(fake.url("/announce"), FAST)) {
            assertThat(announceFails(tracker))
                    .hasMessage("refused a tracker at the link-local address 169.254.169.254, where clouds serve "
                            + "instance credentials");
        }
    }

    @Test
    void aRedirectToALocalProgramIsRefused() throws Exception {
        try (FakeHttpServer rpc = new FakeHttpServer(FakeHttpServer.replying(REPLY));
             FakeHttpServer fake = new FakeHttpServer(FakeHttpServer.replying(302,
                     "Location: " + rpc.url("/api/v2/app/shutdown") + "\r\n", new byte[0]));
             Tracker tracker = Tracker.open(fake.url("/announce"), FAST)) {
            assertThat(announceFails(tracker)).hasMessage("refused a tracker on this machine (127.0.0.1) whose path "
                    + "does not start with /announce: /api/v2/app/shutdown");
            assertThat(rpc.requests.get()).isZero();
        }
    }

    /**
     * A tracker at a network address of this host's, farther than loopback, may not redirect to loopback, even to an
     * announce path; it may redirect to its own address. The address is the test's own ({@link OwnNetworkAddress}),
     * one on the internet as far as the policy can tell.
     */
    @Test
    void aRedirectFromTheNetworkToThisMachineIsRefusedButNotOneAlongTheNetwork() throws Exception {
        try (OwnNetworkAddress own = OwnNetworkAddress.create();
             FakeHttpServer local = new FakeHttpServer(FakeHttpServer.replying(REPLY));
             FakeHttpServer alongside = new FakeHttpServer(own.address(), FakeHttpServer.replying(REPLY));
             FakeHttpServer toLocal = new FakeHttpServer(own.address(), FakeHttpServer.replying(302,
                     "Location: " + local.url("/announce") + "\r\n", new byte[0]));
             FakeHttpServer toAlongside = new FakeHttpServer(own.address(), FakeHttpServer.replying(302,
                     "Location: " + alongside.url("/announce") + "\r\n", new byte[0]));
             Tracker refused = Tracker.open(toLocal.url("/announce"), FAST);
             Tracker followed = Tracker.open(toAlongside.url("/announce"), FAST)) {
            assertThat(announceFails(refused)).hasMessage("refused a redirect from " + OwnNetworkAddress.ADDRESS
                    + " on the internet to 127.0.0.1 on this machine");
            assertThat(local.requests.get()).isZero();

            assertThat(followed.announce(request(6001, 0, AnnounceEvent.STARTED)).peers()).hasSize(1);
            assertThat(alongside.requests.get()).isEqualTo(1);
        }
    }

    private static TrackerException announceFails(Tracker tracker) {
        return assertThrows(TrackerException.class, () -> tracker.announce(request(6001, 0, AnnounceEvent.STARTED)));
    }
}
