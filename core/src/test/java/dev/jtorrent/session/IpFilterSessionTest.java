package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session's block list over real sockets on loopback: the seeder at 127.0.0.1, the leecher at 127.0.0.2, no
 * tracker (the leecher is given the seeder by hand).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IpFilterSessionTest {
    private static final InetAddress LEECHER = address("127.0.0.2");

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void aBlockedPeerIsNotDialledUntilTheListIsLifted() throws Exception {
        Path content = swarm.content("dial", 200_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16384, List.of());
        Session seeding = swarm.session();
        TorrentHandle seeder = swarm.add(seeding, torrent, content.getParent());
        Session session = swarm.session(SessionConfig.builder().bindAddress(LEECHER).port(0).build());
        session.setIpFilter(IpFilter.builder().block(LoopbackSwarm.LOOPBACK).build());
        TorrentHandle leecher = swarm.add(session, torrent, Files.createDirectories(swarm.dir().resolve("dial")));

        leecher.addPeer(addressOf(seeding));
        FakePeer.await("the seeder blocked", Duration.ofSeconds(10), () -> session.blockedByIpFilter() > 0);
        assertThat(leecher.stats().peers()).isZero();
        assertThat(leecher.stats().knownPeers()).as("a blocked peer is not even kept").isZero();

        session.setIpFilter(IpFilter.NONE);
        leecher.addPeer(addressOf(seeding));
        leecher.completion().get(30, TimeUnit.SECONDS);
    }

    @Test
    void anIncomingConnectionFromABlockedAddressIsClosedBeforeItsHandshake() throws Exception {
        Path content = swarm.content("accept", 200_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16384, List.of());
        Session seeding = swarm.session();
        TorrentHandle seeder = swarm.add(seeding, torrent, content.getParent());
        seeding.setIpFilter(IpFilter.builder().block(LEECHER).build());
        Session session = swarm.session(SessionConfig.builder().bindAddress(LEECHER).port(0).build());
        TorrentHandle leecher = swarm.add(session, torrent, Files.createDirectories(swarm.dir().resolve("accept")));

        leecher.addPeer(addressOf(seeding));

        FakePeer.await("the leecher refused", Duration.ofSeconds(10), () -> seeding.blockedByIpFilter() > 0);
        assertThat(seeder.stats().peers()).isZero();
        assertThat(leecher.stats().havePieces()).isZero();
    }

    /** A leecher held at 16 KiB/s stays connected; blocking it closes its connection on the seeder's side. */
    @Test
    void aConnectedPeerThatBecomesBlockedIsDisconnected() throws Exception {
        Path content = swarm.content("connected", 2_000_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16384, List.of());
        Session seeding = swarm.session();
        TorrentHandle seeder = swarm.add(seeding, torrent, content.getParent());
        Session session = swarm.session(SessionConfig.builder().bindAddress(LEECHER).port(0).build());
        TorrentHandle leecher = swarm.add(session, torrent, AddOptions.builder()
                .downloadDirectory(Files.createDirectories(swarm.dir().resolve("connected")))
                .downloadLimit(16384).build());
        leecher.addPeer(addressOf(seeding));
        FakePeer.await("the leecher connected", Duration.ofSeconds(10), () -> seeder.stats().peers() == 1);

        seeding.setIpFilter(IpFilter.builder().block(LEECHER).build());

        FakePeer.await("the leecher disconnected", Duration.ofSeconds(10), () -> seeder.stats().peers() == 0);
        assertThat(seeding.ipFilter().blocks(LEECHER)).isTrue();
    }

    private static InetSocketAddress addressOf(Session seeding) {
        return new InetSocketAddress(LoopbackSwarm.LOOPBACK, seeding.port());
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
