package dev.jtorrent.utp;

import java.time.Duration;

/**
 * The one timer of an endpoint: a virtual thread that calls {@link UtpEndpoint#tick} every {@link #TICK}, for
 * timeouts, resends, keep-alives and the acknowledgements a reader left waiting. One per endpoint, not one per
 * connection. The 20 ms step is far under the 500 ms minimum timeout and bounds how long an ACK can wait when the
 * reader never says its socket drained.
 */
public final class UtpTimer implements AutoCloseable {
    public static final Duration TICK = Duration.ofMillis(20);
    private static final System.Logger LOG = System.getLogger(UtpTimer.class.getName());

    private final Thread thread;
    private volatile boolean closed;

    private UtpTimer(UtpEndpoint endpoint, String name) {
        this.thread = Thread.ofVirtual().name(name).unstarted(() -> run(endpoint));
    }

    /** Starts ticking {@code endpoint}. */
    public static UtpTimer start(UtpEndpoint endpoint, String name) {
        UtpTimer timer = new UtpTimer(endpoint, name);
        timer.thread.start();
        return timer;
    }

    private void run(UtpEndpoint endpoint) {
        try {
            while (!closed) {
                Thread.sleep(TICK);
                try {
                    endpoint.tick();
                } catch (RuntimeException e) {
                    // a bug, not the network's doing: say so, and keep the other connections' timers going
                    LOG.log(System.Logger.Level.ERROR, "uTP timer: " + e, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
