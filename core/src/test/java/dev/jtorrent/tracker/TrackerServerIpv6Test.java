package dev.jtorrent.tracker;

import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BList;
import dev.jtorrent.bencode.BString;
import dev.jtorrent.bencode.BValue;
import dev.jtorrent.bencode.BencodeDecoder;
import dev.jtorrent.bencode.BencodeLimits;
import dev.jtorrent.net.BindAddresses;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static dev.jtorrent.tracker.Announces.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded tracker and the tracker clients over IPv6 on loopback (BEP 7, BEP 15): an IPv6 peer is recorded at
 * the address its announce came from and listed in {@code peers6}, and in 18-byte entries over UDP on IPv6.
 */
class TrackerServerIpv6Test {
    private static final InetAddress LOOPBACK4 = ip("127.0.0.1");
    private static final InetAddress LOOPBACK6 = ip("::1");
    private static final TrackerConfig OVER_IPV4 = TrackerConfig.DEFAULTS.withBindAddress(LOOPBACK4);
    private static final TrackerConfig OVER_IPV6 = TrackerConfig.DEFAULTS.withBindAddress(LOOPBACK6);

    @Test
    void anHttpAnnounceOverIpv6IsListedInPeers6ToClientsOfBothFamilies() throws Exception {
        try (TrackerServer server = TrackerServer.start(List.of(LOOPBACK4, LOOPBACK6), 0,
                TrackerServerConfig.DEFAULTS);
             Tracker over6 = Tracker.open("http://[::1]:" + server.port() + "/announce", OVER_IPV6);
             Tracker over4 = Tracker.open(server.httpAnnounceUrl(), OVER_IPV4)) {
            assertThat(server.addresses()).containsExactly(new InetSocketAddress(LOOPBACK4, server.port()),
                    new InetSocketAddress(LOOPBACK6, server.port()));
            over6.announce(request(6006, 0, AnnounceEvent.STARTED));

            assertThat(over4.announce(request(6004, 1, AnnounceEvent.STARTED)).peers())
                    .containsExactly(new InetSocketAddress(LOOPBACK6, 6006));
            assertThat(over6.announce(request(6006, 0, AnnounceEvent.NONE)).peers())
                    .containsExactly(new InetSocketAddress(LOOPBACK4, 6004));
        }
    }

    @Test
    void aUdpReplyOverIpv6ListsIpv6PeersIn18Bytes() throws Exception {
        try (TrackerServer server = TrackerServer.start(List.of(LOOPBACK4, LOOPBACK6), 0,
                TrackerServerConfig.DEFAULTS);
             Tracker http6 = Tracker.open("http://[::1]:" + server.port() + "/announce", OVER_IPV6);
             Tracker http4 = Tracker.open(server.httpAnnounceUrl(), OVER_IPV4);
             Tracker udp6 = Tracker.open("udp://[::1]:" + server.port() + "/announce", OVER_IPV6);
             Tracker udp4 = Tracker.open(server.udpAnnounceUrl(), OVER_IPV4)) {
            http6.announce(request(7006, 0, AnnounceEvent.STARTED));
            http4.announce(request(7004, 0, AnnounceEvent.STARTED));

            assertThat(udp6.announce(request(7106, 1, AnnounceEvent.STARTED)).peers())
                    .as("BEP 15: a reply over IPv6 has IPv6 peers").containsExactly(new InetSocketAddress(LOOPBACK6, 7006));
            assertThat(udp4.announce(request(7104, 1, AnnounceEvent.STARTED)).peers())
                    .containsExactlyInAnyOrder(new InetSocketAddress(LOOPBACK4, 7004));
        }
    }

    @Test
    void aWildcardTrackerIsDualStackOnOnePort() throws Exception {
        try (TrackerServer server = TrackerServer.start(new InetSocketAddress((InetAddress) null, 0));
             Tracker over6 = Tracker.open("http://[::1]:" + server.port() + "/announce", OVER_IPV6);
             Tracker over4 = Tracker.open("http://127.0.0.1:" + server.port() + "/announce", OVER_IPV4);
             Tracker udp6 = Tracker.open("udp://[::1]:" + server.port() + "/announce", OVER_IPV6);
             Tracker udp4 = Tracker.open("udp://127.0.0.1:" + server.port() + "/announce", OVER_IPV4)) {
            assertThat(server.addresses()).hasSize(1);
            over6.announce(request(8006, 0, AnnounceEvent.STARTED));
            assertThat(over4.announce(request(8004, 1, AnnounceEvent.STARTED)).peers())
                    .containsExactly(new InetSocketAddress(LOOPBACK6, 8006));
            assertThat(udp6.announce(request(8106, 1, AnnounceEvent.STARTED)).peers())
                    .containsExactly(new InetSocketAddress(LOOPBACK6, 8006));
            assertThat(udp4.announce(request(8104, 1, AnnounceEvent.STARTED)).peers())
                    .as("an IPv4 client over the dual-stack socket is an IPv4 peer")
                    .containsExactly(new InetSocketAddress(LOOPBACK4, 8004));
        }
    }

