package dev.jtorrent.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.wire.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A seed's upload limit is shared out among the peers waiting for it, a block of each in turn: a peer that asks for
 * a few blocks gets them while one that asked for hundreds before it still waits for most of its own, rather than
 * after all of them. An order of events, not a duration: served in the order the requests came, the second peer's
 * first block would go only after the first peer's 256.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UploadLimitFairnessTest {
    private static final int BLOCK = 16 * 1024;
    private static final int PIECE = 64 * 1024;
    /** 32 blocks a second. */
    private static final long LIMIT = 512 * 1024;

    @RegisterExtension
    final LoopbackSwarm swarm = new LoopbackSwarm();

    @Test
    void aPeerWithFewRequestsIsServedBesideOneWithManyQueuedBeforeIt() throws Exception {
        Path content = swarm.content("shared", 64 * PIECE);
        Torrent torrent = swarm.torrentOf(content, PIECE);
        Session seeder = swarm.session();
        swarm.add(seeder, torrent, AddOptions.builder().downloadDirectory(content.getParent()).uploadLimit(LIMIT)
                .build());

        FakePeer greedy = swarm.closeLater(FakePeer.connect(seeder.port(), torrent.infoHash()));
        greedy.send(new Message.Interested());
        FakePeer.await("the first peer to be unchoked", Duration.ofSeconds(10),
                () -> greedy.count(m -> m instanceof Message.Unchoke) > 0);
        for (int piece = 0; piece < 64; piece++) {
            for (int begin = 0; begin < PIECE; begin += BLOCK) {
                greedy.send(new Message.Request(piece, begin, BLOCK));
            }
        }
        FakePeer.await("the first peer's first block", Duration.ofSeconds(10),
                () -> greedy.count(m -> m instanceof Message.Piece) > 0);

        FakePeer modest = swarm.closeLater(FakePeer.connect(seeder.port(), torrent.infoHash()));
        modest.send(new Message.Interested());
        FakePeer.await("the second peer to be unchoked", Duration.ofSeconds(10),
                () -> modest.count(m -> m instanceof Message.Unchoke) > 0);
        for (int begin = 0; begin < 2 * PIECE; begin += BLOCK) {
            modest.send(new Message.Request(begin / PIECE + 10, begin % PIECE, BLOCK));
        }
        FakePeer.await("the second peer's 8 blocks", Duration.ofSeconds(30),
                () -> modest.count(m -> m instanceof Message.Piece) == 8);

        long greedyBlocks = greedy.count(m -> m instanceof Message.Piece);
        assertThat(greedyBlocks).as("blocks the first peer had when the second had its 8 of 8").isLessThan(128);
    }
}
