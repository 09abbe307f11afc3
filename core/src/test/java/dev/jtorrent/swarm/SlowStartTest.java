package dev.jtorrent.swarm;

import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.testkit.LinkProfile;
import dev.jtorrent.testkit.ScriptedPeer;
import dev.jtorrent.testkit.SimConnection;
import dev.jtorrent.testkit.SimSwarm;
import dev.jtorrent.testkit.SimTorrent;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Message;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer that answers every request gets twice as many in flight after each round trip: the pipeline must not wait
 * for the rate meter, whose first rate comes seconds after the connection, by which time a fast peer on a LAN has
 * sent most of a gigabyte. In a simulation: a scripted seed answers, every 100 ms, all the requests that came since.
 */
class SlowStartTest {
    private static final int PIECE = 4 * BlockRef.SIZE;
    private static final Duration ROUND = Duration.ofMillis(100);

    @Test
    void eachRoundTripDoublesTheRequestsInFlight() {
        SimSwarm swarm = new SimSwarm(9);
        SimTorrent torrent = SimTorrent.random(9, 256 * PIECE, PIECE);
        RoundsSeed rounds = new RoundsSeed(torrent);
        ScriptedPeer seed = swarm.scripted(torrent, LinkProfile.LAN, rounds);
        swarm.leecher(torrent, LinkProfile.LAN);
        swarm.introduceAll();
        rounds.answerEvery(seed);

        swarm.sim().runFor(ROUND.multipliedBy(5));

        // Requests are topped up in batches of at least a quarter of the pipeline, so up to that much of it may be
        // unasked at any moment: each round brings more than 1.5 times the requests of the round before, where a
        // fixed pipeline would bring as many. Four rounds take well under the two seconds the rate meter needs.
        List<Integer> sizes = rounds.sizes.subList(0, 4);
        assertThat(sizes.getFirst()).as("the first round").isGreaterThanOrEqualTo(Pipeline.INITIAL_REQUESTS);
        for (int round = 1; round < sizes.size(); round++) {
            assertThat(sizes.get(round)).as("requests in round %d, after %s", round, sizes)
                    .isGreaterThanOrEqualTo(sizes.get(round - 1) * 3 / 2 + 1);
        }
    }

    /** A seed that collects requests and answers them all at the end of each round; it records how many came. */
    private static final class RoundsSeed implements ScriptedPeer.Script {
        private final SimTorrent torrent;
        private final List<Message.Request> waiting = new ArrayList<>();
        private SimConnection connection;
        final List<Integer> sizes = new ArrayList<>();

        RoundsSeed(SimTorrent torrent) {
            this.torrent = torrent;
        }

        @Override
        public void connected(ScriptedPeer peer, SimConnection connection) {
            this.connection = connection;
            connection.send(new Message.HaveAll());
            connection.send(new Message.Unchoke());
        }

        @Override
        public void received(ScriptedPeer peer, SimConnection connection, PeerEvent event) {
            if (event instanceof PeerEvent.Received(var c, Message.Request r)) {
                waiting.add(r);
            }
        }

        void answerEvery(ScriptedPeer peer) {
            peer.sim().schedule(ROUND.toNanos(), () -> {
                if (!waiting.isEmpty()) {
                    sizes.add(waiting.size());
                    for (Message.Request r : waiting) {
                        connection.send(new Message.Piece(r.piece(), r.begin(),
                                torrent.block(r.piece(), r.begin(), r.length())));
                    }
                    waiting.clear();
                    connection.flush();
                }
                answerEvery(peer);
            });
        }
    }
}
