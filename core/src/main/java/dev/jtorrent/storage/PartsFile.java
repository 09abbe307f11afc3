package dev.jtorrent.storage;

import dev.jtorrent.storage.StorageException.Operation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One torrent's parts file: the bytes of skipped files that pieces of wanted files carry, kept out of the download
 * so that a skipped file is never created. Named {@code .<info hash>.parts} in the download directory, as
 * libtorrent names its part file.
 *
 * <p>The layout is libtorrent's {@code part_file}: a header, then one slot per piece held. The header is, big-endian,
 * the torrent's piece count (u32), its piece length (u32), and for each piece the slot that holds it or -1 (i32),
 * zero-padded to a multiple of 1 KiB. Slot {@code s} starts at {@code header + s × piece length} and keeps the
 * piece's bytes at their offsets inside the piece; the bytes of wanted files in it are never written (holes).
 *
 * <p>A piece's slot is written, then its entry in the header, and both reach the disk at the next {@link #force()}:
 * a crash before it can leave an entry whose slot holds old or no data, which the piece's hash check at the next
 * start finds (pieces held here are always checked then). A slot is freed only after its bytes were moved into
 * place and forced there, and the free itself is forced at once, before the slot can be given to another piece:
 * otherwise a crash could leave two entries naming one slot. A header that does not fit the torrent, or entries
 * that name no slot or the same slot twice, are dropped: what they held is downloaded again.
 *
 * <p>Thread-safe: reads share a lock that writes and frees take alone, so a slot is never reused under a reader.
 */
