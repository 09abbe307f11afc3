package dev.jtorrent.swarm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SerialExecutorTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void runsTasksInOrderOneAtATimeOnAPoolOfManyThreads() throws InterruptedException {
        SerialExecutor serial = new SerialExecutor(pool);
        int tasks = 2_000;
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(tasks);
        for (int i = 0; i < tasks; i++) {
            int n = i;
            serial.execute(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.add(n);
                Thread.onSpinWait();
                running.decrementAndGet();
                done.countDown();
            });
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mostAtOnce.get()).isEqualTo(1);
        assertThat(order).hasSize(tasks).isSorted();
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheOnesAfterIt() throws InterruptedException {
        SerialExecutor serial = new SerialExecutor(pool);
        CountDownLatch after = new CountDownLatch(1);
        serial.execute(() -> {
            throw new IllegalStateException("deliberate, from the test");
        });
        serial.execute(after::countDown);
        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aPoolThatRefusesWorkOnceIsReportedAndTheNextTaskStillRuns() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        SerialExecutor serial = new SerialExecutor(task -> {
            if (calls.incrementAndGet() == 1) {
                throw new RejectedExecutionException("deliberate, from the test");
            }
            pool.execute(task);
        });
        AtomicInteger refusedRan = new AtomicInteger();
        assertThatThrownBy(() -> serial.execute(refusedRan::incrementAndGet))
                .isInstanceOf(RejectedExecutionException.class);

        CountDownLatch done = new CountDownLatch(1);
        serial.execute(done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(refusedRan.get()).isZero();
    }
}
