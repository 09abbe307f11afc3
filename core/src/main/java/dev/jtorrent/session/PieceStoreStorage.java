package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.Storage;
import dev.jtorrent.storage.StorageException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An embedder's {@link PieceStore} as the {@link Storage} a swarm and a {@link dev.jtorrent.storage.PieceChecker}
 * use. It keeps the promises {@link PieceStore} makes about threads (writes and forces one at a time, nothing during
 * or after the close), checks the ranges and what the store did before the swarm relies on it, and turns whatever
 * the store throws into a {@link StorageException} of one line, "cannot write piece 3 to the store: ...", which
 * stops the torrent as a disk error does.
 */
final class PieceStoreStorage implements Storage {
    private static final System.Logger LOG = System.getLogger(PieceStoreStorage.class.getName());
    /** How long a close waits for calls under way before it closes the store anyway. */
    static final long CLOSE_WAIT_SECONDS = 30;

    private final PieceStore store;
    private final InfoDictionary info;
    /**
     * Held shared by every call to the store, and exclusively by the close: so the close waits for the calls under
     * way, and no call starts after it.
     */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    /**
     * Writes and forces one at a time. The swarm already sends them through one serial executor, except the force
     * of a stopping swarm, which runs on its own thread; the store is promised one at a time whatever the caller.
     */
    private final ReentrantLock writes = new ReentrantLock();
    private volatile boolean closed;

    private PieceStoreStorage(PieceStore store, InfoDictionary info) {
        this.store = store;
        this.info = info;
    }

    /**
     * Opens {@code torrent}'s store through {@code factory}.
     *
     * @throws StorageException if the factory fails (whatever it throws) or opens nothing
     */
    static PieceStoreStorage open(PieceStore.Factory factory, Torrent torrent) throws StorageException {
        PieceStore store;
        try {
            store = factory.open(torrent);
        } catch (IOException | RuntimeException e) {
            throw failure(StorageException.Operation.OPEN, "cannot open the store of " + torrent.name(), e);
        }
        if (store == null) {
            throw new StorageException(StorageException.Operation.OPEN, null,
                    "cannot open the store of " + torrent.name() + ": its factory returned null", null);
        }
        return new PieceStoreStorage(store, torrent.info());
    }

    /**
     * Deletes {@code torrent}'s pieces through {@code factory}, for a removal with its data.
     *
     * @throws StorageException if the factory fails (whatever it throws)
     */
    static void delete(PieceStore.Factory factory, Torrent torrent) throws StorageException {
        try {
            factory.delete(torrent);
        } catch (IOException | RuntimeException e) {
            throw failure(StorageException.Operation.DELETE, "cannot delete the pieces of " + torrent.name()
                    + " from its store", e);
        }
    }

    /**
     * The pieces the store says it has, asked one by one.
     *
     * @throws StorageException if the store cannot tell
     */
    BitSet held() throws StorageException {
        BitSet held = new BitSet(info.pieceCount());
        enter();
        try {
            for (int piece = 0; piece < info.pieceCount(); piece++) {
                if (store.has(piece)) {
                    held.set(piece);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw failure(StorageException.Operation.READ, "cannot ask the store which pieces it has", e);
        } finally {
            leave();
        }
        return held;
    }

    @Override
    public void writePiece(int piece, ByteBuffer data) throws IOException {
        int size = info.pieceSize(piece);
        if (data.remaining() != size) {
            throw new IllegalArgumentException("piece " + piece + " is " + size + " bytes, not " + data.remaining());
        }
        enter();
        writes.lock();
        try {
            // Read-only: the buffer is the swarm's pooled piece memory, which the store must not change or keep.
            store.writePiece(piece, data.asReadOnlyBuffer());
        } catch (IOException | RuntimeException e) {
            throw failure(StorageException.Operation.WRITE, "cannot write piece " + piece + " to the store", e);
        } finally {
            writes.unlock();
            leave();
        }
    }

    @Override
    public void read(int piece, int begin, ByteBuffer dst) throws IOException {
        int size = info.pieceSize(piece);
        int length = dst.remaining();
        if (begin < 0 || begin > size - length) {
            throw new IndexOutOfBoundsException("bytes " + begin + " to " + ((long) begin + length)
                    + " are not in piece " + piece + " of " + size + " bytes");
        }
        // A view of exactly the range: the store cannot reach past it, and what it filled can be told.
        ByteBuffer range = dst.slice();
        enter();
        try {
            store.read(piece, begin, range);
        } catch (IOException | RuntimeException e) {
            throw failure(StorageException.Operation.READ, "cannot read piece " + piece + " from the store", e);
        } finally {
            leave();
        }
        if (range.position() != length || range.limit() != length) {
            throw new StorageException(StorageException.Operation.READ, null, "cannot read piece " + piece
                    + " from the store: it filled " + range.position() + " of " + length + " bytes", null);
        }
        dst.position(dst.limit());
    }

    @Override
    public void force() throws IOException {
        enter();
        writes.lock();
        try {
            store.force();
        } catch (IOException | RuntimeException e) {
            throw failure(StorageException.Operation.FORCE, "cannot force the store", e);
        } finally {
            writes.unlock();
            leave();
        }
    }

    /**
     * Closes the store once the calls under way have returned, or after {@link #CLOSE_WAIT_SECONDS} if they hang;
     * later calls fail. A failure of the store's close is logged: the torrent has stopped by then. Idempotent.
     */
    @Override
    public void close() {
        boolean waited = false;
        try {
            waited = gate.writeLock().tryLock(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (!waited) {
                LOG.log(System.Logger.Level.WARNING, "{0}: closing its store while a call to it is still under way",
                        info.name());
            }
            store.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, info.name() + ": cannot close its store: " + e, e);
        } finally {
            if (waited) {
                gate.writeLock().unlock();
            }
        }
    }

    /** Takes the gate for a call, unless the store is closed. */
    private void enter() throws StorageException {
        gate.readLock().lock();
        if (closed) {
            gate.readLock().unlock();
            throw new StorageException(StorageException.Operation.OPEN, null, "the store of " + info.name()
                    + " is closed", null);
        }
    }

    private void leave() {
        gate.readLock().unlock();
    }

    /** "{what}: {reason}", on one line whatever the store's message holds. */
    private static StorageException failure(StorageException.Operation operation, String what, Exception e) {
        String reason = e instanceof IOException io ? StorageException.reason(io) : e.toString();
        return new StorageException(operation, null, what + ": " + Objects.toString(reason).strip()
                .replaceAll("\\s*\\R\\s*", " "), e);
    }
}
