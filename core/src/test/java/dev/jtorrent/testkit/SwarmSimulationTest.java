package dev.jtorrent.testkit;

import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.swarm.PieceRecorder;
import dev.jtorrent.swarm.PieceSet;
import dev.jtorrent.swarm.SwarmConfig;
import dev.jtorrent.wire.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole swarms of jtorrent peers in memory (see {@link SimSwarm}): every peer ends with the content, bit for bit, on
 * a LAN and over a lossy, slow link, and beside a peer that lies; and one seed always gives one run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SwarmSimulationTest {
    private static final int PIECE = 64 * 1024;
    /** A slow, distant link: 50 ms each way, 2 MB/s up, one segment in fifty lost. */
    private static final LinkProfile LOSSY = new LinkProfile(Duration.ofMillis(50), 2_000_000, 0.02);

    @Test
    void aSeedAndElevenLeechersAllEndWithTheContentBitExact() {
        SimSwarm swarm = new SimSwarm(1);
        SimTorrent torrent = SimTorrent.random(11, 4 * 1024 * 1024 + 12_345, PIECE);
        swarm.seed(torrent, LinkProfile.LAN);
        for (int i = 0; i < 11; i++) {
            swarm.leecher(torrent, LinkProfile.LAN);
        }
        swarm.introduceAll();

        assertThat(swarm.runUntilAllComplete(Duration.ofMinutes(5))).as("all complete").isTrue();

        assertAllHaveTheContent(swarm, torrent);
        swarm.sim().runFor(Duration.ofSeconds(2)); // the statistics are published at each tick, once a second
        long uploadedByLeechers = swarm.peers().stream().skip(1).mapToLong(p -> p.stats().uploaded()).sum();
        assertThat(uploadedByLeechers).as("the leechers traded pieces among themselves")
                .isGreaterThan(torrent.info().totalLength());
    }

    /**
     * Every peer 50 ms away with a 2 MB/s uplink that loses one segment in fifty: slower (the seed alone needs 10 s
     * to send 20 MiB), and still exact.
     */
    @Test
    void underLatencyAndLossEveryLeecherStillEndsWithTheContent() {
        SimSwarm swarm = new SimSwarm(2);
        SimTorrent torrent = SimTorrent.random(12, 2 * 1024 * 1024, PIECE);
        swarm.seed(torrent, LOSSY);
        for (int i = 0; i < 10; i++) {
            swarm.leecher(torrent, LOSSY);
        }
        swarm.introduceAll();

        assertThat(swarm.runUntilAllComplete(Duration.ofMinutes(10))).as("all complete").isTrue();

        assertAllHaveTheContent(swarm, torrent);
        assertThat(swarm.sim().elapsed()).as("a download over a slow link takes its time")
                .isGreaterThan(Duration.ofSeconds(1));
    }

    /**
     * A peer that corrupts every piece it sends beside two honest seeds: it is banned (by IP, so it cannot come
     * back), the honest ones never are, and the leechers still end with the content.
     */
    @Test
    void aPeerThatSendsBadDataIsBannedAndTheLeechersStillGetTheContent() {
        SimSwarm swarm = new SimSwarm(3);
        SimTorrent torrent = SimTorrent.random(13, 1024 * 1024, 4 * 16 * 1024);
        ScriptedPeer liar = swarm.scripted(torrent, LinkProfile.LAN, ScriptedPeer.seeding(torrent, piece -> true));
        ScriptedPeer honest = swarm.scripted(torrent, LinkProfile.LAN, ScriptedPeer.seeding(torrent, piece -> false));
        List<SimPeer> leechers = List.of(swarm.leecher(torrent, LinkProfile.LAN),
                swarm.leecher(torrent, LinkProfile.LAN), swarm.leecher(torrent, LinkProfile.LAN));
        swarm.introduceAll();

        assertThat(swarm.runUntilAllComplete(Duration.ofMinutes(5))).as("all complete").isTrue();

        assertAllHaveTheContent(swarm, torrent);
        assertThat(liar.connections()).as("the liar's connections").hasSize(leechers.size())
                .allSatisfy(c -> assertThat(c.closeReason()).isNotNull());
        assertThat(swarm.sim().trace()).as("each leecher banned the liar")
                .filteredOn(line -> line.contains(" closed " + liar.address() + ": sent "))
                .hasSize(leechers.size());
        assertThat(honest.connections()).allSatisfy(c -> assertThat(c.closeReason()).as("honest peer's connection")
                .satisfiesAnyOf(reason -> assertThat(reason).isNull(),
                        reason -> assertThat(reason.kind()).isNotEqualTo(CloseReason.Kind.BANNED)));
        for (SimPeer leecher : leechers) {
            assertThat(leecher.stats().wasted()).as("bad data was received, and thrown away").isPositive();
        }
    }

    /**
     * Smart ban: a liar sends one bad block and then nothing, so that its piece is finished by an honest seed and
     * fails with blocks from both. Neither can be blamed alone then (each only loses trust); once the piece passes,
     * fetched again, the liar's block is found to differ from the good one, and the liar is banned.
     */
    @Test
    void aBadBlockInAPieceFromSeveralPeersIsFoundOnceThePiecePasses() {
        SimSwarm swarm = new SimSwarm(5);
        SimTorrent torrent = SimTorrent.random(16, 1024 * 1024, 4 * 16 * 1024);
        ScriptedPeer liar = swarm.scripted(torrent, LinkProfile.LAN, new ScriptedPeer.Script() {
            private boolean lied;

            @Override
            public void connected(ScriptedPeer peer, SimConnection connection) {
                connection.send(new Message.HaveAll());
                connection.send(new Message.Unchoke());
            }

            @Override
            public void received(ScriptedPeer peer, SimConnection connection, PeerEvent event) {
                if (!lied && event instanceof PeerEvent.Received(var c, Message.Request r)) {
                    lied = true;
                    byte[] bad = new byte[r.length()];
                    connection.send(new Message.Piece(r.piece(), r.begin(), ByteBuffer.wrap(bad)));
                }
            }
        });
        ScriptedPeer honest = swarm.scripted(torrent, LinkProfile.LAN, ScriptedPeer.seeding(torrent, piece -> false));
        SimPeer leecher = swarm.leecher(torrent, LinkProfile.LAN);
        swarm.introduceAll();

        assertThat(swarm.runUntilAllComplete(Duration.ofMinutes(5))).as("complete").isTrue();

        assertThat(leecher.content()).isEqualTo(torrent.content());
        assertThat(liar.connections()).singleElement().satisfies(c -> assertThat(swarm.sim().trace())
                .anyMatch(line -> line.contains(" closed " + liar.address() + ": sent a bad block of piece ")
                        && line.endsWith("(found when the piece passed)")));
        assertThat(honest.connections()).singleElement()
                .satisfies(c -> assertThat(c.closeReason()).as("the honest seed's connection").isNull());
    }

    /** The same seed gives the same events in the same order, and the same result; another seed does not. */
    @Test
    void oneSeedGivesOneRun() {
        List<String> first = run(7);
        List<String> again = run(7);
        List<String> other = run(8);

        assertThat(again).as("the same seed").isEqualTo(first);
        assertThat(other).as("another seed").isNotEqualTo(first);
    }

    /** A simulated minute of a busy swarm passes in the time its work takes, far less than a minute. */
    @Test
    void aSimulatedMinutePassesInAFractionOfAMinute() {
        SimSwarm swarm = new SimSwarm(4);
        SimTorrent torrent = SimTorrent.random(14, 1024 * 1024, PIECE);
        swarm.seed(torrent, LOSSY);
        for (int i = 0; i < 10; i++) {
            swarm.peer(torrent, new PieceSet(torrent.info().pieceCount()), LOSSY,
                    SwarmConfig.DEFAULT.withUploadLimit(20_000), PieceRecorder.NONE);
        }
        swarm.introduceAll();
        swarm.sim().runFor(Duration.ofSeconds(5)); // the classes are loaded and compiled: time what follows

        long start = System.nanoTime();
        swarm.sim().runFor(Duration.ofMinutes(1));
        Duration real = Duration.ofNanos(System.nanoTime() - start);

        assertThat(swarm.sim().tasksRun()).as("tasks run").isGreaterThan(10_000);
        // Well under a second on a quiet machine; the bound leaves room for a loaded one.
        assertThat(real).as("real time for a simulated minute").isLessThan(Duration.ofSeconds(10));
    }

    /** Eleven peers on lossy links for a download: what the network delivered, and when. */
    private static List<String> run(long seed) {
        SimSwarm swarm = new SimSwarm(seed);
        SimTorrent torrent = SimTorrent.random(15, 512 * 1024, PIECE);
        swarm.seed(torrent, LOSSY);
        for (int i = 0; i < 10; i++) {
            swarm.leecher(torrent, LOSSY);
        }
        swarm.introduceAll();
        assertThat(swarm.runUntilAllComplete(Duration.ofMinutes(10))).as("all complete").isTrue();
        assertAllHaveTheContent(swarm, torrent);
        return swarm.sim().trace();
    }

    private static void assertAllHaveTheContent(SimSwarm swarm, SimTorrent torrent) {
        for (SimPeer peer : swarm.peers()) {
            assertThat(peer.content()).as("%s's content", peer).isEqualTo(torrent.content());
            assertThat(peer.stats().complete()).as("%s complete", peer).isTrue();
        }
    }
}
