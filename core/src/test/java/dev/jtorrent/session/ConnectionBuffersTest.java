package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.net.BufferPool;
import dev.jtorrent.tracker.AnnounceEvent;
import dev.jtorrent.tracker.AnnounceRequest;
import dev.jtorrent.tracker.Tracker;
import dev.jtorrent.tracker.TrackerConfig;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.WireCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.jtorrent.session.FakePeer.await;
import static dev.jtorrent.session.LoopbackSwarm.LOOPBACK;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection takes its read buffer and write batch from its session's pools only once it is open and running,
 * and gives them back however it ends (issue 13: the seed's resident memory grew with every short connection, each
 * leaving 80 KiB of direct buffers for the garbage collector). Handshakes that fail and connections the swarm
 * refuses take nothing; connections that come and go reuse the same few buffers; one stuck in a write to a peer
 * that reads nothing gives them back when the swarm closes it. (How the reader and the writer give them back, each on
 * its own thread after its last read or write, is {@code PeerConnectionBuffersTest}'s.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionBuffersTest {
    private static final int PIECE = 256 * 1024;

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void handshakesThatFailTakeNoBuffer() throws Exception {
        Path content = swarm.content("failing", 1_000_000);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        // The seed announces nowhere (the same info hash without trackers, and no LSD), so the tracker lists the
        // liar alone, and the leecher's first announce has it dial the liar.
        CompletableFuture<Void> liarAnswered = answerForAnotherTorrent(liar(torrent));
        // plaintext handshakes only: the liar answers one connection, and an encrypted attempt first would be it
        SessionConfig trackerOnly = LoopbackSwarm.config().toBuilder().lsd(false).encryption(Encryption.DISABLE)
                .build();
        Session seeder = swarm.session(trackerOnly);
        swarm.add(seeder, LoopbackSwarm.torrentOf(content, PIECE, List.of()), content.getParent());
        Session leecher = swarm.session(trackerOnly);
        swarm.add(leecher, torrent, Files.createDirectories(swarm.dir().resolve("leecher")));

        byte[] anotherTorrent = Handshake.of(InfoHash.of(new byte[20]), PeerId.random("-XX0000-")).encode();
        byte[] notBitTorrent = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (byte[] bytes : List.of(anotherTorrent, notBitTorrent)) {
            try (Socket socket = new Socket(LOOPBACK, seeder.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(bytes);
                assertThat(readUntilClosed(socket.getInputStream())).as("bytes before the close").isZero();
            }
        }
        liarAnswered.get(20, TimeUnit.SECONDS);

        assertNothingTaken(seeder);
        assertNothingTaken(leecher);
    }

    /** At its peer limit the swarm closes a new connection without starting it. */
    @Test
    void aConnectionTheSwarmRefusesTakesNoBuffer() throws Exception {
        Path content = swarm.content("full", 1_000_000);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        SessionConfig onePeer = LoopbackSwarm.config().withSwarm(LoopbackSwarm.config().swarm().withMaxPeers(1));
        Session seeder = swarm.session(onePeer);
        swarm.add(seeder, torrent, content.getParent());
        FakePeer taken = swarm.closeLater(FakePeer.connect(seeder.port(), torrent.infoHash()));
        await("the seed's have-all", Duration.ofSeconds(10), () -> taken.count(Message.HaveAll.class::isInstance) > 0);

        FakePeer refused = swarm.closeLater(FakePeer.connect(seeder.port(), torrent.infoHash()));

        assertThat(refused.awaitClosed(Duration.ofSeconds(10))).as("refused").isTrue();
        for (BufferPool pool : pools(seeder)) {
            assertThat(pool.inUse()).as("the first peer's").isEqualTo(1);
            assertThat(pool.created()).isEqualTo(1);
        }
    }

    /**
     * Ten rounds of five peers that connect, are offered the pieces and leave: the pools allocate five buffers
     * each, in the first round, and every later round reuses them.
     */
    @Test
    void connectionsThatComeAndGoReuseTheSameBuffers() throws Exception {
        Path content = swarm.content("churn", 1_000_000);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Session seeder = swarm.session();
        swarm.add(seeder, torrent, content.getParent());
        int atOnce = 5;

        for (int round = 0; round < 10; round++) {
            List<FakePeer> peers = new ArrayList<>();
            for (int i = 0; i < atOnce; i++) {
                peers.add(FakePeer.connect(seeder.port(), torrent.infoHash()));
            }
            for (FakePeer peer : peers) {
                await("the seed's have-all", Duration.ofSeconds(10),
                        () -> peer.count(Message.HaveAll.class::isInstance) > 0);
                peer.close();
            }
            await("every buffer back", Duration.ofSeconds(10), () -> pools(seeder).stream()
                    .allMatch(pool -> pool.inUse() == 0));
        }

        for (BufferPool pool : pools(seeder)) {
            assertThat(pool.created()).as("allocated").isEqualTo(atOnce);
            assertThat(pool.idle()).isEqualTo(atOnce);
        }
    }

    /**
     * A peer that asks for the whole torrent and reads none of it leaves the seed's writer blocked in a write; when
     * the torrent stops, the swarm closes the connection, and both buffers come back.
     */
    @Test
    void aConnectionStuckInAWriteGivesItsBuffersBackWhenTheTorrentStops() throws Exception {
        int size = 16 * 1024 * 1024; // far more than the sockets' buffers hold
        Path content = swarm.content("stuck", size);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Session seeder = swarm.session();
        TorrentHandle seed = swarm.add(seeder, torrent, content.getParent());
        try (Socket socket = new Socket(LOOPBACK, seeder.port())) {
            socket.getOutputStream().write(Handshake.of(torrent.infoHash(), PeerId.random("-XX0000-")).withFast(true)
                    .encode());
            new DataInputStream(socket.getInputStream()).readFully(new byte[Handshake.LENGTH]);
            ByteArrayOutputStream requests = new ByteArrayOutputStream();
            requests.writeBytes(WireCodec.encode(new Message.Interested()));
            for (int begin = 0; begin < size; begin += 16 * 1024) {
                requests.writeBytes(WireCodec.encode(new Message.Request(begin / PIECE, begin % PIECE, 16 * 1024)));
            }
            socket.getOutputStream().write(requests.toByteArray());
            await("the seed to send until the peer's socket is full", Duration.ofSeconds(20),
                    () -> sendingStalled(seed));
            assertThat(pools(seeder)).allMatch(pool -> pool.inUse() == 1);

            seed.pause();

            await("both buffers back", Duration.ofSeconds(10), () -> pools(seeder).stream()
                    .allMatch(pool -> pool.inUse() == 0));
        }
    }

    /** Reads until the other side closes the connection (a reset too: it closed with our bytes unread). */
    private static int readUntilClosed(InputStream in) throws IOException {
        int count = 0;
        try {
            while (in.read() >= 0) {
                count++;
            }
        } catch (SocketException e) {
            // reset
        }
        return count;
    }

    private static List<BufferPool> pools(Session session) {
        return List.of(session.handshaker().readBuffers(), session.handshaker().writeBatches());
    }

    private static void assertNothingTaken(Session session) {
        for (BufferPool pool : pools(session)) {
            assertThat(pool.created()).as("buffers allocated").isZero();
        }
    }

    private long lastUploaded = -1;
    private long unchangedSince;

    /** Whether the seed has sent something, and nothing more for 300 ms. */
    private boolean sendingStalled(TorrentHandle seed) {
        long uploaded = seed.stats().uploaded();
        long now = System.nanoTime();
        if (uploaded != lastUploaded) {
            lastUploaded = uploaded;
            unchangedSince = now;
        }
        return uploaded > 0 && now - unchangedSince > TimeUnit.MILLISECONDS.toNanos(300);
    }

    /** A listening socket the tracker lists as a peer of {@code torrent}. */
    private ServerSocket liar(Torrent torrent) throws Exception {
        ServerSocket server = swarm.closeLater(new ServerSocket(0, 50, LOOPBACK));
        try (Tracker announce = Tracker.open(swarm.tracker().httpAnnounceUrl(), TrackerConfig.DEFAULTS)) {
            announce.announce(new AnnounceRequest(torrent.infoHash(), "-XX0000-liar--------".getBytes(
                    StandardCharsets.US_ASCII), server.getLocalPort(), 0, 0, 1, AnnounceEvent.STARTED, 0, 0,
                    Optional.empty()));
        }
        return server;
    }

    /** Answers the first connection's handshake with one for another torrent; completes when that side closes. */
    private static CompletableFuture<Void> answerForAnotherTorrent(ServerSocket server) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(20_000);
                InputStream in = socket.getInputStream();
                new DataInputStream(in).readFully(new byte[Handshake.LENGTH]);
                socket.getOutputStream().write(Handshake.of(InfoHash.of(new byte[20]), PeerId.random("-XX0000-"))
                        .encode());
                if (in.read() != -1) {
                    throw new IOException("the connection went on after a handshake for another torrent");
                }
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }
}
