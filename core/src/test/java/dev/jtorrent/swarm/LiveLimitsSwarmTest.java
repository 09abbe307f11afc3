package dev.jtorrent.swarm;

import dev.jtorrent.testkit.LinkProfile;
import dev.jtorrent.testkit.Recorder;
import dev.jtorrent.testkit.SimPeer;
import dev.jtorrent.testkit.SimSwarm;
import dev.jtorrent.testkit.SimTorrent;
import dev.jtorrent.wire.Message;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A torrent's own limits changed while it runs ({@link SwarmEvent.LimitsChanged}, as {@link Swarm#setLimits} posts
 * it) hold from then on, in simulated time: measured over the seconds after the change, not from a sleep.
 */
class LiveLimitsSwarmTest {
    private static final int BLOCK = 16 * 1024;
    private static final int PIECE = 64 * 1024;
    private static final long MIB = 1024 * 1024;
    private static final long SLOW = 256 * 1024;

    @Test
    void aSeedsUploadLimitLoweredWhileItSendsHoldsFromThenAndLiftedLetsTheRestGo() {
        SimSwarm swarm = new SimSwarm(14);
        SimTorrent torrent = SimTorrent.random(14, 128 * PIECE, PIECE); // 8 MiB
        SimPeer seed = swarm.peer(torrent, PieceSet.all(torrent.info().pieceCount()), LinkProfile.LAN,
                SwarmConfig.DEFAULT.withUploadLimit(MIB), PieceRecorder.NONE);
        Recorder greedy = new Recorder(new Message.Interested()).reacting((connection, message) -> {
            if (message instanceof Message.Unchoke) {
                for (int piece = 0; piece < 128; piece++) {
                    for (int begin = 0; begin < PIECE; begin += BLOCK) {
                        connection.send(new Message.Request(piece, begin, BLOCK));
                    }
                }
            }
        });
        swarm.scripted(torrent, LinkProfile.LAN, greedy).connect(seed.address());
        assertThat(swarm.sim().runUntil(greedy::unchoked, Duration.ofSeconds(10))).isTrue();

        long first = bytesIn(swarm, greedy, Duration.ofSeconds(2));
        seed.post(new SwarmEvent.LimitsChanged(SLOW, 0));
        long changing = bytesIn(swarm, greedy, Duration.ofSeconds(1));
        long after = bytesIn(swarm, greedy, Duration.ofSeconds(4));

        assertThat(first).as("bytes in 2 s at 1 MiB/s").isBetween(2 * MIB - 2 * BLOCK, 2 * MIB + MIB / 10 + BLOCK);
        // The bucket keeps what it held, up to the new burst of one block; then 256 KiB a second.
        assertThat(changing).as("bytes in the second of the change").isLessThanOrEqualTo(SLOW + 2 * BLOCK);
        assertThat(after).as("bytes in 4 s at 256 KiB/s").isBetween(4 * SLOW - BLOCK, 4 * SLOW + BLOCK);

        seed.post(new SwarmEvent.LimitsChanged(0, 0));
        long left = 128L * PIECE - (long) greedy.count(m -> m instanceof Message.Piece) * BLOCK;
        assertThat(left).as("bytes left at 256 KiB/s: over 15 s").isGreaterThan(15 * SLOW);
        assertThat(swarm.sim().runUntil(() -> greedy.count(m -> m instanceof Message.Piece) == 128 * 4,
                Duration.ofSeconds(2))).as("the rest within 2 s without a limit").isTrue();
    }

    @Test
    void aLeechersDownloadLimitLoweredWhileItReadsHoldsFromThen() {
        SimSwarm swarm = new SimSwarm(15);
        SimTorrent torrent = SimTorrent.random(15, 128 * PIECE, PIECE); // 8 MiB
        swarm.seed(torrent, LinkProfile.LAN);
        SimPeer leecher = swarm.peer(torrent, new PieceSet(torrent.info().pieceCount()), LinkProfile.LAN,
                SwarmConfig.DEFAULT.withDownloadLimit(MIB), PieceRecorder.NONE);
        List<Long> piecesDone = new ArrayList<>();
        leecher.logic().onPieceDone(piece -> piecesDone.add(swarm.sim().now()));
        swarm.introduceAll();
        assertThat(swarm.sim().runUntil(() -> !piecesDone.isEmpty(), Duration.ofSeconds(10))).isTrue();

        long start = swarm.sim().now();
        swarm.sim().runFor(Duration.ofSeconds(2));
        leecher.post(new SwarmEvent.LimitsChanged(0, SLOW));
        long change = swarm.sim().now();
        swarm.sim().runFor(Duration.ofSeconds(5));

        long first = piecesDone.stream().filter(t -> t > start && t <= change).count();
        long after = piecesDone.stream().filter(t -> t > change + 1_000_000_000L).count();
        assertThat(first).as("pieces in 2 s at 1 MiB/s (16 a second)").isBetween(30L, 34L);
        // Each reader reads the block it waited for at the old rate, then the new rate holds: 4 pieces a second.
        assertThat(after).as("pieces in 4 s at 256 KiB/s").isBetween(15L, 17L);
        assertThat(leecher.isComplete()).isFalse();
    }

    /** Runs the simulation for {@code duration}; returns the bytes of piece data the recorder got meanwhile. */
    private static long bytesIn(SimSwarm swarm, Recorder recorder, Duration duration) {
        long before = recorder.count(m -> m instanceof Message.Piece);
        swarm.sim().runFor(duration);
        return (recorder.count(m -> m instanceof Message.Piece) - before) * BLOCK;
    }
}
