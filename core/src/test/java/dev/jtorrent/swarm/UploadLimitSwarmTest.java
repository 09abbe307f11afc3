package dev.jtorrent.swarm;

import dev.jtorrent.testkit.LinkProfile;
import dev.jtorrent.testkit.SimPeer;
import dev.jtorrent.testkit.SimSwarm;
import dev.jtorrent.testkit.SimTorrent;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seed under an upload limit sends at the limit: 3 MiB at 1 MiB a second arrive in about three seconds of
 * simulated time, however fast the network is, and every byte arrives.
 */
class UploadLimitSwarmTest {
    private static final long LIMIT = 1024 * 1024;
    private static final int SIZE = 3 * 1024 * 1024;
    private static final int BLOCK = 16 * 1024;

    @Test
    void aLimitedSeedSendsAtItsLimit() {
        SimSwarm swarm = new SimSwarm(10);
        SimTorrent torrent = SimTorrent.random(10, SIZE, 64 * 1024);
        SimPeer seed = swarm.peer(torrent, PieceSet.all(torrent.info().pieceCount()), LinkProfile.LAN,
                SwarmConfig.DEFAULT.withUploadLimit(LIMIT), PieceRecorder.NONE);
        SimPeer leecher = swarm.leecher(torrent, LinkProfile.LAN);
        long started = swarm.sim().now();
        swarm.introduceAll();

        assertThat(swarm.sim().runUntil(leecher::isComplete, Duration.ofMinutes(1))).as("complete").isTrue();
        double seconds = (swarm.sim().now() - started) / 1e9;

        // The bucket starts full with a tenth of a second's worth, and a block may take it into debt by one block;
        // the rest goes at the limit. The network is far faster than that, and adds little.
        double least = (SIZE - LIMIT / 10.0 - BLOCK) / LIMIT;
        assertThat(seconds).as("seconds for %d bytes at %d bytes a second", SIZE, LIMIT)
                .isBetween(least, least + 0.5);
        assertThat(leecher.content()).isEqualTo(torrent.content());
        swarm.sim().runFor(Duration.ofSeconds(2)); // the statistics are published at each tick
        assertThat(seed.stats().uploaded()).isEqualTo(SIZE);
    }
}
