package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.PeerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peers that connect and then do nothing cannot hold a torrent's connection slots for good: at the limit, a new
 * peer takes the place of one idle long enough, and a peer that shows interest keeps its place.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdlePeersTest {
    private static final Duration IDLE = Duration.ofMillis(500);

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void aNewPeerTakesThePlaceOfOneIdleTooLong() throws Exception {
        Path content = swarm.content("idle", 300_000);
        Torrent torrent = swarm.torrentOf(content, 16 * 1024);
        Session seeder = swarm.session(limitedTo(2));
        swarm.add(seeder, torrent, content.getParent());
        List<Socket> idlers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            idlers.add(swarm.closeLater(connect(seeder, torrent)));
        }
        Thread.sleep(IDLE.toMillis() * 2);

        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        TorrentHandle leecher = swarm.add(swarm.session(), torrent, downloads);
        leecher.completion().get(30, TimeUnit.SECONDS);

        assertThat(idlers.stream().filter(IdlePeersTest::closedByPeer).count()).as("idle peers dropped").isEqualTo(1);
        assertThat(Files.mismatch(content.resolve("file-0.bin"), downloads.resolve("idle/file-0.bin"))).isEqualTo(-1);
    }

    @Test
    void aPeerThatWantsSomethingKeepsItsPlace() throws Exception {
        Path content = swarm.content("busy", 300_000);
        Torrent torrent = swarm.torrentOf(content, 16 * 1024);
        Session seeder = swarm.session(limitedTo(1));
        swarm.add(seeder, torrent, content.getParent());
        Socket interested = swarm.closeLater(connect(seeder, torrent));
        interested.getOutputStream().write(new byte[] {0, 0, 0, 1, 2}); // interested
        Thread.sleep(IDLE.toMillis() * 2);

        Socket newcomer = swarm.closeLater(connect(seeder, torrent));

        assertThat(closedByPeer(newcomer)).as("the newcomer was turned away").isTrue();
        assertThat(closedByPeer(interested)).as("the interested peer was dropped").isFalse();
    }

    private static SessionConfig limitedTo(int peers) {
        SessionConfig config = LoopbackSwarm.config();
        return config.withSwarm(config.swarm().withMaxPeers(peers).withIdleToEvict(IDLE));
    }

    /** A peer that completes the handshake, then says nothing. */
    private static Socket connect(Session session, Torrent torrent) throws IOException {
        Socket socket = new Socket(LoopbackSwarm.LOOPBACK, session.port());
        socket.getOutputStream().write(Handshake.of(torrent.infoHash(), PeerId.random("-XX0000-")).encode());
        new DataInputStream(socket.getInputStream()).readFully(new byte[Handshake.LENGTH]);
        return socket;
    }

    /** Whether the other end closes the socket within a second, reading whatever it sends until then. */
    private static boolean closedByPeer(Socket socket) {
        try {
            socket.setSoTimeout(1_000);
            while (true) {
                if (socket.getInputStream().read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
