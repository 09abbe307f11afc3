package dev.jtorrent.swarm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How many requests a peer gets in flight: slow start first, then enough for two seconds at its rate. */
class PeerTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aNewPeerStartsWithTheInitialRequests() {
        assertThat(new Peer(null, 1, 0).pipelineTarget()).isEqualTo(Peer.INITIAL_REQUESTS);
    }

    /** One more request per block that arrives: the pipeline doubles every round trip. */
    @Test
    void inSlowStartEachBlockThatArrivesAddsARequest() {
        Peer peer = new Peer(null, 1, 0);
        for (int i = 0; i < Peer.INITIAL_REQUESTS; i++) {
            peer.blockReceived();
        }
        assertThat(peer.pipelineTarget()).isEqualTo(2 * Peer.INITIAL_REQUESTS);

        for (int i = 0; i < 10 * Peer.MAX_REQUESTS; i++) {
            peer.blockReceived();
        }
        assertThat(peer.pipelineTarget()).as("the peer's queue (reqq) caps it")
                .isEqualTo(Peer.DEFAULT_PEER_QUEUE);
        peer.peerQueue = 10_000;
        assertThat(peer.pipelineTarget()).as("and our own cap").isEqualTo(Peer.MAX_REQUESTS);
    }

    /** Slow start ends with the first second that brings no more than the one before; the rate decides then. */
    @Test
    void slowStartEndsWhenTheRateStopsGrowing() {
        Peer peer = new Peer(null, 1, 0);
        peer.peerQueue = 10_000;
        peer.download.update(0);
        second(peer, 1, 100);
        second(peer, 2, 200);
        for (int i = 0; i < 400; i++) {
            peer.blockReceived();
        }
        assertThat(peer.slowStart).as("while each second brings more").isTrue();
        assertThat(peer.pipelineTarget()).isEqualTo(Peer.INITIAL_REQUESTS + 400);

        second(peer, 3, 200);

        assertThat(peer.slowStart).isFalse();
        assertThat(peer.pipelineTarget()).as("two seconds at the rate, about 180 blocks a second")
                .isBetween(300, 400);
        second(peer, 4, 1);
        second(peer, 5, 1);
        second(peer, 6, 1);
        assertThat(peer.pipelineTarget()).as("the rate falls, and the pipeline with it").isBetween(60, 130);
    }

    /** A peer that sends nothing yet (it has not unchoked us) has not stopped growing. */
    @Test
    void secondsWithNothingBeforeTheFirstBlockDoNotEndSlowStart() {
        Peer peer = new Peer(null, 1, 0);
        peer.download.update(0);
        second(peer, 1, 0);
        second(peer, 2, 0);
        second(peer, 3, 0);

        assertThat(peer.slowStart).isTrue();
    }

    /** A second in which {@code blocks} blocks arrived, ending at {@code s} seconds. */
    private static void second(Peer peer, int s, int blocks) {
        peer.download.add((long) blocks * BlockRef.SIZE);
        peer.download.update(s * SECOND);
        peer.secondPassed();
    }
}
