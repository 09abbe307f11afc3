package dev.jtorrent.metainfo;

import dev.jtorrent.digest.Sha1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Computes the SHA-1 of every piece of a file list on several threads.
 *
 * <p>The pieces are cut into batches of a few MiB; each worker takes the next batch, reads it with positional
 * reads (a batch may span many files, and a piece may too) into its own buffer and hashes its pieces. Workers
 * share nothing but the batch counter, the result array (each writes its own slots) and the progress counter, so
 * the rate scales with cores until the disk or page cache is the limit.
 */
final class PieceHasher {
    private static final int BATCH_BYTES = 8 * 1024 * 1024;

    private final List<SourceFile> files;
    private final int pieceLength;
    private final long totalLength;
    private final int pieceCount;

    PieceHasher(List<SourceFile> files, int pieceLength) {
        this.files = List.copyOf(files);
        this.pieceLength = pieceLength;
        this.totalLength = files.isEmpty() ? 0 : files.get(files.size() - 1).end();
        this.pieceCount = (int) ((totalLength + pieceLength - 1) / pieceLength);
    }

    /**
     * Hashes every piece with {@code threads} workers, adding each hashed byte count to {@code progress}.
     *
     * @return the concatenated 20-byte hashes
     * @throws IOException if a file cannot be read or is shorter than when it was listed
     */
    byte[] hash(int threads, AtomicLong progress) throws IOException, InterruptedException {
        byte[] hashes = new byte[pieceCount * InfoDictionary.HASH_LENGTH];
        int piecesPerBatch = Math.max(1, BATCH_BYTES / pieceLength);
        int batches = (pieceCount + piecesPerBatch - 1) / piecesPerBatch;
        AtomicInteger nextBatch = new AtomicInteger();
        int workers = Math.max(1, Math.min(threads, batches));
        ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "piece-hasher");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    new Worker(piecesPerBatch, hashes, progress).run(nextBatch, batches);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    nextBatch.set(batches); // let the other workers stop early
                    Throwable cause = e.getCause();
                    if (cause instanceof UncheckedIOException io) {
                        throw io.getCause();
                    }
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    throw new IllegalStateException("piece hashing failed", cause);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return hashes;
    }

    /** One hashing thread: its buffer, digest and the file it has open. */
    private final class Worker {
        private final int piecesPerBatch;
        private final byte[] hashes;
        private final AtomicLong progress;
        private final byte[] buffer;
        private final Sha1 sha1 = Sha1.create();
        private int openIndex = -1;
        private FileChannel open;

        Worker(int piecesPerBatch, byte[] hashes, AtomicLong progress) {
            this.piecesPerBatch = piecesPerBatch;
            this.hashes = hashes;
            this.progress = progress;
            this.buffer = new byte[(int) Math.min((long) piecesPerBatch * pieceLength, totalLength)];
        }

        void run(AtomicInteger nextBatch, int batches) throws IOException {
            try {
                int batch;
                while ((batch = nextBatch.getAndIncrement()) < batches) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    hashBatch(batch);
                }
            } finally {
                closeOpen();
            }
        }

        private void hashBatch(int batch) throws IOException {
            int firstPiece = batch * piecesPerBatch;
            int lastPiece = Math.min(pieceCount, firstPiece + piecesPerBatch); // exclusive
            long start = (long) firstPiece * pieceLength;
            long end = Math.min(totalLength, (long) lastPiece * pieceLength);
            read(start, (int) (end - start));
            for (int piece = firstPiece; piece < lastPiece; piece++) {
                int from = (int) ((long) (piece - firstPiece) * pieceLength);
                int length = (int) Math.min(pieceLength, end - (long) piece * pieceLength);
                byte[] hash = sha1.digest(ByteBuffer.wrap(buffer, from, length));
                System.arraycopy(hash, 0, hashes, piece * InfoDictionary.HASH_LENGTH, InfoDictionary.HASH_LENGTH);
            }
            progress.addAndGet(end - start);
        }

        /** Reads {@code length} bytes of content starting at {@code start} into the buffer. */
        private void read(long start, int length) throws IOException {
            int index = fileAt(start);
            int filled = 0;
            while (filled < length) {
                SourceFile file = files.get(index);
                long position = start + filled - file.offset();
                int wanted = (int) Math.min(length - filled, file.length() - position);
                if (wanted > 0) {
                    FileChannel channel = channel(index);
                    ByteBuffer target = ByteBuffer.wrap(buffer, filled, wanted);
                    while (target.hasRemaining()) {
                        int n = channel.read(target, position + (target.position() - filled));
                        if (n < 0) {
                            throw new IOException(file.location() + " became shorter while it was being hashed");
                        }
                    }
                    filled += wanted;
                }
                index++;
            }
        }

        private FileChannel channel(int index) throws IOException {
            if (index != openIndex) {
                closeOpen();
                open = FileChannel.open(files.get(index).location(), StandardOpenOption.READ);
                openIndex = index;
            }
            return open;
        }

        private void closeOpen() throws IOException {
            if (open != null) {
                open.close();
                open = null;
                openIndex = -1;
            }
        }
    }

    /** The index of the file holding content byte {@code offset} (skipping empty files). */
    private int fileAt(long offset) {
        int low = 0;
        int high = files.size() - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (files.get(mid).offset() <= offset) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        while (low < files.size() - 1 && files.get(low).end() <= offset) {
            low++;
        }
        return low;
    }

    int pieceCount() {
        return pieceCount;
    }

    long totalLength() {
        return totalLength;
    }
}
