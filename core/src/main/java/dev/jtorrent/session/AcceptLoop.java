package dev.jtorrent.session;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Takes incoming connections from the listen socket and hands each on, until the session closes. When accepting
 * fails (most often for want of file descriptors, EMFILE or ENFILE: the failed {@code accept} leaves the connection
 * queued, so trying again at once fails again at once and spins a core) it waits before the next try, 10 ms at
 * first, doubling up to 1 s, and goes on as soon as an accept succeeds. Every failure backs off, whatever its
 * cause: the exception carries no error code, and its message is in the system's language. Each episode of failures
 * is reported once when it starts and once when it ends, not once per try.
 */
final class AcceptLoop {
    static final long FIRST_PAUSE_MILLIS = 10;
    static final long LONGEST_PAUSE_MILLIS = 1_000;

    /** The listen socket's accept: blocks until a connection comes. */
    @FunctionalInterface
    interface Acceptor {
        SocketChannel accept() throws IOException;
    }

    /** Waits between failed accepts; a seam, so that tests need not wait. */
    @FunctionalInterface
    interface Pause {
        void pause(long millis) throws InterruptedException;
    }

    private final Acceptor acceptor;
    private final Consumer<SocketChannel> handler;
    private final BooleanSupplier closed;
    private final Pause pause;
    private final Consumer<String> report;
    /** Accepts that failed since the loop started, for tests and diagnostics; written by the loop's thread only. */
    private volatile long failures;

    /**
     * @param handler takes each connection accepted; must not block
     * @param closed  whether the session has closed: a failure then ends the loop rather than backing off
     * @param report  told when an episode of failures starts and when it ends, in a sentence
     */
    AcceptLoop(Acceptor acceptor, Consumer<SocketChannel> handler, BooleanSupplier closed, Pause pause,
               Consumer<String> report) {
        this.acceptor = acceptor;
        this.handler = handler;
        this.closed = closed;
        this.pause = pause;
        this.report = report;
    }

    /**
     * Reports, without letting a failure to report end the loop. Out of descriptors, whatever the logger opens for
     * the first time fails too: the JDK's log formatter, loading the time zones, threw {@link Error} ("tzdb.dat (Too
     * many open files)"), and a class not yet loaded throws {@link NoClassDefFoundError}. The listener must outlive
     * its report.
     */
    private void tell(String message) {
        try {
            report.accept(message);
        } catch (RuntimeException | Error e) {
            // Nothing to report it with; the loop goes on, and the next episode is reported if it can be.
        }
    }

    /** How many accepts have failed since the loop started. */
    long failures() {
        return failures;
    }

    /** Accepts until the session closes or the thread is interrupted. */
    void run() {
        int failed = 0; // in this episode
        long nextPause = FIRST_PAUSE_MILLIS;
        while (!closed.getAsBoolean()) {
            SocketChannel channel;
            try {
                channel = acceptor.accept();
            } catch (IOException e) {
                if (closed.getAsBoolean()) {
                    return;
                }
                failures++;
                if (failed++ == 0) {
                    tell("cannot accept incoming connections (" + e.getMessage()
                            + "); trying again, less often, until it works");
                }
                try {
                    pause.pause(nextPause);
                } catch (InterruptedException interrupted) {
                    return;
                }
                nextPause = Math.min(LONGEST_PAUSE_MILLIS, nextPause * 2);
                continue;
            }
            if (failed > 0) {
                tell("accepting incoming connections again, after " + failed + " failed tries");
                failed = 0;
                nextPause = FIRST_PAUSE_MILLIS;
            }
            handler.accept(channel);
        }
    }
}
