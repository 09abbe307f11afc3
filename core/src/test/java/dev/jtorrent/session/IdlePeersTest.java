package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.wire.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

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
        List<FakePeer> idlers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            idlers.add(swarm.closeLater(FakePeer.connect(seeder.port(), torrent.infoHash())));
        }
        Thread.sleep(IDLE.toMillis() * 2);

        Path downloads = Files.createDirectories(swarm.dir().resolve("downloads"));
        TorrentHandle leecher = swarm.add(swarm.session(), torrent, downloads);
        leecher.completion().get(30, TimeUnit.SECONDS);

        assertThat(idlers.stream().filter(FakePeer::isClosed).count()).as("idle peers dropped").isEqualTo(1);
        assertThat(Files.mismatch(content.resolve("file-0.bin"), downloads.resolve("idle/file-0.bin"))).isEqualTo(-1);
    }

    @Test
    void aPeerThatWantsSomethingKeepsItsPlace() throws Exception {
        Path content = swarm.content("busy", 300_000);
        Torrent torrent = swarm.torrentOf(content, 16 * 1024);
        Session seeder = swarm.session(limitedTo(1));
        swarm.add(seeder, torrent, content.getParent());
        FakePeer interested = swarm.closeLater(FakePeer.connect(seeder.port(), torrent.infoHash()));
        interested.send(new Message.Interested());
        Thread.sleep(IDLE.toMillis() * 2);

        FakePeer newcomer = swarm.closeLater(FakePeer.connect(seeder.port(), torrent.infoHash()));

        assertThat(newcomer.awaitClosed(Duration.ofSeconds(1))).as("the newcomer was turned away").isTrue();
        assertThat(interested.awaitClosed(Duration.ofSeconds(1))).as("the interested peer was dropped").isFalse();
    }

    private static SessionConfig limitedTo(int peers) {
        SessionConfig config = LoopbackSwarm.config();
        return config.withSwarm(config.swarm().withMaxPeers(peers).withIdleToEvict(IDLE));
    }
}
