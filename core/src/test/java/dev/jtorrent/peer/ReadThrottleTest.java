package dev.jtorrent.peer;

import dev.jtorrent.budget.RateBudget;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A reader held back by a limit, on a clock the test moves (and which stands still otherwise): a change of either
 * rate wakes it to ask again, so a raise lets it read on at once, not at the time the old rate gave it, which is
 * 16 s away here.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ReadThrottleTest {
    private static final int BLOCK = 16 * 1024;
    private static final long SECOND = 1_000_000_000L;
    private static final long KIB = 1024;

    private final AtomicLong time = new AtomicLong();
    /** A permit each time the clock is read: the reader in {@link ReadThrottle#await} has asked its time. */
    private final Semaphore asked = new Semaphore(0);
    /** The thread in {@link ReadThrottle#await}. */
    private Thread reader;

    @Test
    void aReaderHeldBackByTheTorrentsLimitReadsOnAtOnceWhenTheLimitIsLifted() throws Exception {
        DownloadLimit torrent = new DownloadLimit(KIB, 0); // 16 s a block; the burst is one block
        ReadThrottle throttle = new ReadThrottle(torrent, RateBudget.unlimited(), this::now);
        assertThat(throttle.count(BLOCK)).as("the burst").isFalse();
        assertThat(throttle.count(BLOCK)).as("16 s to wait").isTrue();
        CompletableFuture<Void> reading = awaitInBackground(throttle);

        torrent.setBytesPerSecond(0, 0);

        reading.get(5, TimeUnit.SECONDS);
    }

    /**
     * Raised at 1 s from 1 KiB/s to 1 MiB/s, what is left before the block goes takes 15 ms: the reader, woken,
     * waits for that, and reads on once the clock has passed it.
     */
    @Test
    void aReaderHeldBackByTheSessionsRateReadsOnAtTheTimeOfTheRaisedRate() throws Exception {
        RateBudget session = new RateBudget(KIB, time::get);
        ReadThrottle throttle = new ReadThrottle(DownloadLimit.NONE, session, this::now);
        assertThat(throttle.count(BLOCK)).as("the burst").isFalse();
        assertThat(throttle.count(BLOCK)).as("the burst still: the session counts the bytes before a block").isFalse();
        assertThat(throttle.count(BLOCK)).as("16 s to wait").isTrue();
        CompletableFuture<Void> reading = awaitInBackground(throttle);

        time.set(SECOND);
        session.setBytesPerSecond(1024 * KIB);
        time.set(SECOND + SECOND / 50);

        reading.get(5, TimeUnit.SECONDS);
    }

    /** Woken by a raise that still leaves its block due later, the reader waits again; lifted, it reads on. */
    @Test
    void aReaderWokenBeforeItsBlockIsDueWaitsAgain() throws Exception {
        DownloadLimit torrent = new DownloadLimit(KIB, 0);
        ReadThrottle throttle = new ReadThrottle(torrent, RateBudget.unlimited(), this::now);
        throttle.count(BLOCK);
        assertThat(throttle.count(BLOCK)).isTrue();
        CompletableFuture<Void> reading = awaitInBackground(throttle);

        torrent.setBytesPerSecond(2 * KIB, 0); // 8 s left, on a clock that stands still

        assertThat(asked.tryAcquire(5, TimeUnit.SECONDS)).as("asked again").isTrue();
        assertThat(reading).isNotDone();
        torrent.setBytesPerSecond(0, 0);
        reading.get(5, TimeUnit.SECONDS);
    }

    /** The reader waits for the later of the two limits: the torrent's lifted, the session's still holds it. */
    @Test
    void aReaderWaitsForTheLaterOfTheTwoLimits() throws Exception {
        DownloadLimit torrent = new DownloadLimit(KIB, 0);
        RateBudget session = new RateBudget(KIB, time::get);
        ReadThrottle throttle = new ReadThrottle(torrent, session, this::now);
        throttle.count(BLOCK);
        throttle.count(BLOCK); // the torrent's: 16 s to wait
        assertThat(throttle.count(BLOCK)).isTrue(); // and the session's
        CompletableFuture<Void> reading = awaitInBackground(throttle);

        torrent.setBytesPerSecond(0, 0);

        assertThat(asked.tryAcquire(5, TimeUnit.SECONDS)).as("asked again").isTrue();
        assertThat(reading).isNotDone();
        session.setBytesPerSecond(0);
        reading.get(5, TimeUnit.SECONDS);
    }

    @Test
    void withoutALimitNothingIsCountedAndNobodyWaits() {
        RateBudget session = RateBudget.unlimited();
        ReadThrottle throttle = new ReadThrottle(DownloadLimit.NONE, session, this::now);
        for (int i = 0; i < 1000; i++) {
            assertThat(throttle.count(BLOCK)).isFalse();
        }
        assertThat(asked.availablePermits()).as("not even the clock read").isZero();
    }

    @Test
    void anInterruptedReaderStopsWaiting() throws Exception {
        DownloadLimit torrent = new DownloadLimit(KIB, 0);
        ReadThrottle throttle = new ReadThrottle(torrent, RateBudget.unlimited(), this::now);
        throttle.count(BLOCK);
        assertThat(throttle.count(BLOCK)).isTrue();
        CompletableFuture<Void> reading = awaitInBackground(throttle);

        reader.interrupt();

        assertThatThrownBy(() -> reading.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InterruptedException.class);
    }

    private long now() {
        asked.release();
        return time.get();
    }

    /**
     * Starts a reader's {@link ReadThrottle#await} on a thread of its own, and returns once it has asked its time:
     * from then on, only a change of a rate can let it go before the time the test clock never reaches.
     */
    private CompletableFuture<Void> awaitInBackground(ReadThrottle throttle) throws InterruptedException {
        CompletableFuture<Void> reading = new CompletableFuture<>();
        asked.drainPermits();
        reader = Thread.ofVirtual().start(() -> run(throttle, reading));
        assertThat(asked.tryAcquire(5, TimeUnit.SECONDS)).as("the reader asked its time").isTrue();
        assertThat(reading).as("held back").isNotDone();
        return reading;
    }

    private static void run(ReadThrottle throttle, CompletableFuture<Void> reading) {
        try {
            throttle.await();
            reading.complete(null);
        } catch (Throwable e) {
            reading.completeExceptionally(e);
        }
    }
}
