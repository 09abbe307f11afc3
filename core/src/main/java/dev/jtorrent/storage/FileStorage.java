package dev.jtorrent.storage;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.storage.StorageException.Operation;

import com.sun.nio.file.ExtendedOpenOption;

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
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A torrent's files under a download root, read and written with {@link FileChannel} positional I/O.
 *
 * <p>Files are created, with their directories, when a piece first touches them, and written at their offsets
 * without being allocated first, so they stay sparse until the download fills them. Pad files are never created.
 * Empty files cover no piece, so {@link #createEmptyFiles()} creates them when the download completes. BEP 47's
 * executable attribute is applied when a file is created; symbolic links are never created. Every path
 * is checked by {@link DownloadRoot}: nothing is written outside the root, and no symbolic link is followed.
 * A bounded number of channels stays open ({@link ChannelCache}).
 *
 * <p>Files have priorities ({@link FilePriority}). A skipped file that is not on disk is parked: it is never created,
 * and the bytes of it that pieces of wanted files carry go to the torrent's {@link PartsFile} instead, until the file
 * is wanted again and they are moved into place ({@link ParkedFiles}).
 *
 * <p>A span that starts and ends on a {@link #DIRECT_ALIGNMENT} boundary of its file, given in direct memory on
 * such a boundary (as the swarm's piece buffers are), is written with direct I/O ({@code O_DIRECT}): the data goes
 * from that memory to the disk without being copied into the page cache, which was the largest single cost of a
 * download after hashing. Anything else, and everything on a file system that refuses direct I/O, is written
 * through the page cache; the first refusal turns direct I/O off for the storage and the span is written again that
 * way, so it never loses a write. Reads always go through the page cache.
 *
 * <p>Several threads may read and write at once: positional I/O needs no shared position, and the few shared
 * structures are guarded by {@link ReentrantLock}s, which virtual threads can wait on without pinning a carrier.
 */
public final class FileStorage implements Storage {
    /** Enough open files for most torrents, far below the usual limit of 1,024 descriptors per process. */
    public static final int DEFAULT_MAX_OPEN_FILES = 64;
    /** Tries of an operation whose channel another thread's interrupt closed under it. */
    private static final int ATTEMPTS = 8;
    private static final byte[] ZEROS = new byte[16 * 1024];
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> WRITE = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
            StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> WRITE_DIRECT = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
            LinkOption.NOFOLLOW_LINKS, ExtendedOpenOption.DIRECT);
    /**
     * File offsets, lengths and memory addresses of direct writes are multiples of this: the block size direct I/O
     * needs on every common file system (and a multiple of the 512 bytes some need).
     */
    static final int DIRECT_ALIGNMENT = 4096;
    /**
     * Room a file system needs for its own blocks (extents, indirect blocks, the journal) beside the data of a
     * write: a write that failed with less than its data plus this free failed for want of space.
     */
    static final long FILE_SYSTEM_SLACK = 1024 * 1024;

    private final DownloadRoot root;
    private final PieceMap map;
    private final ChannelOpener opener;
    private final ChannelCache channels;
    /** Channels opened for direct writes, beside {@link #channels}: direct I/O applies to a whole descriptor. */
    private final ChannelCache directChannels;
    private final UnforcedWrites unforced = new UnforcedWrites();
    /** The files' priorities, and the skipped files whose bytes go to the parts file. */
    private final ParkedFiles parking;
    /** Where bytes moved out of the parts file go: the files in place, written and forced as any other bytes. */
    private final ParkedFiles.InPlace inPlace = new ParkedFiles.InPlace() {
        @Override
        public void write(FileSpan span, ByteBuffer data) throws IOException {
            FileStorage.this.write(span, data);
        }

        @Override
        public void force() throws IOException {
            FileStorage.this.force();
        }
    };
    /** Until the file system first refuses direct I/O. */
    private volatile boolean direct = true;
    private volatile boolean closed;

    FileStorage(Path root, PieceMap map, int maxOpenFiles, ChannelOpener opener) throws StorageException {
        this(root, map, maxOpenFiles, opener, null);
    }

    private FileStorage(Path root, PieceMap map, int maxOpenFiles, ChannelOpener opener, String partsFileName)
            throws StorageException {
        this.root = DownloadRoot.of(root);
        this.map = map;
        this.opener = opener;
        this.channels = new ChannelCache(maxOpenFiles);
        this.directChannels = new ChannelCache(maxOpenFiles);
        this.parking = new ParkedFiles(this.root, map, opener, partsFileName == null ? null : PartsFile.open(
                this.root.resolve(List.of(partsFileName)), opener, map.pieceCount(), map.pieceLength()));
    }

    /**
     * Storage for a torrent's files under {@code root}, which must be an existing directory: a missing one may be
     * an unmounted disk, which should not silently fill up the disk beneath it.
     */
    public static FileStorage open(Path root, PieceMap map, int maxOpenFiles) throws StorageException {
        return new FileStorage(root, map, maxOpenFiles, ChannelOpener.DEFAULT);
    }

    public static FileStorage open(Path root, InfoDictionary info) throws StorageException {
        return open(root, info, ChannelOpener.DEFAULT);
    }

    /** Storage whose files are opened by {@code opener}: for tests that inject disk faults. */
    public static FileStorage open(Path root, InfoDictionary info, ChannelOpener opener) throws StorageException {
        return new FileStorage(root, PieceMap.of(info), DEFAULT_MAX_OPEN_FILES, opener);
    }

    /**
     * Storage for a torrent's files under {@code root} (an existing directory), with a priority for each file:
     * skipped files are parked in the parts file {@link #partsFileName}. Bytes that the parts file holds, from an
     * earlier run, of files not on disk that are wanted now are moved into place first.
     *
     * @param priorities one for each of the torrent's files, pad files included
     * @throws IllegalArgumentException if there are not as many priorities as files
     */
    public static FileStorage open(Path root, InfoDictionary info, InfoHash infoHash, List<FilePriority> priorities,
                                   ChannelOpener opener) throws IOException {
        PieceMap map = PieceMap.of(info);
        FilePriority.checkCount(map, priorities);
        FileStorage storage = new FileStorage(root, map, DEFAULT_MAX_OPEN_FILES, opener, partsFileName(infoHash));
        try {
            storage.parking.open(priorities, storage.inPlace);
        } catch (IOException | RuntimeException e) {
            storage.close();
            throw e;
        }
        return storage;
    }

    /**
     * Storage of a torrent's files that knows its parts file but parks nothing and moves nothing: for listing,
     * moving and deleting the files ({@link #filePaths()}, {@link #deleteFiles()}), which take the parts file along.
     * Not for reading or writing pieces while files are skipped.
     */
    public static FileStorage open(Path root, InfoDictionary info, InfoHash infoHash, ChannelOpener opener)
            throws StorageException {
        return new FileStorage(root, PieceMap.of(info), DEFAULT_MAX_OPEN_FILES, opener, partsFileName(infoHash));
    }

    /** The parts file's name in the download directory, as libtorrent names it: {@code .<info hash>.parts}. */
    public static String partsFileName(InfoHash infoHash) {
        return "." + infoHash.hex() + ".parts";
    }

    /** The real path of the download root. */
    public Path root() {
        return root.path();
    }

    /** Where file {@code fileIndex} of the torrent goes, for showing to people. */
    public Path location(int fileIndex) {
        return root.display(map.files().get(fileIndex).path());
    }

    @Override
    public void writePiece(int piece, ByteBuffer data) throws IOException {
        int size = map.pieceSize(piece);
        if (data.remaining() != size) {
            throw new IllegalArgumentException("piece " + piece + " is " + size + " bytes, not " + data.remaining());
        }
        int offset = data.position();
        for (FileSpan span : map.spans(piece)) {
            ByteBuffer part = data.slice(offset, span.length());
            if (span.padding()) {
                // pad bytes are zeros by definition and never written
            } else if (parking.isParked(span.fileIndex())) {
                parking.write(piece, offset - data.position(), part);
            } else {
                write(span, part);
            }
            offset += span.length();
        }
    }

    @Override
    public void read(int piece, int begin, ByteBuffer dst) throws IOException {
        int start = dst.position();
        int offset = start;
        for (FileSpan span : map.spans(piece, begin, dst.remaining())) {
            ByteBuffer part = dst.slice(offset, span.length());
            if (span.padding()) {
                while (part.hasRemaining()) {
                    part.put(ZEROS, 0, Math.min(ZEROS.length, part.remaining()));
                }
            } else if (!parking.read(piece, begin + offset - start, span, part)) {
                read(span, part);
            }
            offset += span.length();
        }
        dst.position(offset);
    }

    /**
     * Direct memory of at least {@code length} bytes whose first byte is on a {@link #DIRECT_ALIGNMENT} boundary:
     * a piece in it, written whole, goes to the disk with direct I/O where the file system allows it.
     */
    public static ByteBuffer allocateAligned(int length) {
        int rounded = (int) Math.min(Integer.MAX_VALUE - DIRECT_ALIGNMENT,
                ((long) length + DIRECT_ALIGNMENT - 1) / DIRECT_ALIGNMENT * DIRECT_ALIGNMENT);
        return ByteBuffer.allocateDirect(rounded + DIRECT_ALIGNMENT).alignedSlice(DIRECT_ALIGNMENT);
    }

    /** Whether writes still try direct I/O (the file system has not refused it); for tests and diagnostics. */
    boolean writesDirectly() {
        return direct;
    }

    /** Writes one span with positional writes (one call unless the system writes less), retrying a closed channel. */
    private void write(FileSpan span, ByteBuffer src) throws IOException {
        unforced.file(span.fileIndex());
        if (direct && alignedForDirectIo(span, src) && writeDirectly(span, src)) {
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

    private static boolean alignedForDirectIo(FileSpan span, ByteBuffer src) {
        return src.isDirect() && span.fileOffset() % DIRECT_ALIGNMENT == 0 && src.remaining() % DIRECT_ALIGNMENT == 0
                && src.alignmentOffset(src.position(), DIRECT_ALIGNMENT) == 0;
    }

    /**
     * Writes a span with direct I/O; false if the file system refused, with {@code src} as it was, after turning
     * direct I/O off. A real fault (a full disk, a lost permission) is then met again by the buffered write, which
     * reports it with the file's name.
     */
    private boolean writeDirectly(FileSpan span, ByteBuffer src) throws IOException {
        int start = src.position();
        ChannelCache.Handle handle;
        try {
            handle = directChannels.acquire(span.fileIndex(), true, this::openDirectChannel);
        } catch (ClosedByInterruptException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            direct = false;
            return false;
        }
        try {
            while (src.hasRemaining()) {
                handle.channel.write(src, span.fileOffset() + src.position() - start);
            }
            return true;
        } catch (ClosedByInterruptException e) {
            throw e;
        } catch (IOException e) {
            directChannels.invalidate(handle);
            direct = false;
            src.position(start);
            return false;
        } finally {
            directChannels.release(handle);
        }
    }

    private void read(FileSpan span, ByteBuffer dst) throws IOException {
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

    private FileChannel openDirectChannel(int fileIndex, boolean write) throws IOException {
        return openForWriting(fileIndex, WRITE_DIRECT);
    }

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
     * The state of each of the torrent's files, in the torrent's order: pad files, links and files not created yet
     * are {@link FileState#ABSENT}. Symbolic links are not followed.
     *
     * @throws StorageException if a file's attributes cannot be read, or a path leaves the download root
     */
    public List<FileState> fileStates() throws StorageException {
        List<FileState> states = new ArrayList<>(map.files().size());
        for (FileEntry entry : map.files()) {
            if (entry.padding() || entry.symlinkTarget().isPresent()) {
                states.add(FileState.ABSENT);
                continue;
            }
            Path path = root.resolve(entry.path());
            try {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                states.add(attributes.isRegularFile()
                        ? new FileState(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS))
                        : FileState.ABSENT);
            } catch (NoSuchFileException e) {
                states.add(FileState.ABSENT);
            } catch (IOException e) {
                throw StorageException.of(Operation.READ, path, e);
            }
        }
        return states;
    }

    /**
     * Creates the torrent's wanted empty files, which no piece covers, with their directories. Call it when the
     * download completes. Pad files, skipped files and existing files are left alone.
     */
    public void createEmptyFiles() throws IOException {
        List<FilePriority> wanted = parking.priorities();
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

    /**
     * Where each of the torrent's files is, resolved safely (inside the root, through no symbolic link), in the
     * torrent's order; pad files are left out. The parts file comes last, if the storage has one. For moving the
     * files elsewhere.
     *
     * @throws StorageException if a path leaves the root or passes through a symbolic link
     */
    public List<Path> filePaths() throws StorageException {
        List<Path> paths = new ArrayList<>();
        for (FileEntry entry : map.files()) {
            if (!entry.padding()) {
                paths.add(root.resolve(entry.path()));
            }
        }
        parking.partsFile().ifPresent(paths::add);
        return paths;
    }

    /**
     * Deletes the torrent's files (never following a symbolic link, never outside the root), then the directories
     * of the torrent left empty, deepest first. Files not there are skipped; a directory that holds anything else
     * is kept. For removing a torrent with its data; the storage must not be in use.
     *
     * @throws StorageException naming the first file that could not be deleted, after trying every one
     */
    public void deleteFiles() throws StorageException {
        StorageException first = null;
        try {
            parking.deletePartsFile();
        } catch (IOException e) {
            first = e instanceof StorageException storage ? storage
                    : new StorageException(Operation.DELETE, root.path(), "cannot delete the parts file: "
                            + StorageException.reason(e), e);
        }
        TreeSet<Path> directories = new TreeSet<>(
                Comparator.comparingInt(Path::getNameCount).reversed().thenComparing(Path::toString));
        for (FileEntry entry : map.files()) {
            if (entry.padding()) {
                continue;
            }
            try {
                Path path = root.resolve(entry.path());
                Files.deleteIfExists(path);
                for (Path dir = path.getParent(); dir != null && !dir.equals(root.path()); dir = dir.getParent()) {
                    directories.add(dir);
                }
            } catch (StorageException e) {
                first = first == null ? e : first;
            } catch (IOException e) {
                first = first == null ? StorageException.of(Operation.DELETE, root.display(entry.path()), e) : first;
            }
        }
        for (Path dir : directories) {
            try {
                Files.delete(dir);
            } catch (IOException e) {
                // Not empty, or gone: kept as it is.
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public OptionalLong usableSpace() {
        try {
            return OptionalLong.of(opener.usableSpace(root.path()));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void force() throws IOException {
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
        parking.force();
    }

    /** The priority of each of the torrent's files, pad files included. */
    public List<FilePriority> filePriorities() {
        return parking.priorities();
    }

    /**
     * Files skipped now that are not on disk are parked from now on, and parked files wanted now have their bytes
     * moved out of the parts file into place (see {@link ParkedFiles}). Call it where writes run, one at a time with
     * them, so that no piece is written while its file changes place.
     *
     * @throws IllegalArgumentException      if there are not as many priorities as files
     * @throws UnsupportedOperationException if a file is skipped in storage opened without a parts file
     */
    @Override
    public void filePrioritiesChanged(List<FilePriority> next) throws IOException {
        parking.change(next, inPlace);
    }

    /**
     * What the parts file holds, for the start-up check: the bytes it keeps are read from there, and resume data
     * cannot vouch for them.
     */
    public ParkedSpans parkedSpans() {
        return parking.snapshot();
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

    /** Closes the open files. Written data not yet forced is left to the operating system to write. */
    @Override
    public void close() {
        closed = true;
        channels.close();
        directChannels.close();
        parking.close();
    }
}
