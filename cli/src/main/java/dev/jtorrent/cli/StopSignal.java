package dev.jtorrent.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM as the normal end of a command that runs until it is stopped ({@code seed}, {@code tracker}): the command
 * stops cleanly and then exits as it chooses, 0 for them.
 *
 * <p>Left to the JVM, SIGTERM starts the JVM's shutdown at once: the shutdown hooks run while the command goes on,
 * and the process exits with 143 (128 + 15) whatever the command returns, which a service manager reports as a
 * failure. From {@link #install()} to {@link #close()} this class takes SIGTERM over instead, and the JVM's shutdown
 * never starts from it:
 * <ul>
 * <li>the first SIGTERM wakes the command waiting in {@link #await}, which then stops what it runs, prints what it
 * prints at the end and returns its exit code as usual;</li>
 * <li>while the command runs a step through {@link #interruptibly}, the first SIGTERM also interrupts that step,
 * so that a long one (the check of {@code seed}'s data) ends early;</li>
 * <li>a later SIGTERM is ignored: the stop is under way, and bounded in time (SIGKILL ends a process at once).</li>
 * </ul>
 * A stop can also be asked for with {@link #request()}, as a shutdown hook does after its own clean-up. Other
 * signals keep the JVM's handling: Ctrl-C (SIGINT) and SIGHUP run the shutdown hooks and exit with 128 + the
 * signal's number.
 *
 * <p>Where SIGTERM cannot be handled (a JVM started with {@code -Xrs}, a platform without SIGTERM) it is left as
 * it is, and only {@link #request()} stops. A signal's handler belongs to the whole process: one command
 * at a time may install this, and the thread that installs it closes it; the other methods may be called from any
 * thread.
 */
final class StopSignal implements AutoCloseable {
    private final CountDownLatch requested = new CountDownLatch(1);
    /** Gives SIGTERM back the handler it had before {@link #install()}; does nothing where it could not be handled. */
    private Runnable restore = () -> { };
    /** The thread running {@link #interruptibly}, if one does. */
    private Thread interruptible;
    /** Whether a stop interrupted {@link #interruptible}. */
    private boolean interrupted;

    private StopSignal() {
    }

    /** Handles SIGTERM from now until {@link #close()}: it asks for a stop, as {@link #request()} does. */
    static StopSignal install() {
        StopSignal stop = new StopSignal();
        // sun.misc.Signal, of the module jdk.unsupported, is the JDK's only way to handle a signal. javac warns of
        // each reference to it as internal API, and nothing in the source can suppress that: so it appears here
        // alone, with no import and no declared type.
        try {
            var term = new sun.misc.Signal("TERM");
            var previous = sun.misc.Signal.handle(term, signal -> stop.request());
            stop.restore = () -> sun.misc.Signal.handle(term, previous);
        } catch (IllegalArgumentException e) {
            // No SIGTERM on this platform, or the JVM was told to leave it alone (-Xrs): its handling stays.
        }
        return stop;
    }

    /**
     * Asks the command to stop, as SIGTERM does: wakes {@link #await} and interrupts a step running in
     * {@link #interruptibly}. Only the first call counts; later ones, like later SIGTERMs, are ignored.
     */
    synchronized void request() {
        if (isRequested()) {
            return;
        }
        requested.countDown();
        if (interruptible != null) {
            interruptible.interrupt();
            interrupted = true;
        }
    }

    /** Whether a stop was asked for. */
    boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** Waits until a stop is asked for, or {@code timeout} has passed; returns whether one was. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return requested.await(timeout, unit);
    }

    /** Waits until a stop is asked for. */
    void await() throws InterruptedException {
        requested.await();
    }

    /**
     * Runs {@code step} on the calling thread, which a stop asked for meanwhile interrupts, and returns its result;
     * or empty if a stop was asked for before it began (then it is not run) or cut it short. An interrupted step
     * ends with an {@link InterruptedException} or with whatever an interrupted wait turns into (a file channel's
     * {@link java.nio.channels.ClosedByInterruptException}, say), so any exception that follows the interrupt is
     * taken for the stop and not thrown. A step that ends normally all the same gives its result, and the interrupt
     * it left pending is cleared; the stop stays asked for, as {@link #await} tells.
     *
     * @param step what to run; it must not return null
     * @throws Exception what the step threw when no stop interrupted it
     */
    <T> Optional<T> interruptibly(Callable<T> step) throws Exception {
        synchronized (this) {
            if (isRequested()) {
                return Optional.empty();
            }
            interruptible = Thread.currentThread();
        }
        try {
            return Optional.of(step.call());
        } catch (Exception e) {
            synchronized (this) {
                if (interrupted) {
                    return Optional.empty();
                }
            }
            throw e;
        } finally {
            synchronized (this) {
                interruptible = null;
                if (interrupted) {
                    Thread.interrupted();
                    interrupted = false;
                }
            }
        }
    }

    /**
     * From now on, SIGTERM and SIGINT end the process at once with 128 + the signal's number, skipping whatever
     * stop is under way: for {@code daemon}, whose user sends a second signal because the first stop takes too long.
     */
    static void haltOnNextSignal() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                var signal = new sun.misc.Signal(name);
                sun.misc.Signal.handle(signal, received -> Runtime.getRuntime().halt(128 + received.getNumber()));
            } catch (IllegalArgumentException e) {
                // Not handled on this platform or in this JVM (-Xrs): that signal keeps its handling.
            }
        }
    }

    /** Gives SIGTERM back the handling it had before {@link #install()}. */
    @Override
    public void close() {
        restore.run();
    }
}
