package dev.jtorrent.session;

import dev.jtorrent.storage.PieceChecker;

import java.io.IOException;
import java.util.BitSet;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks the data of the torrents added to a session one torrent at a time, as Transmission and qBittorrent do: an
 * add with data to check waits until the checks before it are done (it is queued for check), then hashes its pieces
 * on the session's disk pool, one worker per pool thread. So however many torrents are added at once, checking
 * starts no thread, and two checks never take turns reading two places of the disk.
 */
final class CheckQueue {
    private final Executor pool;
    private final int workers;
    /** The turn to check; fair, so that adds are checked in the order they came. */
    private final Semaphore turn = new Semaphore(1, true);

    /**
     * @param pool    where the pieces are hashed
     * @param workers how many pieces are hashed at once: the pool's thread count
     */
    CheckQueue(Executor pool, int workers) {
        this.pool = pool;
        this.workers = workers;
    }

    /**
     * Waits for the turn of this check, then checks {@code pieces} with {@code checker} (see {@link
     * PieceChecker#check(BitSet, Executor, int, AtomicLong)}).
     *
     * @return the pieces present and correct
     * @throws InterruptedException if the caller is interrupted, waiting for its turn or checking
     */
    BitSet check(PieceChecker checker, BitSet pieces, AtomicLong progress) throws IOException, InterruptedException {
        return check(checker, pieces, progress, () -> { });
    }

    /** As {@link #check(PieceChecker, BitSet, AtomicLong)}, calling {@code started} when its turn comes. */
    BitSet check(PieceChecker checker, BitSet pieces, AtomicLong progress, Runnable started)
            throws IOException, InterruptedException {
        turn.acquire();
        try {
            started.run();
            return checker.check(pieces, pool, workers, progress);
        } finally {
            turn.release();
        }
    }

    /** How many checks wait for their turn. */
    int queued() {
        return turn.getQueueLength();
    }
}
