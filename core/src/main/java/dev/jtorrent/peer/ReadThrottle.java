package dev.jtorrent.peer;

import dev.jtorrent.budget.RateBudget;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * How a connection's reader keeps to the download limits: after each block of piece data it counts the block
 * against the torrent's {@link DownloadLimit} and the session's download {@link RateBudget}, and, while either holds
 * it back, reads nothing more (so that TCP slows the peer down).
 *
 * <p>It keeps the block's place in each, not a time: parked, it is woken whenever either rate changes and asks the
 * time of its places again. So a limit raised or removed lets it read on at once rather than at the time the old rate
 * gave (from 1 KiB/s, 16 s for a 16 KiB block), and a limit lowered holds it back from then on. It costs no thread
 * and no polling: the thread that changes a rate wakes the readers parked on it ({@link
 * dev.jtorrent.budget.RateWaiters}).
 *
 * <p>One per reader, used by its thread alone.
 */
final class ReadThrottle {
    private final DownloadLimit torrent;
    private final RateBudget session;
    private final LongSupplier clock;
    /** The place of the last block counted, in the torrent's limit and in the session's budget. */
    private long torrentPlace;
    private long sessionPlace;

    /** @param clock the time, as {@link System#nanoTime()} */
    ReadThrottle(DownloadLimit torrent, RateBudget session, LongSupplier clock) {
        this.torrent = torrent;
        this.session = session;
        this.clock = clock;
    }

    /**
     * Counts a block of {@code bytes} of piece data just read against both limits; returns whether the reader is to
     * {@link #await} before reading on. Without either limit, counts nothing.
     */
    boolean count(int bytes) {
        if (torrent.unlimited() && session.isUnlimited()) {
            return false;
        }
        long now = clock.getAsLong();
        torrentPlace = torrent.count(bytes, now);
        sessionPlace = session.claim(bytes, now);
        return until(now) - now > 0;
    }

    /**
     * Parks until both limits let the block last {@linkplain #count counted} go, asking again whenever either rate
     * changes.
     *
     * @throws InterruptedException the thread was interrupted
     */
    void await() throws InterruptedException {
        // Entered before the first question: a change after it wakes this thread (see RateWaiters).
        torrent.waiters().enter();
        session.waiters().enter();
        try {
            while (true) {
                long now = clock.getAsLong();
                long wait = until(now) - now;
                if (wait <= 0) {
                    return;
                }
                LockSupport.parkNanos(this, wait);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            torrent.waiters().leave();
            session.waiters().leave();
        }
    }

    /** When the reader may read on, by the rates now: the later of the two limits' times. */
    private long until(long now) {
        return Math.max(torrent.timeOf(torrentPlace, now), session.timeOf(sessionPlace, now));
    }
}
