package dev.jtorrent.session;

import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.net.BindAddresses;
import dev.jtorrent.tracker.TrackerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sessions over IPv6 on loopback: where they listen for each bind list, and whole downloads between sessions bound
 * to {@code ::1} alone, found through the embedded tracker on {@code [::1]} (its {@code peers6}) and through a magnet
 * link's {@code x.pe=[::1]:port}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionIpv6Test {
    static final InetAddress LOOPBACK4 = address("127.0.0.1");
    static final InetAddress LOOPBACK6 = address("::1");

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    /**
     * A session on {@code ::1} alone, without LSD and the DHT, so that the tracker or the magnet link is the only way
     * its peers are found.
     */
    private Session ipv6Session() throws IOException {
        return swarm.session(SessionConfig.builder().bindAddress(LOOPBACK6).port(0).lsd(false).dht(false).build());
    }

    @Test
    void withoutBindAddressesOneDualStackSocketTakesBothFamilies() throws Exception {
        // Bound to every address: no DHT nor LSD, which would reach beyond this machine.
        Session session = swarm.session(SessionConfig.builder().port(0).dht(false).lsd(false).build());
        assertThat(connects(LOOPBACK4, session.port())).isTrue();
        assertThat(connects(LOOPBACK6, session.port())).isTrue();
    }

    @Test
    void withSeveralBindAddressesItListensOnEachOnOnePort() throws Exception {
        Session session = swarm.session(SessionConfig.builder().bindAddress(LOOPBACK4).bindAddress(LOOPBACK6).port(0)
                .build());
        assertThat(session.config().bindAddresses()).containsExactly(LOOPBACK4, LOOPBACK6);
        assertThat(connects(LOOPBACK4, session.port())).isTrue();
        assertThat(connects(LOOPBACK6, session.port())).isTrue();
    }

    @Test
    void boundToIpv6LoopbackAloneItDoesNotListenOnIpv4() throws Exception {
        Session session = ipv6Session();
        assertThat(connects(LOOPBACK6, session.port())).isTrue();
        assertThat(connects(LOOPBACK4, session.port())).isFalse();
    }

    @Test
    void ipv4sWildcardGivenListensOnIpv4Alone() throws Exception {
        Session session = swarm.session(SessionConfig.builder().bindAddress(address("0.0.0.0")).port(0).dht(false)
                .lsd(false).build());
        assertThat(connects(LOOPBACK4, session.port())).isTrue();
        assertThat(connects(LOOPBACK6, session.port())).isFalse();
    }

    @Test
    void ipv6sWildcardGivenCoversTheOtherAddresses() {
        assertThat(ListenSockets.toListenOn(new BindAddresses(List.of(LOOPBACK4, address("::"), LOOPBACK6))))
                .containsExactly(address("::"));
        assertThat(ListenSockets.toListenOn(new BindAddresses(List.of(LOOPBACK6, LOOPBACK4))))
                .containsExactly(LOOPBACK6, LOOPBACK4);
        assertThat(ListenSockets.toListenOn(BindAddresses.ANY)).containsExactly((InetAddress) null);
    }

    @Test
    void aBindAddressThatCannotBeListenedOnFailsTheStartNamingIt() throws Exception {
        Session first = ipv6Session();
        assertThatThrownBy(() -> Session.start(SessionConfig.builder().bindAddress(LOOPBACK4).bindAddress(LOOPBACK6)
                .port(first.port()).build()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot listen on [0:0:0:0:0:0:0:1]:" + first.port() + ": ");
        assertThat(connects(LOOPBACK4, first.port())).as("the IPv4 socket opened first was closed again").isFalse();
    }

    @Test
    void downloadsOverIpv6FromASeederFoundThroughATrackerOnIpv6() throws Exception {
        try (TrackerServer tracker = TrackerServer.start(new InetSocketAddress(LOOPBACK6, 0), Duration.ofSeconds(5))) {
            assertThat(tracker.httpAnnounceUrl()).startsWith("http://[0:0:0:0:0:0:0:1]:");
            Path content = swarm.content("six", 400_000, 70_000);
            Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024,
                    List.of(List.of("http://[::1]:" + tracker.port() + "/announce")));
            Session seeder = ipv6Session();
            assertThat(swarm.add(seeder, torrent, content.getParent()).stats().complete()).isTrue();

            Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
            TorrentHandle handle = swarm.add(ipv6Session(), torrent, downloads);
            handle.completion().get(30, TimeUnit.SECONDS);
            LocalSwarmTest.assertSameTree(content, downloads.resolve("six"));
        }
    }

    @Test
    void downloadsFromAnIpv6PeerNamedByAMagnetLink() throws Exception {
        Path content = swarm.content("magnet6", 300_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        Session seeder = ipv6Session();
        swarm.add(seeder, torrent, content.getParent());

        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        TorrentHandle handle = ipv6Session().add(MagnetLink.parse("magnet:?xt=urn:btih:" + torrent.infoHash().hex()
                + "&x.pe=[::1]:" + seeder.port()), AddOptions.builder().downloadDirectory(downloads).build());
        handle.completion().get(30, TimeUnit.SECONDS);
        LocalSwarmTest.assertSameTree(content, downloads.resolve("magnet6"));
    }

    @Test
    void theBindListIsAListAndLoopbackAloneMeansNoPublicRouters() {
        SessionConfig both = SessionConfig.builder().bindAddress(LOOPBACK4).bindAddress(LOOPBACK6)
                .bindAddress(LOOPBACK4).build();
        assertThat(both.bindAddresses()).containsExactly(LOOPBACK4, LOOPBACK6);
        assertThat(both.dhtBootstrap()).isEmpty();
        assertThat(both.toBuilder().bindAddresses(List.of()).build().bindAddresses()).isEmpty();
        assertThat(SessionConfig.builder().bindAddress(LOOPBACK6).bindAddress(address("192.0.2.1")).build()
                .dhtBootstrap()).isNotEmpty();
        assertThat(both.tracker().bindAddresses().addresses()).containsExactly(LOOPBACK4, LOOPBACK6);
    }

    private static boolean connects(InetAddress host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
