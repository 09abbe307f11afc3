package dev.jtorrent.swarm;

import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.testkit.LinkProfile;
import dev.jtorrent.testkit.ScriptedPeer;
import dev.jtorrent.testkit.SimPeer;
import dev.jtorrent.testkit.SimSwarm;
import dev.jtorrent.testkit.SimTorrent;
import dev.jtorrent.wire.BlockRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A swarm without peers keeps no time (see {@link SwarmLogic}); what it owes at a set time is still done, and what
 * it publishes when its last peer goes is true without a tick to follow. In a simulation, on its clock.
 */
class IdleSwarmTest {
    private static final int PIECE = 4 * BlockRef.SIZE;
    private static final int PIECES = 64;
    private static final Duration INTERVAL = Duration.ofMillis(300);

    private final SimTorrent torrent = SimTorrent.random(3, PIECE * PIECES, PIECE);

    @Test
    void withoutPeersWhatIsUnrecordedIsStillRecordedWhenDueAndOnlyThen() {
        SimSwarm swarm = new SimSwarm(3);
        List<Long> records = new ArrayList<>();
        long start = swarm.sim().now();
        swarm.peer(torrent, new PieceSet(PIECES), LinkProfile.LAN, SwarmConfig.DEFAULT.withRecordInterval(INTERVAL),
                (sequence, pieces) -> records.add(swarm.sim().now()));

        swarm.sim().runFor(INTERVAL.multipliedBy(10));

        // The start's check is worth a record; no event comes to wake the swarm for it, and nothing new after it.
        assertThat(records).as("records").hasSize(1);
        assertThat(records.getFirst() - start).as("nanoseconds to the record")
                .isBetween(INTERVAL.toNanos(), INTERVAL.toNanos() + SimSwarm.DISK_LATENCY.toNanos());
    }

    @Test
    void whenTheLastPeerGoesTheStatsSaySoAndThatNothingMoves() {
        SimSwarm swarm = new SimSwarm(4);
        // 100 KB/s: the download is still going when the rate meter gives its first rate.
        LinkProfile slow = new LinkProfile(Duration.ofMillis(10), 100_000, 0);
        ScriptedPeer seed = swarm.scripted(torrent, slow, ScriptedPeer.seeding(torrent, piece -> false));
        SimPeer leecher = swarm.leecher(torrent, LinkProfile.LAN);
        swarm.introduceAll();
        assertThat(swarm.sim().runUntil(() -> leecher.stats().downRate() > 0, Duration.ofSeconds(5))).isTrue();
        assertThat(leecher.stats().peers()).isEqualTo(1);

        // The leecher hears of it once the blocks the seed sent before have arrived.
        seed.connections().getFirst().close(CloseReason.of(CloseReason.Kind.STOPPING, "the seed goes"));
        swarm.sim().runUntil(() -> leecher.stats().peers() == 0, Duration.ofSeconds(10));

        SwarmStats stats = leecher.stats();
        assertThat(stats.peers()).isZero();
        assertThat(stats.downloaded()).isPositive();
        assertThat(stats.downRate()).as("download rate").isZero();
        assertThat(stats.upRate()).as("upload rate").isZero();
    }
}
