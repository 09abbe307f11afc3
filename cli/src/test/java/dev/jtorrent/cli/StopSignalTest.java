package dev.jtorrent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a stop reaches a command, asked for here with {@link StopSignal#request()} as SIGTERM asks for it (the
 * signal itself, sent to real processes, is StopBySignalIT's).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StopSignalTest {

    @Test
    void aRequestWakesTheWaitAndLaterOnesChangeNothing() throws Exception {
        try (StopSignal stop = StopSignal.install()) {
            assertThat(stop.await(20, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(stop.isRequested()).isFalse();

            Thread.ofPlatform().start(stop::request).join();
            stop.request();

            assertThat(stop.await(0, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(stop.isRequested()).isTrue();
        }
    }

    @Test
    void aStopCutsAStepShortAndLeavesNoInterruptBehind() throws Exception {
        try (StopSignal stop = StopSignal.install()) {
            CountDownLatch started = new CountDownLatch(1);
            Thread.ofPlatform().start(() -> {
                awaitQuietly(started);
                stop.request();
            });

            assertThat(stop.interruptibly(() -> {
                started.countDown();
                Thread.sleep(TimeUnit.MINUTES.toMillis(1));
                return "slept a minute";
            })).isEmpty();
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }

    /** An interrupted wait can surface as another exception, as a file channel's read does; it is the stop still. */
    @Test
    void whateverAnInterruptedStepThrowsIsTakenForTheStop() throws Exception {
        try (StopSignal stop = StopSignal.install()) {
            CountDownLatch started = new CountDownLatch(1);
            Thread.ofPlatform().start(() -> {
                awaitQuietly(started);
                stop.request();
            });

            assertThat(stop.interruptibly(() -> {
                started.countDown();
                try {
                    Thread.sleep(TimeUnit.MINUTES.toMillis(1));
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("the read was interrupted");
                }
                return "slept a minute";
            })).isEmpty();
        }
    }

    /** The stop stays asked for, for the command's wait to see, and the interrupt the step ignored is cleared. */
    @Test
    void aStepThatEndsNormallyDespiteTheStopGivesItsResult() throws Exception {
        try (StopSignal stop = StopSignal.install()) {
            assertThat(stop.interruptibly(() -> {
                Thread.ofPlatform().start(stop::request);
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.onSpinWait(); // a step that never waits, and so never notices the interrupt
                }
                return "done";
            })).hasValue("done");
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            assertThat(stop.await(0, TimeUnit.MILLISECONDS)).isTrue();
        }
    }

    @Test
    void aStepIsNotRunOnceTheStopWasAskedFor() throws Exception {
        try (StopSignal stop = StopSignal.install()) {
            stop.request();

            assertThat(stop.interruptibly(() -> {
                throw new AssertionError("ran after the stop");
            })).isEmpty();
        }
    }

    @Test
    void aStepsOwnFailureIsThrown() throws Exception {
        try (StopSignal stop = StopSignal.install()) {
            assertThatThrownBy(() -> stop.interruptibly(() -> {
                throw new IOException("disk on fire");
            })).isInstanceOf(IOException.class).hasMessage("disk on fire");
            assertThat(stop.isRequested()).isFalse();
        }
    }

    /** A stop asked for after a step ended interrupts nothing: the command may go on to wait for it. */
    @Test
    void aStopAfterTheStepInterruptsNothing() throws Exception {
        try (StopSignal stop = StopSignal.install()) {
            assertThat(stop.interruptibly(() -> "checked")).hasValue("checked");

            Thread.ofPlatform().start(stop::request).join();

            assertThat(Thread.currentThread().isInterrupted()).isFalse();
            assertThat(stop.await(0, TimeUnit.MILLISECONDS)).isTrue();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
