package dev.jtorrent.swarm;

import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.wire.WireCodec;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The events waiting for a swarm's thread, in the order they came. What the connections' readers hand over is
 * bounded, with backpressure: a reader waits while the events of readers queued here hold {@link #bound()} bytes
 * or more, so it stops reading its socket, and TCP slows its peer down, instead of the queue growing for as long as
 * the network outpaces the swarm. The bound is checked before each hand-over, so the readers' events hold less than
 * the bound plus one reader's burst at any time.
 *
 * <p>Everything else ({@link #post}: the disk pool's results, connections that completed their handshakes, a
 * writer's room for uploads, peers found, stops) never waits: the disk pool must not stall behind the network, and
 * what the swarm posts itself must not wait for its own thread. Those events are bounded by what causes them (the
 * pieces in flight, the read cache, the connection limits), and are not counted.
 *
 * <p>Bytes, not events, are counted: most events are a few dozen bytes, but a bitfield can be 256 KiB and an
 * extension message 1 MiB ({@link #size}). Once {@link #close closed}, when the swarm stops, nothing waits and
 * whatever is handed over is dropped.
 */
final class SwarmQueue implements SwarmInbox {
    /**
     * What the readers' events may hold by default: some 16,000 messages or blocks, tens of milliseconds of the
     * swarm's work.
     */
    static final long DEFAULT_BOUND = 1024 * 1024;
    /** What an event costs beyond the message bytes it holds: its record, a block reference, the queue's slot. */
    static final int EVENT_OVERHEAD = 64;

    private final long bound;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when an event is queued. */
    private final Condition notEmpty = lock.newCondition();
    /** Signalled when the readers' events fall below the bound, or the queue closes. */
    private final Condition room = lock.newCondition();
    /** The events; the readers' as {@link SwarmEvent.FromPeer}, counted in {@link #readerBytes}. Guarded by lock. */
    private final ArrayDeque<SwarmEvent> events = new ArrayDeque<>();
    private long readerBytes; // guarded by lock
    private boolean closed; // guarded by lock

    SwarmQueue(long bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("the bound must be positive: " + bound);
        }
        this.bound = bound;
    }

    long bound() {
        return bound;
    }

    /**
     * Queues an event from a connection's reader, after waiting (uninterruptibly: {@link #close} always ends the
     * wait) while the readers' events queued hold the bound.
     */
    @Override
    public void putFromReader(PeerEvent event) {
        long size = size(event);
        lock.lock();
        try {
            while (readerBytes >= bound && !closed) {
                room.awaitUninterruptibly();
            }
            if (closed) {
                return;
            }
            readerBytes += size;
            events.add(new SwarmEvent.FromPeer(event));
            notEmpty.signal();
            if (readerBytes < bound) {
                room.signal(); // the next reader waiting may go too
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues an event from anywhere but a reader; never waits. */
    @Override
    public void post(SwarmEvent event) {
        lock.lock();
        try {
            if (!closed) {
                events.add(event);
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The next event, waiting for one as long as it takes. */
    SwarmEvent take() throws InterruptedException {
        lock.lock();
        try {
            while (events.isEmpty()) {
                notEmpty.await();
            }
            return next();
        } finally {
            lock.unlock();
        }
    }

    /** The next event, waiting for one {@code nanos} at most; null if none came. */
    SwarmEvent poll(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (events.isEmpty()) {
                if (left <= 0) {
                    return null;
                }
                left = notEmpty.awaitNanos(left);
            }
            return next();
        } finally {
            lock.unlock();
        }
    }

    /** The next event if there is one, else null; never waits. */
    SwarmEvent poll() {
        lock.lock();
        try {
            return events.isEmpty() ? null : next();
        } finally {
            lock.unlock();
        }
    }

    /** Whether no event is queued. */
    boolean isEmpty() {
        lock.lock();
        try {
            return events.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Ends every wait for room, for good: what is handed over from now on is dropped. */
    void close() {
        lock.lock();
        try {
            closed = true;
            events.clear();
            readerBytes = 0;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** What the readers' events queued hold now, in the bytes {@link #size} counts. */
    long readerBytes() {
        lock.lock();
        try {
            return readerBytes;
        } finally {
            lock.unlock();
        }
    }

    private SwarmEvent next() {
        SwarmEvent head = events.poll();
        if (head instanceof SwarmEvent.FromPeer reader) {
            boolean wasFull = readerBytes >= bound;
            readerBytes -= size(reader.event()); // as it was counted: an event's size never changes
            if (wasFull && readerBytes < bound) {
                room.signal();
            }
        }
        return head;
    }

    /**
     * What an event holds, roughly: {@link #EVENT_OVERHEAD}, and for a message its bytes on the wire (piece data is
     * not in the event but in its piece's buffer, bounded on its own); a burst, its events.
     */
    static long size(PeerEvent event) {
        return switch (event) {
            case PeerEvent.Burst burst -> {
                long size = EVENT_OVERHEAD;
                for (PeerEvent each : burst.events()) {
                    size += size(each);
                }
                yield size;
            }
            case PeerEvent.Received received -> EVENT_OVERHEAD + WireCodec.encodedLength(received.message());
            default -> EVENT_OVERHEAD;
        };
    }
}
