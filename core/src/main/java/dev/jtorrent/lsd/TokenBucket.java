package dev.jtorrent.lsd;

import java.time.Duration;

/**
 * A rate limit of whole events: a burst of {@code burst} at once, then one every {@code period}. Kept as the time
 * the next event would be due at the steady rate (the generic cell rate algorithm), so it needs no refill step and
 * no fractions. Not thread-safe; the time is an argument, as everywhere in this package's logic.
 */
final class TokenBucket {
    private final long periodNanos;
    /** How far ahead of now {@link #due} may run: the burst beyond the first event. */
    private final long toleranceNanos;
    private long due;

    /** A full bucket at {@code now}. */
    TokenBucket(int burst, Duration period, long now) {
        if (burst < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a burst of at least 1 and a positive period");
        }
        this.periodNanos = period.toNanos();
        this.toleranceNanos = (burst - 1) * periodNanos;
        this.due = now;
    }

    /** Takes one event's allowance if there is one at {@code now}. */
    boolean tryTake(long now) {
        if (now - (due - toleranceNanos) < 0) {
            return false;
        }
        due = Math.max(due - now, 0) + now + periodNanos;
        return true;
    }

    /** When {@link #tryTake} succeeds next: {@code now} or later. */
    long nextAllowed(long now) {
        long allowed = due - toleranceNanos;
        return allowed - now > 0 ? allowed : now;
    }
}
