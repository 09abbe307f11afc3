package dev.jtorrent.peer;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The deadline of one handshake: when it passes before {@link #close()}, the channel is closed, which fails the read
 * or write its thread is blocked in. That holds for every transport alike (a socket's read timeout would hold only
 * for TCP), and a peer that trickles a byte at a time cannot stretch it, since it counts from the start.
 *
 * <p>All deadlines share one daemon thread, which only closes channels. A deadline met is cancelled and removed at
 * once, so the thread's queue holds only handshakes under way.
 */
final class HandshakeDeadline implements AutoCloseable {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final ScheduledFuture<?> expiry;
    private volatile boolean expired;

    private HandshakeDeadline(Closeable channel, long timeoutNanos) {
        this.expiry = TIMER.schedule(() -> {
            expired = true;
            try {
                channel.close();
            } catch (IOException e) {
                // closing a channel whose handshake is late: nothing more to do
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Closes {@code channel} in {@code timeoutNanos} unless {@link #close()} comes first. */
    static HandshakeDeadline start(Closeable channel, long timeoutNanos) {
        return new HandshakeDeadline(channel, timeoutNanos);
    }

    /**
     * Whether the deadline passed and closed the channel: an exception from the handshake is then the deadline's
     * doing, not the peer's message.
     */
    boolean expired() {
        return expired;
    }

    /** The handshake is over: the channel is no longer closed when the deadline passes. */
    @Override
    public void close() {
        expiry.cancel(false);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "handshake-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
