package dev.jtorrent.storage;

import dev.jtorrent.digest.Sha1;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Finds which pieces of a torrent are already in storage and correct, for a download started over a directory that
 * holds data (a re-run, a moved download, a resume file that was refused).
 *
 * <p>Workers take pieces from a shared counter, read each with positional reads into their own heap buffer and
 * compare its SHA-1. They run on an executor (a session's disk pool), one piece per task: after each piece a worker
 * queues itself again instead of keeping its thread, so the executor's other work (other torrents' writes and reads)
 * takes turns with a long check rather than waiting for its end. Hashing is CPU work, so the executor should run
 * platform threads (a virtual thread would pin its carrier in it anyway). A piece whose file is missing or too short
 * is simply absent. Any other read failure stops the check with its {@link StorageException}: a failing disk must not
 * look like a torrent with nothing downloaded.
 */
public final class PieceChecker {
    private final Storage storage;
    private final PieceMap map;
    private final IntFunction<byte[]> hashes;

    /**
     * @param hashes the expected SHA-1 of each piece, such as {@code info::pieceHash}
     */
    public PieceChecker(Storage storage, PieceMap map, IntFunction<byte[]> hashes) {
        this.storage = storage;
        this.map = map;
        this.hashes = hashes;
    }

    /** One thread per core. */
    public BitSet check(AtomicLong progress) throws IOException, InterruptedException {
        return check(Runtime.getRuntime().availableProcessors(), progress);
    }

    /**
     * Checks every piece with {@code threads} workers, adding the size of each checked piece to {@code progress},
     * present or not, so that it ends at the torrent's total length.
     *
     * @return the pieces present and correct
     * @throws InterruptedException if the calling thread is interrupted; the workers are stopped
     * @throws StorageException     if reading fails for another reason than missing data
     */
    public BitSet check(int threads, AtomicLong progress) throws IOException, InterruptedException {
        BitSet all = new BitSet(map.pieceCount());
        all.set(0, map.pieceCount());
        return check(all, threads, progress);
    }

    /**
     * Checks only the pieces in {@code pieces}, as {@link #check(int, AtomicLong)} checks all: the others are
     * counted in {@code progress} at once and are absent from the result. The workers run on a pool of their own,
     * gone when the check returns.
     */
    public BitSet check(BitSet pieces, int threads, AtomicLong progress) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), runnable -> {
            Thread thread = new Thread(runnable, "piece-checker");
            thread.setDaemon(true);
            return thread;
        });
        try {
            return check(pieces, pool, threads, progress);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Checks the pieces in {@code pieces}, as {@link #check(BitSet, int, AtomicLong)} does, with {@code workers}
     * workers on {@code pool}; the caller waits for them, so it must not be one of the pool's threads. If the caller
     * is interrupted, no piece is started after that, and each worker leaves the pool after the piece it is hashing.
     *
     * @throws InterruptedException if the calling thread is interrupted
     * @throws StorageException     if reading fails for another reason than missing data
     */
    public BitSet check(BitSet pieces, Executor pool, int workers, AtomicLong progress)
            throws IOException, InterruptedException {
        // Checked up front too: a small check can finish before the wait for its workers would notice.
        if (Thread.interrupted()) {
            throw new InterruptedException("the piece check was interrupted");
        }
        if (map.pieceCount() == 0) {
            return new BitSet();
        }
        return new Check(pieces, pool, Math.max(1, Math.min(workers, map.pieceCount())), progress).run();
    }

    /** One check: the workers' shared counter, their results and the first failure. */
    private final class Check {
        private final BitSet pieces;
        private final Executor pool;
        private final AtomicLong progress;
        private final AtomicInteger next = new AtomicInteger();
        private final List<Worker> workers = new ArrayList<>();
        private final CountDownLatch finished;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Check(BitSet pieces, Executor pool, int workers, AtomicLong progress) {
            this.pieces = pieces;
            this.pool = pool;
            this.progress = progress;
            this.finished = new CountDownLatch(workers);
            for (int w = 0; w < workers; w++) {
                this.workers.add(new Worker(this));
            }
        }

        BitSet run() throws IOException, InterruptedException {
            for (Worker worker : workers) {
                worker.queue();
            }
            try {
                finished.await();
            } catch (InterruptedException e) {
                stop();
                throw e;
            }
            Throwable cause = failure.get();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause != null) {
                throw new IllegalStateException("piece check failed", cause);
            }
            BitSet present = new BitSet(map.pieceCount());
            workers.forEach(worker -> present.or(worker.found));
            return present;
        }

        /** No piece is handed out after this: each worker finishes after the piece it is hashing. */
        void stop() {
            next.set(map.pieceCount());
        }

        void failed(Throwable cause) {
            failure.compareAndSet(null, cause);
            stop();
        }
    }

    /**
     * A worker: its own buffer and digest, and the pieces it found present (merged after all finish). Each run
     * checks one piece and queues the worker again while pieces are left.
     */
    private final class Worker implements Runnable {
        private final Check check;
        private final BitSet found = new BitSet();
        private final ByteBuffer buffer = ByteBuffer.allocate(map.pieceLength());
        private final Sha1 sha1 = Sha1.create();

        Worker(Check check) {
            this.check = check;
        }

        /** Hands the worker to the pool; if the pool refuses it (it is shut down), the check fails. */
        void queue() {
            try {
                check.pool.execute(this);
            } catch (RuntimeException e) {
                check.failed(e);
                check.finished.countDown();
            }
        }

        @Override
        public void run() {
            boolean more;
            try {
                more = checkNext();
            } catch (IOException | RuntimeException e) {
                check.failed(e);
                more = false;
            }
            if (more) {
                queue();
            } else {
                check.finished.countDown();
            }
        }

        /** Checks the next piece to check, counting those skipped on the way; false once none is left. */
        private boolean checkNext() throws IOException {
            int piece;
            while ((piece = check.next.getAndIncrement()) < map.pieceCount()) {
                if (check.pieces.get(piece)) {
                    checkPiece(piece);
                    return true;
                }
                check.progress.addAndGet(map.pieceSize(piece));
            }
            return false;
        }

        private void checkPiece(int piece) throws IOException {
            buffer.clear().limit(map.pieceSize(piece));
            try {
                storage.read(piece, 0, buffer);
                buffer.flip();
                if (sha1.matches(hashes.apply(piece), buffer)) {
                    found.set(piece);
                }
            } catch (MissingDataException e) {
                // absent: downloaded like any other missing piece
            }
            check.progress.addAndGet(map.pieceSize(piece));
        }
    }
}
