package dev.jtorrent.session;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands a session's events to its subscribers. Each subscriber has its own bounded queue and its own virtual
 * thread that calls it, so {@link #publish} never waits for a listener: a full queue drops the event and counts it,
 * and the count is delivered as {@link SessionEvent.EventsLost} before the next event that fits.
 */
final class EventHub {
    private static final System.Logger LOG = System.getLogger(EventHub.class.getName());
    private final int limit;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    EventHub(int limit) {
        this.limit = limit;
    }

    Subscription subscribe(SessionListener listener) {
        Delivery delivery = new Delivery(listener, listener.wantsPieceEvents());
        deliveries.add(delivery);
        Thread.ofVirtual().name("events").start(delivery::run);
        return () -> {
            deliveries.remove(delivery);
            delivery.close();
        };
    }

    /** Whether some subscriber wants piece events: otherwise there is no need to make them. */
    boolean wantsPieceEvents() {
        for (Delivery delivery : deliveries) {
            if (delivery.pieces) {
                return true;
            }
        }
        return false;
    }

    void publish(SessionEvent event) {
        boolean piece = event instanceof SessionEvent.PieceFinished;
        for (Delivery delivery : deliveries) {
            if (!piece || delivery.pieces) {
                delivery.offer(event);
            }
        }
    }

    /** Ends every subscription once the events already queued are delivered. */
    void close() {
        for (Delivery delivery : deliveries) {
            delivery.finish();
        }
        deliveries.clear();
    }

    private final class Delivery {
        private final SessionListener listener;
        private final boolean pieces;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition ready = lock.newCondition();
        private final ArrayDeque<SessionEvent> queue = new ArrayDeque<>();
        private long lost;
        /** No more events are taken; the thread ends once the queue is empty ({@code drain}) or at once. */
        private boolean ended;
        private boolean drain;

        Delivery(SessionListener listener, boolean pieces) {
            this.listener = listener;
            this.pieces = pieces;
        }

        void offer(SessionEvent event) {
            lock.lock();
            try {
                if (ended) {
                    return;
                }
                if (queue.size() >= limit) {
                    lost++;
                    return;
                }
                if (lost > 0) {
                    if (queue.size() + 1 >= limit) {
                        lost++;
                        return;
                    }
                    queue.add(new SessionEvent.EventsLost(lost));
                    lost = 0;
                }
                queue.add(event);
                ready.signal();
            } finally {
                lock.unlock();
            }
        }

        void close() {
            end(false);
        }

        void finish() {
            end(true);
        }

        private void end(boolean drainFirst) {
            lock.lock();
            try {
                ended = true;
                drain = drainFirst;
                if (!drainFirst) {
                    queue.clear();
                }
                ready.signal();
            } finally {
                lock.unlock();
            }
        }

        void run() {
            while (true) {
                SessionEvent event;
                lock.lock();
                try {
                    while (queue.isEmpty() && !ended) {
                        ready.awaitUninterruptibly();
                    }
                    if (queue.isEmpty() || (ended && !drain)) {
                        return;
                    }
                    event = queue.poll();
                } finally {
                    lock.unlock();
                }
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "an event listener failed on " + event, e);
                }
            }
        }
    }
}
