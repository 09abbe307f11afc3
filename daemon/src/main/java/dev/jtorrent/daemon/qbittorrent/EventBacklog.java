package dev.jtorrent.daemon.qbittorrent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one event stream has yet to send: the updates pushed to it, at most {@link #maxEvents} of them and {@link
 * #maxBytes} in all. A client that reads too slowly to keep within that is not queued for without bound: its
 * backlog is dropped and it is sent a {@link Next.Resync} instead, after which it fetches the whole state once and
 * goes on with the updates pushed since. A stream starts with a resync, which is how a client learns to make its
 * first fetch only once the stream is open (so no update falls between the two).
 *
 * <p>Thread-safe: the feed offers on its thread, the stream's writer takes on its own.
 */
final class EventBacklog {
    /** What the writer sends next. */
    sealed interface Next {
        /** An update, as the bytes of its whole server-sent event. */
        record Event(byte[] frame) implements Next {
        }

        /** The client must fetch the whole state: it is new, or it fell behind and updates were dropped. */
        record Resync() implements Next {
        }

        /** Nothing came within the wait: time for a keep-alive. */
        record Idle() implements Next {
        }

        /** The stream is closed. */
        record Closed() implements Next {
        }
    }

    private final int maxEvents;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final Deque<byte[]> events = new ArrayDeque<>();
    private long bytes;
    private boolean resync = true;
    private boolean closed;
    private long resyncs;

    EventBacklog(int maxEvents, long maxBytes) {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("backlog limits must be positive");
        }
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /** Queues an update; past a bound, drops the backlog for a resync. */
    void offer(byte[] frame) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (events.size() + 1 > maxEvents || bytes + frame.length > maxBytes) {
                events.clear();
                bytes = 0;
                if (!resync) {
                    resync = true;
                    resyncs++;
                }
            } else {
                events.addLast(frame);
                bytes += frame.length;
            }
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next thing to send, waiting at most {@code wait} for one. */
    Next take(Duration wait) throws InterruptedException {
        long nanos = wait.toNanos();
        lock.lock();
        try {
            while (!closed && !resync && events.isEmpty()) {
                if (nanos <= 0) {
                    return new Next.Idle();
                }
                nanos = ready.awaitNanos(nanos);
            }
            if (closed) {
                return new Next.Closed();
            }
            if (resync) {
                resync = false;
                return new Next.Resync();
            }
            byte[] frame = events.removeFirst();
            bytes -= frame.length;
            return new Next.Event(frame);
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            events.clear();
            bytes = 0;
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Updates waiting, and their bytes; for tests. */
    int size() {
        lock.lock();
        try {
            return events.size();
        } finally {
            lock.unlock();
        }
    }

    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** How many times the client fell behind; for tests and logs. */
    long resyncs() {
        lock.lock();
        try {
            return resyncs;
        } finally {
            lock.unlock();
        }
    }
}
