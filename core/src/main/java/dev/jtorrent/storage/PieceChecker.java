package dev.jtorrent.storage;

import dev.jtorrent.digest.Sha1;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Finds which pieces of a torrent are already in storage and correct, for a download started over a directory that
 * holds data (a re-run, a moved download, a resume file that was refused).
 *
 * <p>Workers on platform threads (hashing is CPU work, and a virtual thread would pin its carrier in it anyway)
 * take pieces from a shared counter, read each with positional reads into their own heap buffer and compare its
 * SHA-1. A piece whose file is missing or too short is simply absent. Any other read failure stops the check with
 * its {@link StorageException}: a failing disk must not look like a torrent with nothing downloaded.
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
     * counted in {@code progress} at once and are absent from the result.
     */
    public BitSet check(BitSet pieces, int threads, AtomicLong progress) throws IOException, InterruptedException {
        // Checked up front too: a small check can finish before the wait for its workers would notice.
        if (Thread.interrupted()) {
            throw new InterruptedException("the piece check was interrupted");
        }
        int pieceCount = map.pieceCount();
        BitSet present = new BitSet(pieceCount);
        int workers = Math.max(1, Math.min(threads, pieceCount));
        if (pieceCount == 0) {
            return present;
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "piece-checker");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<BitSet>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> work(pieces, next, progress)));
            }
            for (Future<BitSet> future : futures) {
                present.or(result(future, next, pieceCount));
            }
            return present;
        } finally {
            pool.shutdownNow();
        }
    }

    private static BitSet result(Future<BitSet> future, AtomicInteger next, int pieceCount)
            throws IOException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            next.set(pieceCount); // the other workers stop after their current piece
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw new IllegalStateException("piece check failed", e.getCause());
        }
    }

    /** One worker: its own buffer and digest, and the pieces it found present (merged after all finish). */
    private BitSet work(BitSet pieces, AtomicInteger next, AtomicLong progress)
            throws IOException, InterruptedException {
        BitSet found = new BitSet();
        ByteBuffer buffer = ByteBuffer.allocate(map.pieceLength());
        Sha1 sha1 = Sha1.create();
        int piece;
        while ((piece = next.getAndIncrement()) < map.pieceCount()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("piece check cancelled");
            }
            if (!pieces.get(piece)) {
                progress.addAndGet(map.pieceSize(piece));
                continue;
            }
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
            progress.addAndGet(map.pieceSize(piece));
        }
        return found;
    }
}
