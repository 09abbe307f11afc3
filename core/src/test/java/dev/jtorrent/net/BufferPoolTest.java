package dev.jtorrent.net;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BufferPoolTest {
    private static final int SIZE = 1024;

    @Test
    void givesOutClearedDirectBuffersOfItsSize() {
        BufferPool pool = new BufferPool(SIZE, 2);

        ByteBuffer buffer = pool.take();

        assertThat(buffer.isDirect()).isTrue();
        assertThat(buffer.capacity()).isEqualTo(SIZE);
        assertThat(buffer.position()).isZero();
        assertThat(buffer.limit()).isEqualTo(SIZE);
        assertThat(pool.inUse()).isEqualTo(1);
    }

    @Test
    void aBufferGivenBackServesTheNextTakerClearedAndNothingNewIsAllocated() {
        BufferPool pool = new BufferPool(SIZE, 2);
        ByteBuffer first = pool.take();
        first.put(new byte[100]).flip();
        pool.give(first);

        ByteBuffer second = pool.take();

        assertThat(second).isSameAs(first);
        assertThat(second.position()).isZero();
        assertThat(second.limit()).isEqualTo(SIZE);
        assertThat(pool.created()).isEqualTo(1);
    }

    /** Takers that come and go one at a time share one buffer, however many there are. */
    @Test
    void takersOneAfterAnotherAllocateOneBuffer() {
        BufferPool pool = new BufferPool(SIZE, 2);

        for (int i = 0; i < 10_000; i++) {
            pool.give(pool.take());
        }

        assertThat(pool.created()).isEqualTo(1);
        assertThat(pool.inUse()).isZero();
        assertThat(pool.idle()).isEqualTo(1);
    }

    @Test
    void keepsAtMostItsBoundOfIdleBuffers() {
        BufferPool pool = new BufferPool(SIZE, 3);
        List<ByteBuffer> taken = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            taken.add(pool.take());
        }
        assertThat(pool.inUse()).isEqualTo(10);
        assertThat(pool.created()).isEqualTo(10);

        taken.forEach(pool::give);

        assertThat(pool.inUse()).isZero();
        assertThat(pool.idle()).as("the rest were dropped").isEqualTo(3);
    }

    @Test
    void aPoolThatKeepsNothingAllocatesForEveryTaker() {
        BufferPool pool = new BufferPool(SIZE, 0);

        pool.give(pool.take());
        pool.give(pool.take());

        assertThat(pool.created()).isEqualTo(2);
        assertThat(pool.idle()).isZero();
    }

    @Test
    void refusesBuffersItDidNotGiveOut() {
        BufferPool pool = new BufferPool(SIZE, 2);

        assertThatThrownBy(() -> pool.give(ByteBuffer.allocate(SIZE))).as("heap")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.give(ByteBuffer.allocateDirect(SIZE / 2))).as("another size")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.give(ByteBuffer.allocateDirect(SIZE))).as("nothing is out")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(pool.idle()).isZero();
    }

    @Test
    void refusesSizesThatMakeNoSense() {
        assertThatThrownBy(() -> new BufferPool(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BufferPool(SIZE, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Many threads taking and giving at once: every buffer comes back, and never more than were out at once. */
    @Test
    void isSafeForManyThreadsAtOnce() throws InterruptedException {
        BufferPool pool = new BufferPool(SIZE, 64);
        int threads = 16;
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2_000; i++) {
                    ByteBuffer buffer = pool.take();
                    buffer.putInt(0, i);
                    pool.give(buffer);
                }
            }));
        }
        for (Thread thread : running) {
            thread.join();
        }

        assertThat(pool.inUse()).isZero();
        assertThat(pool.created()).isBetween(1L, (long) threads);
        assertThat(pool.idle()).isEqualTo((int) pool.created());
    }
}
