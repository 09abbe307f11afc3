package dev.jtorrent.session;

import dev.jtorrent.dht.Dht;
import dev.jtorrent.dht.DhtConfig;
import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.wire.ExtensionHandshake;
import dev.jtorrent.wire.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions on a small DHT of jtorrent nodes on loopback, each on a /24 of its own (the DHT keeps one node per /24 in
 * a bucket, as libtorrent does), with no tracker, no LSD and no peer named: a seeder announces its torrent, a
 * leecher given the bare magnet link finds it there, fetches the metadata and downloads bit-exact. A private
 * torrent is never announced. The routing table is kept in the resume directory.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DhtSessionTest {
    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    private final List<Dht> background = new ArrayList<>();

    /** Four nodes that know each other: a DHT to bootstrap from. */
    @BeforeEach
    void startADht() throws Exception {
        for (int i = 0; i < 4; i++) {
            background.add(Dht.start(DhtConfig.builder()
                    .bind(new InetSocketAddress(InetAddress.getByName("127.0." + (80 + i) + ".1"), 0))
                    .routers(List.of()).allowLocalAddresses(true).build()));
        }
        for (Dht node : background) {
            for (Dht other : background) {
                if (other != node) {
                    node.addNode(other.localAddress());
                }
            }
        }
    }

    @AfterEach
    void stopTheDht() {
        background.forEach(Dht::close);
    }

    private SessionConfig.Builder config(String address) throws Exception {
        return SessionConfig.builder().bindAddress(InetAddress.getByName(address)).port(0).lsd(false)
                .dhtBootstrap(List.of(background.get(address.hashCode() & 3).localAddress()));
    }

    @Test
    void aBareMagnetLinkFindsItsSeederOnTheDhtAndDownloadsBitExact() throws Exception {
        Path content = swarm.content("dht", 400_000, 3_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        Session seeder = swarm.session(config("127.0.90.1").build());
        Adds.checked(seeder, torrent, content.getParent());

        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        Path resume = swarm.dir().resolve("resume");
        Session leecher = swarm.session(config("127.0.91.1").resumeDirectory(resume).build());
        TorrentHandle handle = leecher.add(MagnetLink.parse("magnet:?xt=urn:btih:" + torrent.infoHash().hex()),
                AddOptions.builder().downloadDirectory(downloads).build());

        handle.completion().get(45, TimeUnit.SECONDS);
        for (String file : List.of("file-0.bin", "file-1.bin")) {
            assertThat(downloads.resolve("dht").resolve(file)).hasSameBinaryContentAs(content.resolve(file));
        }
        assertThat(leecher.dht().orElseThrow().routingTableSize()).isPositive();
        leecher.close();
        assertThat(resume.resolve(Session.DHT_STATE_FILE)).isNotEmptyFile();
    }

    /**
     * BEP 5: a peer whose handshake says it runs a DHT node is told our node's port, and the port it gives goes to
     * our routing table once its node answers; a private torrent's handshake says nothing of a DHT.
     */
    @Test
    void peersThatRunADhtTellEachOtherWhereTheirNodesAre() throws Exception {
        Path content = swarm.content("port", 50_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        Session seeder = swarm.session(SessionConfig.builder().bindAddress(InetAddress.getByName("127.0.93.1"))
                .port(0).lsd(false).dhtBootstrap(List.of()).build());
        Adds.checked(seeder, torrent, content.getParent());
        Dht ours = seeder.dht().orElseThrow();
        InetAddress peerIp = InetAddress.getByName("127.0.94.1");
        Dht theirs = Dht.start(DhtConfig.builder().bind(new InetSocketAddress(peerIp, 0)).routers(List.of())
                .allowLocalAddresses(true).build());
        background.add(theirs);

        FakePeer peer = swarm.closeLater(FakePeer.connect(peerIp,
                new InetSocketAddress(InetAddress.getByName("127.0.93.1"), seeder.port()), torrent.infoHash(), true));
        assertThat(peer.theirHandshake().supportsDht()).isTrue();
        awaitTrue(() -> peer.count(m -> m.equals(new Message.Port(ours.localAddress().getPort()))) == 1);

        assertThat(ours.routingTableSize()).isZero();
        peer.send(new Message.Port(theirs.localAddress().getPort()));
        awaitTrue(() -> ours.routingTableSize() == 1);

        TorrentBuilder builder = TorrentBuilder.of(swarm.content("closed", 10_000)).withPrivate(true)
                .withCreationDate(Optional.empty());
        Torrent closed = Torrent.parse(builder.build(builder.plan(), new AtomicLong()));
        Adds.checked(seeder, closed, swarm.dir().resolve("seed-closed"));
        FakePeer privatePeer = swarm.closeLater(FakePeer.connect(InetAddress.getByName("127.0.94.2"),
                new InetSocketAddress(InetAddress.getByName("127.0.93.1"), seeder.port()), closed.infoHash(), true));
        assertThat(privatePeer.theirHandshake().supportsDht()).isFalse();
        Thread.sleep(500);
        assertThat(privatePeer.count(Message.Port.class::isInstance)).isZero();
    }

    /** BEP 10's {@code yourip}: peers that agree on our address, enough of them, set the node's external address. */
    @Test
    void theAddressPeersSeeUsAtIsAVoteOnTheNodesExternalAddress() throws Exception {
        Path content = swarm.content("yourip", 20_000);
        Torrent torrent = LoopbackSwarm.torrentOf(content, 16 * 1024, List.of());
        Session seeder = swarm.session(SessionConfig.builder().bindAddress(InetAddress.getByName("127.0.96.1"))
                .port(0).lsd(false).dhtBootstrap(List.of()).build());
        Adds.checked(seeder, torrent, content.getParent());
        Dht ours = seeder.dht().orElseThrow();
        InetAddress seen = InetAddress.getByName("203.0.113.7");

        for (int voter = 1; voter <= 3; voter++) {
            FakePeer peer = swarm.closeLater(FakePeer.connect(InetAddress.getByName("127.0.97." + voter),
                    new InetSocketAddress(InetAddress.getByName("127.0.96.1"), seeder.port()), torrent.infoHash(),
                    true));
            peer.send(ExtensionHandshake.of(java.util.Map.of()).withYourIp(seen).toMessage());
            if (voter < 3) {
                Thread.sleep(300);
                assertThat(ours.externalAddress()).as("after %d votes", voter).isEmpty();
            }
        }
        awaitTrue(() -> ours.externalAddress().equals(Optional.of(seen)));
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aPrivateTorrentIsNeverAnnouncedAndAPublicOneIs() throws Exception {
        Path publicContent = swarm.content("public", 50_000);
        Torrent open = LoopbackSwarm.torrentOf(publicContent, 16 * 1024, List.of());
        Path privateContent = swarm.content("private", 50_000);
        TorrentBuilder builder = TorrentBuilder.of(privateContent).withPrivate(true)
                .withPieceLength(Optional.of(16 * 1024)).withCreationDate(Optional.empty());
        Torrent closed = Torrent.parse(builder.build(builder.plan(), new AtomicLong()));
        Session seeder = swarm.session(config("127.0.92.1").build());
        Adds.checked(seeder, open, publicContent.getParent());
        Adds.checked(seeder, closed, privateContent.getParent());

        Dht asker = background.getFirst();
        Set<InetSocketAddress> openPeers = ConcurrentHashMap.newKeySet();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (openPeers.isEmpty() && System.nanoTime() < deadline) {
            asker.getPeers(open.infoHash(), openPeers::add).get(10, TimeUnit.SECONDS);
            Thread.sleep(200);
        }
        assertThat(openPeers).contains(new InetSocketAddress(InetAddress.getByName("127.0.92.1"), seeder.port()));

        Set<InetSocketAddress> closedPeers = ConcurrentHashMap.newKeySet();
        asker.getPeers(closed.infoHash(), closedPeers::add).get(10, TimeUnit.SECONDS);
        assertThat(closedPeers).isEmpty();
    }
}
