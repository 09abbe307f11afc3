package dev.jtorrent.budget;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads parked until a time that a rate limit gave them, to be woken when the rate changes: each then asks the
 * time of its place again, at the new rate. Without this, a thread that took its time at a low rate sleeps until
 * then whatever the rate becomes (16 s for a 16 KiB block at 1 KiB/s, raised to no limit a moment later). One
 * instance per limit; a thread waiting for several limits enters each. No thread of its own: the thread that
 * changes the rate wakes the waiters.
 *
 * <p>How a thread waits: {@link #enter}, then ask the limit the time of its place, and park until then with
 * {@link LockSupport#parkNanos(long)}, asking again each time it wakes (a park may return early for any reason, and
 * the answer is what counts); {@link #leave} when done. Entering first is what makes a change never missed: the
 * limit changes its rate and then wakes whoever has entered, so a change either comes before the thread asks (it gets
 * the new answer) or wakes it (a wake before it parks leaves the permit, and the park returns at once). A wake that
 * comes just after the thread left leaves a permit too, and its next park somewhere returns early: harmless, since
 * every park must allow for that.
 *
 * <p>Thread-safe.
 */
public final class RateWaiters {
    private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();

    /** The current thread is about to wait: from now until it {@linkplain #leave leaves}, a change wakes it. */
    public void enter() {
        waiting.add(Thread.currentThread());
    }

    /** The current thread waits no more. */
    public void leave() {
        waiting.remove(Thread.currentThread());
    }

    /** Wakes every thread that has entered; the limit calls it after each change of its rate. */
    public void wakeAll() {
        for (Thread thread : waiting) {
            LockSupport.unpark(thread);
        }
    }
}
