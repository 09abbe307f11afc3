package dev.jtorrent.swarm;

import dev.jtorrent.testkit.LinkProfile;
import dev.jtorrent.testkit.Recorder;
import dev.jtorrent.testkit.SimPeer;
import dev.jtorrent.testkit.SimSwarm;
import dev.jtorrent.testkit.SimTorrent;
import dev.jtorrent.wire.Message;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peers that connect and then do nothing cannot hold a torrent's connection slots for good: at the limit, a new
 * peer takes the place of one idle long enough, and a peer that shows interest keeps its place.
 */
class IdlePeersTest {
    private static final Duration IDLE = Duration.ofMillis(500);

    private final SimTorrent torrent = SimTorrent.random(8, 300_000, 16 * 1024);

    @Test
    void aNewPeerTakesThePlaceOfOneIdleTooLong() {
        SimSwarm swarm = new SimSwarm(8);
        SimPeer seed = swarm.peer(torrent, PieceSet.all(torrent.info().pieceCount()), LinkProfile.LAN,
                limitedTo(2), PieceRecorder.NONE);
        List<Recorder> idlers = List.of(new Recorder(), new Recorder());
        for (Recorder idler : idlers) {
            swarm.scripted(torrent, LinkProfile.LAN, idler).connect(seed.address());
        }
        swarm.sim().runFor(IDLE.multipliedBy(2));
        assertThat(idlers).allMatch(Recorder::isConnected);

        SimPeer leecher = swarm.leecher(torrent, LinkProfile.LAN);
        leecher.peersFound(List.of(seed.address()));
        assertThat(swarm.sim().runUntil(leecher::isComplete, Duration.ofMinutes(1))).as("complete").isTrue();

        assertThat(idlers.stream().filter(Recorder::isClosed).count()).as("idle peers dropped").isEqualTo(1);
        assertThat(leecher.content()).isEqualTo(torrent.content());
    }

    @Test
    void aPeerThatWantsSomethingKeepsItsPlace() {
        SimSwarm swarm = new SimSwarm(9);
        SimPeer seed = swarm.peer(torrent, PieceSet.all(torrent.info().pieceCount()), LinkProfile.LAN,
                limitedTo(1), PieceRecorder.NONE);
        Recorder interested = new Recorder(new Message.Interested());
        swarm.scripted(torrent, LinkProfile.LAN, interested).connect(seed.address());
        swarm.sim().runFor(IDLE.multipliedBy(2));

        Recorder newcomer = new Recorder();
        swarm.scripted(torrent, LinkProfile.LAN, newcomer).connect(seed.address());
        swarm.sim().runFor(Duration.ofSeconds(1));

        assertThat(newcomer.isClosed()).as("the newcomer was turned away").isTrue();
        assertThat(interested.isClosed()).as("the interested peer was dropped").isFalse();
    }

    private static SwarmConfig limitedTo(int peers) {
        return SwarmConfig.DEFAULT.withMaxPeers(peers).withIdleToEvict(IDLE);
    }
}
