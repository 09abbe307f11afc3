package dev.jtorrent.swarm;

import dev.jtorrent.budget.FairBudget;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.storage.FilePriority;
import dev.jtorrent.storage.PieceVerifier;
import dev.jtorrent.storage.Storage;
import dev.jtorrent.storage.StorageException;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Message;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The swarm's jobs on the disk pool: hash and write a completed piece, force written pieces to disk, read a block
 * for an upload (through a {@link ReadCache} of whole pieces). Each job reports back as a {@link SwarmEvent}, so
 * the swarm thread never waits on the disk and hashing runs on every core.
 */
final class DiskWork {
    private final Storage storage;
    /** The disk pool, for reads of the cache; {@link #pool} and {@link #writes} count their jobs. */
    private final Executor rawPool;
    private final Executor pool;
    /** Writes and forces, one at a time in order (see {@link SerialExecutor} for why). */
    private final Executor writes;
    private final Consumer<SwarmEvent> events;
    /**
     * Jobs submitted and not yet done, counting a job as done only once it has posted its result: when this is 0,
     * every result is in the swarm's queue (see {@link #idle}).
     */
    private final AtomicInteger jobs = new AtomicInteger();
    /** Whether the swarm waits to hear that {@link #jobs} fell to 0 (see {@link #idleOrTellWhen}). */
    private volatile boolean idleWanted;

    /** Memory for whole pieces read for uploads. */
    static final long READ_CACHE_BYTES = 32L * 1024 * 1024;

    private final ReadCache reads;
    /**
     * Every piece written this session, verified before it was: once forced, each is ours, whether or not the
     * swarm has heard so yet. Resume data claims them, so that a file's recorded state never includes a write that
     * the record does not claim. Guarded by itself.
     */
    private final PieceSet writtenPieces;

    DiskWork(Storage storage, InfoDictionary info, Executor pool, Consumer<SwarmEvent> events) {
        this(storage, info, pool, events, FairBudget.unlimited("bytes of read cache"), NanoClock.SYSTEM);
    }

    /**
     * @param readCacheBudget the session's memory for read caches, which this torrent's cache shares
     * @param clock           the swarm's clock, at whose time the read cache takes from that budget
     */
    DiskWork(Storage storage, InfoDictionary info, Executor pool, Consumer<SwarmEvent> events,
             FairBudget readCacheBudget, NanoClock clock) {
        this.storage = storage;
        this.rawPool = pool;
        this.pool = counted(pool);
        this.writes = counted(new SerialExecutor(pool));
        this.events = events;
        this.reads = new ReadCache(storage, info::pieceSize, READ_CACHE_BYTES, READ_CACHE_BYTES, info::pieceHash,
                readCacheBudget, clock);
        this.writtenPieces = new PieceSet(info.pieceCount());
    }

    /** Pieces taken on trust: hashed on their first read for an upload, refused if they do not match. */
    void trustUnchecked(PieceSet pieces) {
        reads.trustUnchecked(pieces);
    }

    /**
     * Checks a complete piece against its hash on the pool, then queues its write if it matches; bad data never
     * reaches the disk. A piece that fails with blocks from several peers has its blocks hashed for
     * {@link SmartBan}, and so has one that passes if {@code digestBlocks} (it failed before).
     */
    void verifyAndWrite(PieceBuffers.PieceBuffer buffer, byte[] expectedHash, boolean digestBlocks) {
        pool.execute(() -> {
            boolean matches;
            try {
                matches = PieceVerifier.matches(expectedHash, buffer.data());
            } catch (RuntimeException e) {
                events.accept(new SwarmEvent.DiskFailed("cannot check piece " + buffer.piece() + ": " + e));
                return;
            }
            if (matches) {
                byte[][] digests = digestBlocks ? SmartBan.digests(buffer.data()) : null;
                writes.execute(() -> write(buffer, digests));
            } else {
                Set<PeerConnection> senders = senders(buffer);
                List<SmartBan.SentBlock> blocks = senders.size() > 1 ? sentBlocks(buffer) : List.of();
                events.accept(new SwarmEvent.PieceFailed(buffer.piece(), senders, blocks));
            }
        });
    }

    private void write(PieceBuffers.PieceBuffer buffer, byte[][] digests) {
        int piece = buffer.piece();
        try {
            storage.writePiece(piece, buffer.data());
            synchronized (writtenPieces) {
                writtenPieces.add(piece);
            }
            events.accept(new SwarmEvent.PieceWritten(piece, senders(buffer), digests));
        } catch (IOException e) {
            events.accept(StorageException.outOfSpace(e)
                    ? new SwarmEvent.OutOfSpace(List.of(piece), false, e.getMessage())
                    : new SwarmEvent.DiskFailed(e.getMessage()));
        } catch (RuntimeException e) {
            events.accept(new SwarmEvent.DiskFailed("cannot write piece " + piece + ": " + e));
        }
    }

    /** Forces everything written so far, after the writes queued before it; then these pieces count as ours. */
    void force(List<Integer> written) {
        writes.execute(() -> {
            try {
                storage.force();
                events.accept(new SwarmEvent.PiecesDurable(written));
            } catch (IOException e) {
                // After a failed force the written pages may be gone (Linux drops them), so the pieces are lost.
                synchronized (writtenPieces) {
                    written.forEach(writtenPieces::remove);
                }
                events.accept(StorageException.outOfSpace(e) ? new SwarmEvent.OutOfSpace(written, true, e.getMessage())
                        : new SwarmEvent.DiskFailed(e.getMessage()));
            }
        });
    }

