package dev.jtorrent.swarm;

/**
 * Where a swarm's logic reads the time: {@link System#nanoTime()} in a session, a simulated clock in tests, so that
 * timeouts, rates and upload slots can be run through in simulated seconds.
 */
@FunctionalInterface
public interface NanoClock {
    /** The real clock. */
    NanoClock SYSTEM = System::nanoTime;

    /** Now, in nanoseconds from an arbitrary origin; only differences mean anything. */
    long nanoTime();
}
