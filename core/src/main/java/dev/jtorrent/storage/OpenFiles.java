package dev.jtorrent.storage;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.storage.StorageException.Operation;

import java.io.File;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A torrent's files as channels, for reading and writing spans of them: each file is opened when first used, through
 * the {@link DownloadRoot}, and for writing created then, with its directories; at most a bounded number stay open
 * ({@link ChannelCache}). Spans are written and read with
 * positional I/O, direct I/O first where {@link DirectWrites} can; and {@link #force()} forces what was written since
 * the last force, the files and then the directories that gained entries.
 *
 * <p>An interrupt of any thread in a channel operation closes the channel for every thread (a {@link FileChannel}
 * rule), so the other threads reopen it and go on. Several threads may read and write at once: positional I/O needs
 * no shared position.
 */
final class OpenFiles {
    /** Tries of an operation whose channel another thread's interrupt closed under it. */
    private static final int ATTEMPTS = 8;
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> WRITE = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
            StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS);
    /**
     * Room a file system needs for its own blocks (extents, indirect blocks, the journal) beside the data of a
     * write: a write that failed with less than its data plus this free failed for want of space.
     */
    static final long FILE_SYSTEM_SLACK = 1024 * 1024;

    private final DownloadRoot root;
    private final PieceMap map;
    private final ChannelOpener opener;
    private final ChannelCache channels;
    private final DirectWrites direct;
    private final UnforcedWrites unforced = new UnforcedWrites();
    private volatile boolean closed;

    OpenFiles(DownloadRoot root, PieceMap map, int maxOpenFiles, ChannelOpener opener) {
        this.root = root;
        this.map = map;
        this.opener = opener;
        this.channels = new ChannelCache(maxOpenFiles);
        this.direct = new DirectWrites(maxOpenFiles, this::openForWriting);
    }

    /** Where file {@code fileIndex} of the torrent goes, for messages. */
    Path location(int fileIndex) {
        return root.display(map.files().get(fileIndex).path());
    }

    /** Whether writes still try direct I/O (the file system has not refused it). */
    boolean writesDirectly() {
        return direct.enabled();
    }

    /** Writes one span with positional writes (one call unless the system writes less), retrying a closed channel. */
    void write(FileSpan span, ByteBuffer src) throws IOException {
        unforced.file(span.fileIndex());
        if (direct.write(span, src)) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            ChannelCache.Handle handle = acquire(span.fileIndex(), true);
            try {
                while (src.hasRemaining()) {
                    handle.channel.write(src, span.fileOffset() + src.position());
                }
                return;
            } catch (ClosedChannelException e) {
                retryOrThrow(handle, e, attempt, Operation.WRITE);
            } catch (IOException e) {
                throw failed(Operation.WRITE, location(span.fileIndex()), e, src.remaining());
            } finally {
                channels.release(handle);
            }
        }
    }

    /**
     * Fills {@code dst} from one span, retrying a closed channel.
     *
     * @throws MissingDataException if the file does not exist or ends before the span does
     */
    void read(FileSpan span, ByteBuffer dst) throws IOException {
        for (int attempt = 1; ; attempt++) {
            ChannelCache.Handle handle = acquire(span.fileIndex(), false);
            try {
                while (dst.hasRemaining()) {
                    long position = span.fileOffset() + dst.position();
                    if (handle.channel.read(dst, position) < 0) {
                        Path file = location(span.fileIndex());
                        throw new MissingDataException(file, "cannot read " + file + ": it ends at "
                                + handle.channel.size() + " bytes, before byte " + (span.fileOffset() + span.length()));
                    }
                }
                return;
            } catch (ClosedChannelException e) {
                retryOrThrow(handle, e, attempt, Operation.READ);
            } catch (StorageException e) {
                throw e;
            } catch (IOException e) {
                throw StorageException.of(Operation.READ, location(span.fileIndex()), e);
            } finally {
                channels.release(handle);
            }
        }
    }

    /**
     * The exception for a write or force that failed, marked {@linkplain StorageException#isOutOfSpace out of
     * space} when the file system has less room left than the operation needed, plus {@link #FILE_SYSTEM_SLACK} for
     * the file system's own blocks. The free space decides, not the message: Java gives no error code, and the
     * message is in the system's language ("Auf dem Gerät ist kein Speicherplatz mehr verfügbar" in German). A
     * quota that is full (EDQUOT) leaves the disk's free space as it was, so it is not told apart from other faults.
     */
    private StorageException failed(Operation operation, Path file, IOException cause, long needed) {
        boolean full;
        try {
            full = opener.usableSpace(root.path()) < needed + FILE_SYSTEM_SLACK;
        } catch (IOException | RuntimeException e) {
            full = false; // the free space cannot be known: report the fault as it is
        }
        return StorageException.of(operation, file, cause, full);
    }

    /**
     * An interrupt of any thread in a channel operation closes the channel for all (a {@link FileChannel} rule), so
     * the other threads reopen it and go on; the interrupted thread stops with the exception.
     */
    private void retryOrThrow(ChannelCache.Handle handle, ClosedChannelException e, int attempt, Operation operation)
            throws IOException {
        channels.invalidate(handle);
        if (e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
            throw e;
        }
        if (closed) {
            throw new IOException("storage is closed", e);
        }
        if (attempt >= ATTEMPTS) {
            throw StorageException.of(operation, location(handle.fileIndex), e);
        }
    }

    private ChannelCache.Handle acquire(int fileIndex, boolean write) throws IOException {
        try {
            return channels.acquire(fileIndex, write, this::openChannel);
        } catch (StorageException e) {
            throw e;
        } catch (ClosedByInterruptException e) {
            throw e;
        } catch (IOException e) {
            if (closed) {
                throw e;
            }
            throw StorageException.of(Operation.OPEN, location(fileIndex), e);
        }
    }

    /** Called by the cache under its lock: resolves the path safely, and for writing creates it. */
    private FileChannel openChannel(int fileIndex, boolean write) throws IOException {
        if (!write) {
            Path path = root.resolve(map.files().get(fileIndex).path());
            try {
                return opener.open(path, READ);
            } catch (NoSuchFileException e) {
                throw new MissingDataException(path, "cannot read " + path + ": it does not exist yet");
            }
        }
        return openForWriting(fileIndex, WRITE);
    }

    /**
     * Opens a file for writing, creating it and its directories if need be; a new file's directory, and every
     * directory created, is to be forced with the file.
     */
    private FileChannel openForWriting(int fileIndex, Set<OpenOption> options) throws IOException {
        FileEntry entry = map.files().get(fileIndex);
        Path path = root.resolve(entry.path());
        Set<Path> changed = new HashSet<>();
        root.createParents(path, changed);
        boolean created = !Files.exists(path, LinkOption.NOFOLLOW_LINKS);
        FileChannel channel = opener.open(path, options);
        if (created) {
            changed.add(path.getParent());
            if (entry.executable()) {
                DownloadRoot.makeExecutable(path);
            }
        }
        unforced.directories(changed);
        return channel;
    }

    /**
     * Creates the torrent's wanted empty files, which no piece covers, with their directories. Pad files, skipped
     * files and existing files are left alone.
     *
     * @param wanted the priority of each of the torrent's files, pad files included
     */
    void createEmptyFiles(List<FilePriority> wanted) throws IOException {
        for (int i = 0; i < map.files().size(); i++) {
            FileEntry entry = map.files().get(i);
            if (entry.length() != 0 || entry.padding() || entry.symlinkTarget().isPresent()
                    || !wanted.get(i).wanted()) {
                continue; // jtorrent never creates links, so a BEP 47 symlink is left out
            }
            Path path = root.resolve(entry.path());
            Set<Path> changed = new HashSet<>();
            root.createParents(path, changed);
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    opener.open(path, WRITE).close();
                } catch (IOException e) {
                    throw StorageException.of(Operation.CREATE, path, e);
                }
                changed.add(path.getParent());
                if (entry.executable()) {
                    DownloadRoot.makeExecutable(path);
                }
            }
            unforced.directories(changed);
        }
    }

    /** Forces the files written and the directories changed since the last force; what fails is tried next time. */
    void force() throws IOException {
        UnforcedWrites.Batch batch = unforced.take();
        try {
            while (!batch.files().isEmpty()) {
                forceFile(batch.files().first());
                batch.files().remove(batch.files().first());
            }
            while (!batch.directories().isEmpty()) {
                forceDirectory(batch.directories().first());
                batch.directories().remove(batch.directories().first());
            }
        } finally {
            unforced.putBack(batch); // whatever was not forced must be forced next time
        }
    }

    /** Data only (fdatasync): that includes the file's size, which reading the data back needs. */
    private void forceFile(int fileIndex) throws IOException {
        ChannelCache.Handle handle = acquire(fileIndex, true);
        try {
            handle.channel.force(false);
        } catch (ClosedByInterruptException e) {
            throw e;
        } catch (IOException e) {
            // A force writes what the page cache holds for the file: at least a piece's worth since the last one.
            throw failed(Operation.FORCE, location(fileIndex), e, map.pieceLength());
        } finally {
            channels.release(handle);
        }
    }

    /** A new file's name lives in its directory, which must be forced too or a power cut can lose the file. */
    static void forceDirectory(Path directory) throws IOException {
        if (File.separatorChar == '\\') {
            return; // Windows cannot open a directory as a channel; NTFS journals the entry itself
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw StorageException.of(Operation.FORCE, directory, e);
        }
    }

    /** Closes the channels not in use, and the rest as their users release them. */
    void close() {
        closed = true;
        channels.close();
        direct.close();
    }
}
