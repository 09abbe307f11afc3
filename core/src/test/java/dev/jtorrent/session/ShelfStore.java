package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An embedder's {@link PieceStore} as a test writes one, for one torrent: pieces in memory on a shelf that every
 * store its factory opens shares, so a resumed torrent finds what it had. It records what the session asked of it,
 * and notes every call that breaks the promises {@link PieceStore} makes about threads (two writes or forces at
 * once, a call to a closed store, a second close), for a test to check that there were none. Faults are set by the
 * test.
 */
final class ShelfStore implements PieceStore.Factory {
    /** The pieces kept, by index. */
    final Map<Integer, byte[]> shelf = new ConcurrentHashMap<>();
    /** Every piece written, in order. */
    final List<Integer> written = Collections.synchronizedList(new ArrayList<>());
    /** The piece of every read, in order. */
    final List<Integer> read = Collections.synchronizedList(new ArrayList<>());
    final List<String> misuse = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final AtomicInteger forced = new AtomicInteger();
    final List<Torrent> deleted = Collections.synchronizedList(new ArrayList<>());
    /** Set: every write fails with this message. */
    volatile Optional<String> failWrites = Optional.empty();
    /** Set: every open fails with this message. */
    volatile Optional<String> failOpen = Optional.empty();
    /** Set: every delete fails with this message. */
    volatile Optional<String> failDelete = Optional.empty();

    /** Puts piece {@code piece} of {@code content} (the torrent's bytes end to end) on the shelf. */
    void hold(Torrent torrent, byte[] content, int piece) {
        long start = (long) piece * torrent.info().pieceLength();
        byte[] bytes = new byte[torrent.info().pieceSize(piece)];
        System.arraycopy(content, Math.toIntExact(start), bytes, 0, bytes.length);
        shelf.put(piece, bytes);
    }

    @Override
    public PieceStore open(Torrent torrent) throws IOException {
        opened.incrementAndGet();
        if (failOpen.isPresent()) {
            throw new IOException(failOpen.get());
        }
        return new Opened();
    }

    @Override
    public void delete(Torrent torrent) throws IOException {
        if (failDelete.isPresent()) {
            throw new IOException(failDelete.get());
        }
        deleted.add(torrent);
        shelf.clear();
    }

    /** One opening of the shelf. */
    private final class Opened implements PieceStore {
        private final AtomicBoolean writing = new AtomicBoolean();
        private final AtomicBoolean isClosed = new AtomicBoolean();

        @Override
        public boolean has(int piece) {
            checkOpen("has");
            return shelf.containsKey(piece);
        }

        @Override
        public void writePiece(int piece, ByteBuffer data) throws IOException {
            checkOpen("writePiece");
            alone("writePiece", () -> {
                if (failWrites.isPresent()) {
                    throw new IOException(failWrites.get());
                }
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                shelf.put(piece, bytes);
                written.add(piece);
            });
        }

        @Override
        public void read(int piece, int offset, ByteBuffer destination) throws IOException {
            checkOpen("read");
            byte[] bytes = shelf.get(piece);
            if (bytes == null) {
                throw new IOException("piece " + piece + " is not on the shelf");
            }
            read.add(piece);
            destination.put(bytes, offset, destination.remaining());
        }

        @Override
        public void force() throws IOException {
            checkOpen("force");
            alone("force", forced::incrementAndGet);
        }

        @Override
        public void close() {
            if (!isClosed.compareAndSet(false, true)) {
                misuse.add("closed twice");
            }
            closed.incrementAndGet();
        }

        private void checkOpen(String call) {
            if (isClosed.get()) {
                misuse.add(call + " after close");
            }
        }

        /** Runs a write or a force, noting it if another was under way. */
        private void alone(String call, IoAction action) throws IOException {
            if (!writing.compareAndSet(false, true)) {
                misuse.add(call + " during another write or force");
            }
            try {
                action.run();
            } finally {
                writing.set(false);
            }
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }
}
