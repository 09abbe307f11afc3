package dev.jtorrent.swarm;

import dev.jtorrent.testkit.LinkProfile;
import dev.jtorrent.testkit.Recorder;
import dev.jtorrent.testkit.SimPeer;
import dev.jtorrent.testkit.SimSwarm;
import dev.jtorrent.testkit.SimTorrent;
import dev.jtorrent.wire.Message;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seed's upload limit is shared out among the peers waiting for it, a block of each in turn: a peer that asks for
 * a few blocks gets them while one that asked for hundreds before it still waits for most of its own, rather than
 * after all of them. An order of events, not a duration: served in the order the requests came, the second peer's
 * first block would go only after the first peer's 256.
 */
class UploadLimitFairnessTest {
    private static final int BLOCK = 16 * 1024;
    private static final int PIECE = 64 * 1024;
    /** 32 blocks a second. */
    private static final long LIMIT = 512 * 1024;

    @Test
    void aPeerWithFewRequestsIsServedBesideOneWithManyQueuedBeforeIt() {
        SimSwarm swarm = new SimSwarm(11);
        SimTorrent torrent = SimTorrent.random(11, 64 * PIECE, PIECE);
        SimPeer seed = swarm.peer(torrent, PieceSet.all(torrent.info().pieceCount()), LinkProfile.LAN,
                SwarmConfig.DEFAULT.withUploadLimit(LIMIT), PieceRecorder.NONE);

        Recorder greedy = new Recorder(new Message.Interested()).reacting((connection, message) -> {
            if (message instanceof Message.Unchoke) {
                for (int piece = 0; piece < 64; piece++) {
                    for (int begin = 0; begin < PIECE; begin += BLOCK) {
                        connection.send(new Message.Request(piece, begin, BLOCK));
                    }
                }
            }
        });
        swarm.scripted(torrent, LinkProfile.LAN, greedy).connect(seed.address());
        assertThat(swarm.sim().runUntil(() -> greedy.count(m -> m instanceof Message.Piece) > 0,
                Duration.ofSeconds(10))).as("the first peer's first block").isTrue();

        Recorder modest = new Recorder(new Message.Interested()).reacting((connection, message) -> {
            if (message instanceof Message.Unchoke) {
                for (int begin = 0; begin < 2 * PIECE; begin += BLOCK) {
                    connection.send(new Message.Request(begin / PIECE + 10, begin % PIECE, BLOCK));
                }
            }
        });
        swarm.scripted(torrent, LinkProfile.LAN, modest).connect(seed.address());
        assertThat(swarm.sim().runUntil(() -> modest.count(m -> m instanceof Message.Piece) == 8,
                Duration.ofSeconds(30))).as("the second peer's 8 blocks").isTrue();

        long greedyBlocks = greedy.count(m -> m instanceof Message.Piece);
        assertThat(greedyBlocks).as("blocks the first peer had when the second had its 8 of 8").isLessThan(128);
    }
}
