package dev.jtorrent.swarm;

import dev.jtorrent.wire.BlockRef;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class UploadQueueTest {
    private final AtomicInteger rooms = new AtomicInteger();
    private final UploadQueue queue = new UploadQueue(4, rooms::incrementAndGet);

    @Test
    void requestsPastTheCapacityOrAlreadyQueuedAreRefused() {
        assertThat(queue.add(block(0, 0))).isTrue();
        assertThat(queue.add(block(0, 0))).as("waiting already").isFalse();
        queue.startNext(1);
        assertThat(queue.add(block(0, 0))).as("started already").isFalse();
        assertThat(queue.add(block(0, 1))).isTrue();
        assertThat(queue.add(block(0, 2))).isTrue();
        assertThat(queue.add(block(0, 3))).isTrue();

        assertThat(queue.add(block(1, 0))).as("the fifth").isFalse();
        assertThat(queue.size()).isEqualTo(4);
    }

    @Test
    void requestsStartInTheirOrderWhileThePeerHoldsFewerPiecesThanAllowed() {
        queue.add(block(7, 0));
        queue.add(block(3, 0));
        queue.add(block(7, 1));
        queue.add(block(5, 0));

        assertThat(queue.startNext(2)).isEqualTo(block(7, 0));
        assertThat(queue.startNext(2)).isEqualTo(block(3, 0));
        assertThat(queue.startNext(2)).as("a piece held already costs nothing more").isEqualTo(block(7, 1));
        assertThat(queue.startNext(2)).as("a third piece").isNull();
        assertThat(queue.piecesHeld()).isEqualTo(2);
    }

    @Test
    void aPieceNoLongerHeldMakesRoomOnceForAPeerThatWaitsForIt() {
        queue.add(block(1, 0));
        queue.add(block(1, 1));
        queue.add(block(2, 0));
        queue.startNext(1);
        queue.startNext(1);
        assertThat(queue.startNext(1)).isNull();

        queue.take(block(1, 0));
        queue.finished(block(1, 0));
        assertThat(rooms.get()).as("piece 1 still held by its second block").isZero();
        queue.take(block(1, 1));
        queue.finished(block(1, 1));
        assertThat(rooms.get()).isEqualTo(1);
        assertThat(queue.startNext(1)).isEqualTo(block(2, 0));

        queue.take(block(2, 0));
        queue.finished(block(2, 0));
        assertThat(rooms.get()).as("nobody was waiting").isEqualTo(1);
        assertThat(queue.piecesHeld()).isZero();
    }

    @Test
    void aCancelRemovesAWaitingRequestAtOnceAndAStartedOneWhenItsDataComes() {
        queue.add(block(0, 0));
        queue.add(block(0, 1));
        queue.startNext(4);

        assertThat(queue.cancel(block(0, 1))).as("waiting: gone").isTrue();
        assertThat(queue.cancel(block(0, 0))).as("started: dropped later").isFalse();
        assertThat(queue.take(block(0, 0))).as("its data is no longer wanted").isFalse();
        assertThat(queue.size()).isZero();
        assertThat(queue.piecesHeld()).as("until the data is dropped").isEqualTo(1);
        queue.finished(block(0, 0));
        assertThat(queue.piecesHeld()).isZero();
    }

    @Test
    void aChokeDropsTheRequestsNotStarted() {
        queue.add(block(0, 0));
        queue.add(block(1, 0));
        queue.add(block(2, 0));
        queue.startNext(4);

        assertThat(queue.dropWaiting()).containsExactly(block(1, 0), block(2, 0));
        assertThat(queue.size()).as("the started one").isEqualTo(1);
        assertThat(queue.startNext(4)).isNull();
    }

    @Test
    void finishingABlockOfAPieceNotHeldChangesNothing() {
        queue.add(block(0, 0));
        queue.add(block(0, 1));
        queue.startNext(1);
        queue.startNext(1);

        queue.finished(block(0, 0));
        queue.finished(block(3, 0));

        assertThat(queue.piecesHeld()).isEqualTo(1);
    }

    private static BlockRef block(int piece, int index) {
        return new BlockRef(piece, index * BlockRef.SIZE, BlockRef.SIZE);
    }
}
