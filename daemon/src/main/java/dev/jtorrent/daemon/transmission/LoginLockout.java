package dev.jtorrent.daemon.transmission;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * transmission-daemon's answer to password guessing: after {@link #MAX_FAILURES} failed logins since the last
 * good one, every request is refused until the daemon restarts. A good login resets the count.
 */
final class LoginLockout {
    static final int MAX_FAILURES = 100;

    private final AtomicInteger failures = new AtomicInteger();

    boolean locked() {
        return failures.get() >= MAX_FAILURES;
    }

    /** Counts a failed login; returns the failures so far. */
    int failed() {
        return failures.incrementAndGet();
    }

    void succeeded() {
        failures.set(0);
    }
}
