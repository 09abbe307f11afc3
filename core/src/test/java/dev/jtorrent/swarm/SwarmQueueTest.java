package dev.jtorrent.swarm;

import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SwarmQueueTest {
    /** What a {@code have} from a reader is counted at: the event and the message's 9 bytes on the wire. */
    private static final long HAVE = SwarmQueue.EVENT_OVERHEAD + 9;

    @Test
    void readersFloodingASlowSwarmWaitAtTheBoundAndNothingIsLostOrReordered() throws Exception {
        int readers = 4;
        int perReader = 5_000;
        SwarmQueue queue = new SwarmQueue(20 * HAVE);
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            int reader = r;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perReader; i++) {
                    // Bursts of one to three, as a reader hands them over.
                    int burst = Math.min(1 + i % 3, perReader - i);
                    List<PeerEvent> events = new ArrayList<>();
                    for (int b = 0; b < burst; b++) {
                        events.add(have(reader, i + b));
                    }
                    queue.putFromReader(burst == 1 ? events.getFirst() : new PeerEvent.Burst(null, events));
                    i += burst - 1;
                }
            }));
        }
        long largestHandOver = SwarmQueue.EVENT_OVERHEAD + 3 * HAVE;
        int[] next = new int[readers];
        long mostQueued = 0;
        for (int taken = 0; taken < readers * perReader; ) {
            if (taken < 2_000) {
                Thread.sleep(0, 100_000); // slow at first, so that the readers fill the queue and wait
            }
            long queued = queue.readerBytes();
            mostQueued = Math.max(mostQueued, queued);
            assertThat(queued).as("what the readers' events hold").isLessThan(queue.bound() + largestHandOver);
            SwarmEvent event = queue.poll(TimeUnit.SECONDS.toNanos(5));
            assertThat(event).as("event %d", taken).isNotNull();
            PeerEvent handedOver = ((SwarmEvent.FromPeer) event).event();
            for (PeerEvent each : handedOver instanceof PeerEvent.Burst burst ? burst.events() : List.of(handedOver)) {
                Message.Have have = (Message.Have) ((PeerEvent.Received) each).message();
                int reader = have.piece() / perReader;
                assertThat(have.piece() % perReader).as("reader %d's next event", reader).isEqualTo(next[reader]);
                next[reader]++;
                taken++;
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(mostQueued).as("the readers reached the bound").isGreaterThanOrEqualTo(queue.bound());
        assertThat(queue.readerBytes()).isZero();
        assertThat(queue.poll()).isNull();
    }

    @Test
    void otherEventsNeverWaitForRoomAndKeepTheirPlaceInLine() throws Exception {
        SwarmQueue queue = new SwarmQueue(2 * HAVE);
        queue.putFromReader(have(0, 0));
        queue.putFromReader(have(0, 1));
        Thread waiting = Thread.ofVirtual().start(() -> queue.putFromReader(have(0, 2)));
        awaitWaiting(waiting);

        SwarmEvent.PiecesDurable durable = new SwarmEvent.PiecesDurable(List.of(7));
        queue.post(durable); // full of the readers' events, and still taken at once

        assertThat(received(queue.take()).message()).isEqualTo(new Message.Have(0));
        waiting.join(); // room for one again
        assertThat(received(queue.take()).message()).isEqualTo(new Message.Have(1));
        assertThat(queue.take()).isSameAs(durable);
        assertThat(received(queue.take()).message()).isEqualTo(new Message.Have(2));
        assertThat(queue.poll(1_000_000)).isNull();
    }

    @Test
    void anEventLargerThanTheBoundGoesWhenTheQueueHasRoom() throws Exception {
        SwarmQueue queue = new SwarmQueue(1024);
        PeerEvent bitfield = new PeerEvent.Received(null, new Message.Bitfield(new byte[64 * 1024]));
        assertThat(SwarmQueue.size(bitfield)).isEqualTo(SwarmQueue.EVENT_OVERHEAD + 5 + 64 * 1024);

        queue.putFromReader(bitfield);
        Thread waiting = Thread.ofVirtual().start(() -> queue.putFromReader(bitfield));
        awaitWaiting(waiting);
        assertThat(received(queue.take())).isSameAs(bitfield);
        waiting.join();
        assertThat(received(queue.take())).isSameAs(bitfield);
    }

    @Test
    void closingReleasesWaitingReadersAndDropsWhatComesAfter() throws Exception {
        SwarmQueue queue = new SwarmQueue(HAVE);
        queue.putFromReader(have(0, 0));
        CountDownLatch released = new CountDownLatch(3);
        for (int i = 1; i <= 3; i++) {
            int piece = i;
            Thread.ofVirtual().start(() -> {
                queue.putFromReader(have(0, piece));
                released.countDown();
            });
        }
        Thread.sleep(100);
        assertThat(released.getCount()).as("waiting for room").isEqualTo(3);

        queue.close();
        assertThat(released.await(5, TimeUnit.SECONDS)).isTrue();
        queue.putFromReader(have(0, 4));
        queue.post(new SwarmEvent.Stop());
        assertThat(queue.poll()).isNull();
        assertThat(queue.readerBytes()).isZero();
    }

    @Test
    void aBurstCountsEachOfItsEvents() {
        PeerEvent burst = new PeerEvent.Burst(null, List.of(have(0, 1), have(0, 2),
                new PeerEvent.BlockArrived(null, new BlockRef(0, 0, BlockRef.SIZE), true)));
        // The block's 16 KiB are in its piece's buffer, not in the event.
        assertThat(SwarmQueue.size(burst)).isEqualTo(2 * SwarmQueue.EVENT_OVERHEAD + 2 * HAVE);
    }

    /** A {@code have} from reader {@code reader}, numbered {@code i} among its events. */
    private static PeerEvent have(int reader, int i) {
        return new PeerEvent.Received(null, new Message.Have(reader * 5_000 + i));
    }

    /** The message a reader handed over, as the swarm takes it. */
    private static PeerEvent.Received received(SwarmEvent event) {
        return (PeerEvent.Received) ((SwarmEvent.FromPeer) event).event();
    }

    private static void awaitWaiting(Thread thread) throws InterruptedException {
        while (thread.getState() != Thread.State.WAITING) {
            assertThat(thread.isAlive()).as("waiting for room").isTrue();
            Thread.sleep(1);
        }
    }
}
