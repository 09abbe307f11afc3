package dev.jtorrent.utp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that all connections of an endpoint keep ahead of gaps in their streams, together: a peer that sends
 * everything but the next packet makes its connection buffer up to its window, and many such peers would add up.
 * Thread-safe: each connection takes and gives back its own share under its own lock.
 */
final class OutOfOrderBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    OutOfOrderBudget(long limit) {
        this.limit = limit;
    }

    boolean tryTake(int bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void give(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }
}
