package dev.jtorrent.swarm;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs tasks one at a time, in the order given, on the threads of another executor; no thread of its own.
 *
 * <p>The swarm writes through one of these. Two threads writing the same file at once do not go faster: the
 * kernel serialises buffered writes to one file on its inode lock, and the waiting writer spins on that lock,
 * burning a core that could be hashing the next piece (seen as {@code rwsem_spin_on_owner} in profiles). Hashing
 * stays parallel on the pool; only the writes and the forces that follow them queue here.
 */
final class SerialExecutor implements Executor {
    private final Executor pool;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Whether a drain task is queued on or running in the pool; guarded by {@link #lock}. */
    private boolean draining;

    SerialExecutor(Executor pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        lock.lock();
        try {
            queue.add(task);
            if (draining) {
                return;
            }
            draining = true;
        } finally {
            lock.unlock();
        }
        try {
            pool.execute(this::drain);
        } catch (RuntimeException e) {
            lock.lock();
            try {
                queue.remove(task);
                draining = false;
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    private void drain() {
        while (true) {
            Runnable task;
            lock.lock();
            try {
                task = queue.poll();
                if (task == null) {
                    draining = false;
                    return;
                }
            } finally {
                lock.unlock();
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                Thread current = Thread.currentThread();
                current.getUncaughtExceptionHandler().uncaughtException(current, e);
            }
        }
    }
}
