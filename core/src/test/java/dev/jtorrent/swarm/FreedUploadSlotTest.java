package dev.jtorrent.swarm;

import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.testkit.LinkProfile;
import dev.jtorrent.testkit.Recorder;
import dev.jtorrent.testkit.ScriptedPeer;
import dev.jtorrent.testkit.SimPeer;
import dev.jtorrent.testkit.SimSwarm;
import dev.jtorrent.testkit.SimTorrent;
import dev.jtorrent.wire.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seed's upload slot that frees up (its peer left, or lost interest) goes at once to a peer waiting for one, as in
 * libtorrent, not at the next rechoke up to 10 seconds later: a seed with more leechers than slots otherwise sits
 * idle while a leecher that needs it is choked.
 *
 * <p>Six scripted peers, each with nothing and interested, connect in turn: the first four get the four regular
 * slots at once, the fifth the optimistic slot at the first rechoke, the sixth nothing. Right after that rechoke, one
 * of the four gives up its slot; the sixth must be unchoked well before the next rechoke, ten seconds on.
 */
class FreedUploadSlotTest {
    private static final int REGULAR_SLOTS = 4;
    /** The first rechoke after the peers connected comes within 10 s (the interval) and a tick. */
    private static final Duration RECHOKE_WAIT = Duration.ofSeconds(12);

    /** How an unchoked peer gives its slot up. */
    enum GivesUp {
        DISCONNECTS, SENDS_NOT_INTERESTED
    }

    @ParameterizedTest(name = "a peer holding a slot {0}")
    @EnumSource(GivesUp.class)
    void aWaitingPeerGetsTheSlotAtOnce(GivesUp how) {
        SimSwarm swarm = new SimSwarm(6);
        SimTorrent torrent = SimTorrent.random(6, 20 * 16_384, 16_384);
        SimPeer seed = swarm.seed(torrent, LinkProfile.LAN);
        List<Recorder> peers = new ArrayList<>();
        for (int i = 0; i < REGULAR_SLOTS + 2; i++) {
            Recorder peer = new Recorder(new Message.HaveNone(), new Message.Interested());
            peers.add(peer);
            swarm.scripted(torrent, LinkProfile.LAN, peer).connect(seed.address());
            // One at a time, so the order the seed saw them connect is the order they asked for a slot.
            assertThat(swarm.sim().runUntil(() -> peer.count(m -> m instanceof Message.HaveAll) > 0,
                    Duration.ofSeconds(1))).as("peer %d got the seed's pieces", i).isTrue();
            if (i < REGULAR_SLOTS) {
                assertThat(swarm.sim().runUntil(peer::unchoked, Duration.ofSeconds(1)))
                        .as("peer %d got a free slot", i).isTrue();
            }
        }
        assertThat(unchokedCount(peers)).as("unchoked before the first rechoke").isEqualTo(REGULAR_SLOTS);
        assertThat(swarm.sim().runUntil(() -> unchokedCount(peers) == REGULAR_SLOTS + 1, RECHOKE_WAIT))
                .as("the rechoke unchoked an optimistic peer").isTrue();
        Recorder waiting = peers.stream().filter(p -> !p.unchoked()).findFirst().orElseThrow();
        Recorder holder = peers.getFirst();

        long gaveUp = swarm.sim().now();
        if (how == GivesUp.DISCONNECTS) {
            holder.connection().close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "the test leaves"));
        } else {
            holder.send(new Message.NotInterested());
        }
        assertThat(swarm.sim().runUntil(waiting::unchoked, Duration.ofSeconds(10))).isTrue();

        Duration took = Duration.ofNanos(waiting.last(Message.Unchoke.class).nanos() - gaveUp);
        assertThat(took).as("time from the slot's release to the waiting peer's unchoke")
                .isLessThan(Duration.ofMillis(100));
    }

    private static long unchokedCount(List<Recorder> peers) {
        return peers.stream().filter(p -> p.unchoked() && !p.isClosed()).count();
    }
}
