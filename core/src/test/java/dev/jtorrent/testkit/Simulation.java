package dev.jtorrent.testkit;

import dev.jtorrent.swarm.NanoClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * A simulated clock and an event queue, as in libtorrent's simulator: everything that would happen on another
 * thread or after a delay (a message crossing the network, a disk job, a swarm's next tick) is a task at a simulated
 * time, and the tasks run one at a time on the test's thread, in the order of their times and, at one time, in the
 * order they were scheduled. So a run is a function of its seed: the same seed gives the same order of events and
 * the same outcome, and a simulated minute passes in the time its tasks take to run.
 *
 * <p>The {@link #trace} records what happened (the network's deliveries, each peer's connections and pieces), so
 * that two runs can be compared.
 */
public final class Simulation {
    /** Where the clock starts: far from zero, as a real {@code nanoTime} is, so that no time is special. */
    private static final long START = 1_000_000_000_000L;

    private record Task(long time, long sequence, Runnable action) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparingLong(Task::time).thenComparingLong(Task::sequence));
    private final SplittableRandom random;
    private final List<String> trace = new ArrayList<>();
    private long now = START;
    private long sequence;
    private long tasksRun;

    public Simulation(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The simulated time, in nanoseconds. */
    public long now() {
        return now;
    }

    /** The simulated clock, for the code under test. */
    public NanoClock clock() {
        return this::now;
    }

    /** Simulated time since the simulation began. */
    public Duration elapsed() {
        return Duration.ofNanos(now - START);
    }

    /** A new source of randomness, derived from the seed: one for each peer and for the network. */
    public SplittableRandom split() {
        return random.split();
    }

    /** Runs {@code action} {@code delayNanos} from now (at once, but after what is already due now, if 0). */
    public void schedule(long delayNanos, Runnable action) {
        scheduleAt(now + Math.max(0, delayNanos), action);
    }

    /** Runs {@code action} at the simulated time {@code time}, or now if that has passed. */
    public void scheduleAt(long time, Runnable action) {
        tasks.add(new Task(Math.max(time, now), sequence++, action));
    }

    /** An executor whose tasks run {@code latency} after they are submitted: a disk that takes that long a job. */
    public Executor executor(Duration latency) {
        long nanos = latency.toNanos();
        return command -> schedule(nanos, command);
    }

    /**
     * Runs the tasks in order until {@code done} holds (checked after each) or {@code limit} of simulated time has
     * passed; returns whether it holds.
     */
    public boolean runUntil(BooleanSupplier done, Duration limit) {
        long end = now + limit.toNanos();
        while (!done.getAsBoolean()) {
            Task next = tasks.peek();
            if (next == null || next.time() > end) {
                now = Math.max(now, end);
                return done.getAsBoolean();
            }
            runNext();
        }
        return true;
    }

    /** Runs every task due within {@code duration} of simulated time, and sets the clock to its end. */
    public void runFor(Duration duration) {
        runUntil(() -> false, duration);
    }

    private void runNext() {
        Task task = tasks.poll();
        now = task.time();
        tasksRun++;
        task.action().run();
    }

    /** How many tasks have run. */
    public long tasksRun() {
        return tasksRun;
    }

    /** Records a line of what happened, stamped with the simulated time in milliseconds. */
    public void trace(String line) {
        trace.add((now - START) / 1_000_000 + " ms " + line);
    }

    /** What happened, in order. */
    public List<String> trace() {
        return List.copyOf(trace);
    }
}