    @Test
    void withoutCompactTheReplyIsBep3sListOfDictionariesWithBothFamilies() throws Exception {
        try (TrackerServer server = TrackerServer.start(List.of(LOOPBACK4, LOOPBACK6), 0,
                TrackerServerConfig.DEFAULTS);
             Tracker over6 = Tracker.open("http://[::1]:" + server.port() + "/announce", OVER_IPV6);
             Tracker over4 = Tracker.open(server.httpAnnounceUrl(), OVER_IPV4)) {
            over6.announce(request(9006, 0, AnnounceEvent.STARTED));
            over4.announce(request(9004, 0, AnnounceEvent.STARTED));

            String query = "info_hash=" + percent(Announces.INFO_HASH.bytes()) + "&peer_id=" + "x".repeat(20)
                    + "&port=9999&left=1&compact=0";
            BDictionary reply = (BDictionary) BencodeDecoder.strict(BencodeLimits.MESSAGE).decode(get(server.port(), "/announce?" + query));
            assertThat(reply.get("peers6")).isEmpty();
            List<String> peers = ((BList) reply.get("peers").orElseThrow()).values().stream()
                    .map(v -> text(((BDictionary) v).get("ip"))).toList();
            assertThat(peers).hasSize(2);
            assertThat(peers).containsExactlyInAnyOrder("127.0.0.1", "0:0:0:0:0:0:0:1");
            // and the client reads that model back, IPv6 entries included
            assertThat(HttpTrackerReply.announce(get(server.port(), "/announce?" + query)).peers())
                    .containsExactlyInAnyOrder(new InetSocketAddress(LOOPBACK4, 9004),
                            new InetSocketAddress(LOOPBACK6, 9006));
        }
    }

    @Test
    void aSecondAddressThatCannotBeListenedOnFailsTheStartNamingIt() throws Exception {
        try (TrackerServer first = TrackerServer.start(new InetSocketAddress(LOOPBACK6, 0))) {
            assertThatThrownBy(() -> TrackerServer.start(List.of(LOOPBACK4, LOOPBACK6), first.port(),
                    TrackerServerConfig.DEFAULTS)).hasMessageContaining("cannot listen on")
                    .hasMessageContaining("0:0:0:0:0:0:0:1");
        }
    }

    @Test
    void anIpv6TrackerIsRefusedWhenBoundToIpv4Alone() throws Exception {
        try (TrackerServer server = TrackerServer.start(new InetSocketAddress(LOOPBACK6, 0));
             Tracker http = Tracker.open(server.httpAnnounceUrl(), OVER_IPV4);
             Tracker udp = Tracker.open(server.udpAnnounceUrl(), OVER_IPV4)) {
            assertThat(server.httpAnnounceUrl()).isEqualTo("http://[0:0:0:0:0:0:0:1]:" + server.port() + "/announce");
            assertThatThrownBy(() -> http.announce(request(6001, 0, AnnounceEvent.STARTED)))
                    .hasMessageContaining("no bind address of its family");
            assertThatThrownBy(() -> udp.announce(request(6001, 0, AnnounceEvent.STARTED)))
                    .hasMessageContaining("no bind address of its family");
        }
    }

    @Test
    void theAnnounceCarriesOurIpv6AddressWhenConfigured() {
        URI uri = HttpQuery.announce(URI.create("http://tracker.example/announce"),
                request(6881, 0, AnnounceEvent.NONE), Optional.of(ip("2001:db8::1")));
        assertThat(uri.getRawQuery()).endsWith("&ipv6=2001%3Adb8%3A0%3A0%3A0%3A0%3A0%3A1");
        assertThat(HttpQuery.announce(URI.create("http://tracker.example/announce"),
                request(6881, 0, AnnounceEvent.NONE)).getRawQuery()).doesNotContain("ipv6");
        assertThatThrownBy(() -> TrackerConfig.DEFAULTS.withIpv6(Optional.of(LOOPBACK4)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TrackerConfig.DEFAULTS.withBindAddresses(new BindAddresses(List.of(LOOPBACK6))).bindAddresses()
                .addresses()).containsExactly(LOOPBACK6);
    }

    private static String text(Optional<BValue> value) {
        return value.orElseThrow() instanceof BString s ? s.asText() : "";
    }

    /** A raw GET over IPv4 loopback, so that the reply's peers are those a plain client gets. */
    private static byte[] get(int port, String target) throws Exception {
        try (Socket socket = new Socket(LOOPBACK4, port)) {
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] all = socket.getInputStream().readAllBytes();
            String head = new String(all, StandardCharsets.ISO_8859_1);
            return Arrays.copyOfRange(all, head.indexOf("\r\n\r\n") + 4, all.length);
        }
    }

    private static String percent(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        HttpQuery.encode(out, bytes);
        return out.toString();
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