final class PartsFile {
    /** Entry of a piece that has no slot. */
    private static final int NONE = -1;
    private static final int HEADER_ALIGNMENT = 1024;
    private static final int ATTEMPTS = 8;
    private static final Set<OpenOption> OPEN = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
            StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS);

    private final Path path;
    private final ChannelOpener opener;
    private final int pieceCount;
    private final int pieceLength;
    private final long headerSize;
    /** The slot of each piece, or {@link #NONE}. */
    private final int[] slots;
    private final BitSet usedSlots = new BitSet();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Guards {@link #channel}: readers, who share {@link #lock}, may race to open it. */
    private final ReentrantLock opening = new ReentrantLock();
    private FileChannel channel;
    /** Whether the file on disk has a whole header of ours; if not, the first write lays one down. */
    private boolean headerWritten;
    private boolean unforced;
    /** The file was created since the last force: its name is forced too (a power cut could lose it otherwise). */
    private boolean created;

    private PartsFile(Path path, ChannelOpener opener, int pieceCount, int pieceLength) {
        this.path = path;
        this.opener = opener;
        this.pieceCount = pieceCount;
        this.pieceLength = pieceLength;
        this.headerSize = headerSize(pieceCount);
        this.slots = new int[pieceCount];
        Arrays.fill(slots, NONE);
    }

    /** The size of the header for {@code pieceCount} pieces: two words and a word a piece, rounded up to 1 KiB. */
    static long headerSize(int pieceCount) {
        long bytes = (2L + pieceCount) * Integer.BYTES;
        return (bytes + HEADER_ALIGNMENT - 1) / HEADER_ALIGNMENT * HEADER_ALIGNMENT;
    }

    /**
     * The parts file at {@code path}, with the slots its header lists; none if it does not exist yet or its header
     * does not fit the torrent. Nothing is created until a piece is written.
     */
    static PartsFile open(Path path, ChannelOpener opener, int pieceCount, int pieceLength) throws StorageException {
        PartsFile parts = new PartsFile(path, opener, pieceCount, pieceLength);
        parts.load();
        return parts;
    }

    Path path() {
        return path;
    }

    private void load() throws StorageException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        ByteBuffer header = ByteBuffer.allocate(Math.toIntExact(headerSize));
        try (FileChannel in = opener.open(path, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            while (header.hasRemaining() && in.read(header, header.position()) > 0) {
                // positional reads until the header is in or the file ends
            }
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw StorageException.of(Operation.READ, path, e);
        }
        if (header.hasRemaining()) {
            return; // cut short by a crash before its header was whole: nothing in it can be found
        }
        header.flip();
        if (header.getInt() != pieceCount || header.getInt() != pieceLength) {
            return; // another torrent's layout: overwritten by our first write
        }
        headerWritten = true;
        int[] listed = new int[pieceCount];
        int[] claims = new int[pieceCount];
        for (int piece = 0; piece < pieceCount; piece++) {
            int slot = header.getInt();
            listed[piece] = slot;
            if (slot >= 0 && slot < pieceCount) {
                claims[slot]++;
            }
        }
        for (int piece = 0; piece < pieceCount; piece++) {
            int slot = listed[piece];
            if (slot >= 0 && slot < pieceCount && claims[slot] == 1) {
                slots[piece] = slot;
                usedSlots.set(slot);
            }
        }
    }

    /** The pieces this file holds bytes of. */
    BitSet pieces() {
        lock.readLock().lock();
        try {
            BitSet pieces = new BitSet(pieceCount);
            for (int piece = 0; piece < pieceCount; piece++) {
                if (slots[piece] != NONE) {
                    pieces.set(piece);
                }
            }
            return pieces;
        } finally {
            lock.readLock().unlock();
        }
    }

    boolean holds(int piece) {
        lock.readLock().lock();
        try {
            return slots[piece] != NONE;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Fills {@code dst} from {@code offset} bytes into {@code piece}'s slot; false, with {@code dst} untouched, if
     * the piece has no slot.
     *
     * @throws MissingDataException if the slot ends before the range does (a write lost in a crash)
     */
    boolean read(int piece, int offset, ByteBuffer dst) throws IOException {
        lock.readLock().lock();
        try {
            int slot = slots[piece];
            if (slot == NONE) {
                return false;
            }
            long start = slotOffset(slot) + offset;
            int from = dst.position();
            for (int attempt = 1; ; attempt++) {
                FileChannel in = channel();
                try {
                    while (dst.hasRemaining()) {
                        if (in.read(dst, start + dst.position() - from) < 0) {
                            throw new MissingDataException(path, "cannot read " + path + ": it ends before piece "
                                    + piece + " does");
                        }
                    }
                    return true;
                } catch (ClosedChannelException e) {
                    retryOrThrow(e, attempt, Operation.READ);
                    dst.position(from);
                } catch (MissingDataException e) {
                    throw e;
                } catch (IOException e) {
                    throw StorageException.of(Operation.READ, path, e);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Writes the remaining bytes of {@code src} at {@code offset} into {@code piece}'s slot, taking a slot first. */
    void write(int piece, int offset, ByteBuffer src) throws IOException {
        if (offset < 0 || offset + src.remaining() > pieceLength) {
            throw new IndexOutOfBoundsException("bytes " + offset + " to " + (offset + src.remaining())
                    + " of a piece of " + pieceLength);
        }
        lock.writeLock().lock();
        try {
            if (!headerWritten) {
                writeEmptyHeader();
            }
            boolean fresh = slots[piece] == NONE;
            int slot = fresh ? usedSlots.nextClearBit(0) : slots[piece];
            writeAt(src.slice(), slotOffset(slot) + offset);
            if (fresh) {
                writeEntry(piece, slot);
                slots[piece] = slot;
                usedSlots.set(slot);
            }
            unforced = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Frees {@code piece}'s slot once its bytes are in place (and forced there). The free is forced at once, so that
     * the slot can be given to another piece; the file is deleted when it holds no piece any more.
     */
    void free(int piece) throws IOException {
        lock.writeLock().lock();
        try {
            int slot = slots[piece];
            if (slot == NONE) {
                return;
            }
            writeEntry(piece, NONE);
            slots[piece] = NONE;
            usedSlots.clear(slot);
            forceChannel();
            if (usedSlots.isEmpty()) {
                closeChannel();
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw StorageException.of(Operation.DELETE, path, e);
                }
                headerWritten = false;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Forces what was written since the last force: slots and header entries together. */
    void force() throws IOException {
        lock.writeLock().lock();
        try {
            if (unforced) {
                forceChannel();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    void close() {
        lock.writeLock().lock();
        try {
            closeChannel();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private long slotOffset(int slot) {
        return headerSize + (long) slot * pieceLength;
    }

    /** Lays down a header that lists no piece: every entry -1 (0 would name slot 0). */
    private void writeEmptyHeader() throws IOException {
        created |= !Files.exists(path, LinkOption.NOFOLLOW_LINKS);
        ByteBuffer header = ByteBuffer.allocate(Math.toIntExact(headerSize));
        header.putInt(pieceCount).putInt(pieceLength);
        for (int piece = 0; piece < pieceCount; piece++) {
            header.putInt(NONE);
        }
        header.clear();
        writeAt(header, 0);
        headerWritten = true;
    }

    private void writeEntry(int piece, int slot) throws IOException {
        writeAt(ByteBuffer.allocate(Integer.BYTES).putInt(0, slot), 2L * Integer.BYTES + (long) piece * Integer.BYTES);
    }

    private void writeAt(ByteBuffer src, long position) throws IOException {
        int from = src.position();
        for (int attempt = 1; ; attempt++) {
            FileChannel out = channel();
            try {
                while (src.hasRemaining()) {
                    out.write(src, position + src.position() - from);
                }
                return;
            } catch (ClosedChannelException e) {
                retryOrThrow(e, attempt, Operation.WRITE);
                src.position(from);
            } catch (IOException e) {
                throw StorageException.of(Operation.WRITE, path, e);
            }
        }
    }

    private void forceChannel() throws IOException {
        if (channel != null) {
            try {
                channel.force(false);
            } catch (ClosedByInterruptException e) {
                throw e;
            } catch (IOException e) {
                throw StorageException.of(Operation.FORCE, path, e);
            }
        }
        if (created) {
            OpenFiles.forceDirectory(path.getParent());
            created = false;
        }
        unforced = false;
    }

    /** The open channel, opened (and the file created) first if need be. */
    private FileChannel channel() throws IOException {
        opening.lock();
        try {
            if (channel == null || !channel.isOpen()) {
                try {
                    channel = opener.open(path, OPEN);
                } catch (ClosedByInterruptException e) {
                    throw e;
                } catch (IOException e) {
                    throw StorageException.of(Operation.OPEN, path, e);
                }
            }
            return channel;
        } finally {
            opening.unlock();
        }
    }

    /** An interrupt of another thread closed the channel under this one: reopen and go on, a few times. */
    private void retryOrThrow(ClosedChannelException e, int attempt, Operation operation) throws IOException {
        if (e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
            throw e;
        }
        if (attempt >= ATTEMPTS) {
            throw StorageException.of(operation, path, e);
        }
    }

    private void closeChannel() {
        opening.lock();
        try {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // closing only releases the descriptor: what was written stays written
                }
                channel = null;
            }
        } finally {
            opening.unlock();
        }
    }
}