    /**
     * Tells the storage which files are wanted now, after every write queued before and before any queued after, so
     * that no piece is written while its bytes change place. A failure to move bytes stops the torrent, as a failed
     * write does.
     */
    void filePrioritiesChanged(List<FilePriority> priorities) {
        writes.execute(() -> {
            try {
                storage.filePrioritiesChanged(priorities);
            } catch (IOException | RuntimeException e) {
                events.accept(new SwarmEvent.DiskFailed(e instanceof IOException ? e.getMessage()
                        : "cannot change which files are wanted: " + e));
            }
        });
    }

    /** Records the pieces that are ours, after every write queued before, on the disk pool. */
    void record(PieceRecorder recorder, long sequence, PieceSet ours) {
        writes.execute(() -> {
            try {
                recordNow(recorder, sequence, ours);
            } catch (IOException | RuntimeException e) {
                events.accept(new SwarmEvent.RecordFailed("cannot save resume data: " + e.getMessage()));
            }
        });
    }

    /**
     * Forces what was written, then records {@code ours} with every piece written so far: all are forced now, so
     * all are ours, and the files' state as the recorder reads it includes no write that the record leaves out.
     */
    void recordNow(PieceRecorder recorder, long sequence, PieceSet ours) throws IOException {
        try {
            storage.force();
        } catch (IOException e) {
            // Pages whose force failed may be dropped, and a later force then succeeds: claim none of them.
            synchronized (writtenPieces) {
                writtenPieces.retainAll(ours);
            }
            throw e;
        }
        PieceSet pieces = ours.copy();
        synchronized (writtenPieces) {
            pieces.addAll(writtenPieces);
        }
        recorder.record(sequence, pieces);
    }

    /**
     * The block a peer asked for if its piece is in the read cache, else null: most requests are for a piece
     * already read for an earlier block, and answering them on the caller's thread saves two hand-offs each. The
     * block is lent: release it once it is sent or dropped.
     */
    ReadCache.Lent cachedBlock(BlockRef block) {
        return reads.cachedBlock(block.piece(), block.begin(), block.length());
    }

    /** Reads a block a peer asked for; the block it reports ready is lent, as {@link #cachedBlock}'s is. */
    void readForUpload(PeerConnection connection, BlockRef block) {
        jobs.incrementAndGet();
        reads.blockAsync(block.piece(), block.begin(), block.length(), rawPool).whenComplete((data, failure) -> {
            try {
                reportRead(connection, block, data, failure);
            } finally {
                jobEnded();
            }
        });
    }

    private void reportRead(PeerConnection connection, BlockRef block, ReadCache.Lent data, Throwable failure) {
        Throwable cause = failure instanceof CompletionException wrapped ? wrapped.getCause() : failure;
        if (cause == null) {
            events.accept(new SwarmEvent.UploadReady(connection, block, data));
        } else if (cause instanceof ReadCache.CorruptPieceException corrupt) {
            events.accept(new SwarmEvent.UploadRefused(connection, block, corrupt.getMessage()));
        } else if (cause instanceof ReadCache.BusyException) {
            events.accept(new SwarmEvent.UploadRefused(connection, block, null));
        } else {
            events.accept(new SwarmEvent.DiskFailed(cause instanceof IOException ? cause.getMessage()
                    : "cannot read piece " + block.piece() + ": " + cause));
        }
    }

    /**
     * Whether no job is under way: each one submitted has posted what it had to say (or had nothing to). Read on the
     * swarm's thread, which alone submits jobs, so once true it stays true until that thread submits another. If
     * false, the last job to end posts {@link SwarmEvent.DiskIdle}, so that the swarm looks again. (The flag is set
     * before the count is read, and the count falls before the flag is read, so either this sees 0 or that job
     * sees the flag; at worst both, and the event is one too many.)
     */
    boolean idleOrTellWhen() {
        idleWanted = true;
        if (jobs.get() == 0) {
            idleWanted = false;
            return true;
        }
        return false;
    }

    /** A job ended: tells the swarm if it was the last, and the swarm waits to hear so. */
    private void jobEnded() {
        if (jobs.decrementAndGet() == 0 && idleWanted) {
            idleWanted = false;
            events.accept(new SwarmEvent.DiskIdle());
        }
    }

    /** {@code executor}, counting in {@link #jobs} each job from its submission until it has run. */
    private Executor counted(Executor executor) {
        return job -> {
            jobs.incrementAndGet();
            try {
                executor.execute(() -> {
                    try {
                        job.run();
                    } finally {
                        jobEnded();
                    }
                });
            } catch (RuntimeException e) {
                jobs.decrementAndGet(); // refused: it will never run
                throw e;
            }
        };
    }

    /** Gives the read cache's memory back to the session: the torrent stopped. */
    void leaveBudget() {
        reads.leaveBudget();
    }

    OptionalLong usableSpace() {
        return storage.usableSpace();
    }

    /** Forces on the calling thread, for shutdown. */
    void forceNow() throws IOException {
        storage.force();
    }

    /** Who sent each block of a failed piece, and a digest of what they sent. */
    private static List<SmartBan.SentBlock> sentBlocks(PieceBuffers.PieceBuffer buffer) {
        byte[][] digests = SmartBan.digests(buffer.data());
        List<SmartBan.SentBlock> blocks = new ArrayList<>(digests.length);
        for (int i = 0; i < digests.length; i++) {
            if (buffer.writer(i) instanceof PeerConnection sender) {
                blocks.add(new SmartBan.SentBlock(i, sender.address(), digests[i]));
            }
        }
        return blocks;
    }

    private static Set<PeerConnection> senders(PieceBuffers.PieceBuffer buffer) {
        Set<PeerConnection> senders = new HashSet<>();
        for (int i = 0; i < buffer.blockCount(); i++) {
            if (buffer.writer(i) instanceof PeerConnection connection) {
                senders.add(connection);
            }
        }
        return senders;
    }
}
