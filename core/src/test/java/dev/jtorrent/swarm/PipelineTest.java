package dev.jtorrent.swarm;

import dev.jtorrent.wire.BlockRef;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How many requests a peer gets in flight: slow start first, then enough for two seconds at its rate. */
class PipelineTest {
    private static final long SECOND = 1_000_000_000L;

    private final RateMeter download = new RateMeter();
    private final Pipeline pipeline = new Pipeline();

    @Test
    void aNewPeerStartsWithTheInitialRequests() {
        assertThat(pipeline.target(0)).isEqualTo(Pipeline.INITIAL_REQUESTS);
    }

    /** One more request per block that arrives: the pipeline doubles every round trip. */
    @Test
    void inSlowStartEachBlockThatArrivesAddsARequest() {
        for (int i = 0; i < Pipeline.INITIAL_REQUESTS; i++) {
            pipeline.blockReceived();
        }
        assertThat(pipeline.target(0)).isEqualTo(2 * Pipeline.INITIAL_REQUESTS);

        for (int i = 0; i < 10 * Pipeline.MAX_REQUESTS; i++) {
            pipeline.blockReceived();
        }
        assertThat(pipeline.target(0)).as("the peer's queue (reqq) caps it").isEqualTo(Pipeline.DEFAULT_PEER_QUEUE);
        pipeline.peerQueue(10_000);
        assertThat(pipeline.target(0)).as("and our own cap").isEqualTo(Pipeline.MAX_REQUESTS);
    }

    /** Slow start ends with the first second that brings no more than the one before; the rate decides then. */
    @Test
    void slowStartEndsWhenTheRateStopsGrowing() {
        pipeline.peerQueue(10_000);
        download.update(0);
        second(1, 100);
        second(2, 200);
        for (int i = 0; i < 400; i++) {
            pipeline.blockReceived();
        }
        assertThat(pipeline.inSlowStart()).as("while each second brings more").isTrue();
        assertThat(pipeline.target(download.rate())).isEqualTo(Pipeline.INITIAL_REQUESTS + 400);

        second(3, 200);

        assertThat(pipeline.inSlowStart()).isFalse();
        assertThat(pipeline.target(download.rate())).as("two seconds at the rate, about 180 blocks a second")
                .isBetween(300, 400);
        second(4, 1);
        second(5, 1);
        second(6, 1);
        assertThat(pipeline.target(download.rate())).as("the rate falls, and the pipeline with it")
                .isBetween(60, 130);
    }

    /** A peer that sends nothing yet (it has not unchoked us) has not stopped growing. */
    @Test
    void secondsWithNothingBeforeTheFirstBlockDoNotEndSlowStart() {
        download.update(0);
        second(1, 0);
        second(2, 0);
        second(3, 0);

        assertThat(pipeline.inSlowStart()).isTrue();
    }

    /** A reqq of 0 or less still leaves one request in flight. */
    @Test
    void aPeerQueueBelowOneCountsAsOne() {
        pipeline.peerQueue(0);

        assertThat(pipeline.target(0)).isEqualTo(1);
    }

    /** A second in which {@code blocks} blocks arrived, ending at {@code s} seconds. */
    private void second(int s, int blocks) {
        download.add((long) blocks * BlockRef.SIZE);
        download.update(s * SECOND);
        pipeline.secondPassed(download.total());
    }
}
