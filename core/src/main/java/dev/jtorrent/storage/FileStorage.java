package dev.jtorrent.storage;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InfoHash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
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
 * <p>A span that starts and ends on a {@link DirectWrites#ALIGNMENT} boundary of its file, given in direct memory on
 * such a boundary (as the swarm's piece buffers are), is written with direct I/O ({@code O_DIRECT}): the data goes
 * from that memory to the disk without being copied into the page cache, which was the largest single cost of a
 * download after hashing. Anything else, and everything on a file system that refuses direct I/O, is written
 * through the page cache; the first refusal turns direct I/O off for the storage and the span is written again that
 * way, so it never loses a write. Reads always go through the page cache.
 *
 * <p>This class cuts pieces into file spans and sends each where it goes: pad bytes nowhere, a parked file's to the
 * parts file, the rest to the files in place ({@link OpenFiles}, which opens, creates, writes, reads and forces
 * them, with {@link DirectWrites}). Whole-file work (states, paths, deletion) is {@link FilesOnDisk}'s.
 *
 * <p>Several threads may read and write at once: positional I/O needs no shared position, and the few shared
 * structures are guarded by {@link ReentrantLock}s, which virtual threads can wait on without pinning a carrier.
 */
public final class FileStorage implements Storage {
    /** Enough open files for most torrents, far below the usual limit of 1,024 descriptors per process. */
    public static final int DEFAULT_MAX_OPEN_FILES = 64;
    private static final byte[] ZEROS = new byte[16 * 1024];

    private final DownloadRoot root;
    private final PieceMap map;
    private final ChannelOpener opener;
    /** The files in place: where the bytes of every file that is not parked are read and written. */
    private final OpenFiles files;
    /** The files' priorities, and the skipped files whose bytes go to the parts file. */
    private final ParkedFiles parking;
    private final FilesOnDisk onDisk;
    /** Where bytes moved out of the parts file go: the files in place, written and forced as any other bytes. */
    private final ParkedFiles.InPlace inPlace = new ParkedFiles.InPlace() {
        @Override
        public void write(FileSpan span, ByteBuffer data) throws IOException {
            files.write(span, data);
        }

        @Override
        public void force() throws IOException {
            FileStorage.this.force();
        }
    };

    FileStorage(Path root, PieceMap map, int maxOpenFiles, ChannelOpener opener) throws StorageException {
        this(root, map, maxOpenFiles, opener, null);
    }

    private FileStorage(Path root, PieceMap map, int maxOpenFiles, ChannelOpener opener, String partsFileName)
            throws StorageException {
        this.root = DownloadRoot.of(root);
        this.map = map;
        this.opener = opener;
        this.files = new OpenFiles(this.root, map, maxOpenFiles, opener);
        this.parking = new ParkedFiles(this.root, map, opener, partsFileName == null ? null : PartsFile.open(
                this.root.resolve(List.of(partsFileName)), opener, map.pieceCount(), map.pieceLength()));
        this.onDisk = new FilesOnDisk(this.root, map, parking);
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
        return files.location(fileIndex);
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
                files.write(span, part);
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
                files.read(span, part);
            }
            offset += span.length();
        }
        dst.position(offset);
    }

    /**
     * Direct memory of at least {@code length} bytes whose first byte is on a {@link DirectWrites#ALIGNMENT}
     * boundary: a piece in it, written whole, goes to the disk with direct I/O where the file system allows it.
     */
    public static ByteBuffer allocateAligned(int length) {
        return DirectWrites.allocateAligned(length);
    }

    /** Whether writes still try direct I/O (the file system has not refused it); for tests and diagnostics. */
    boolean writesDirectly() {
        return files.writesDirectly();
    }

    /**
     * The state of each of the torrent's files, in the torrent's order: pad files, links and files not created yet
     * are {@link FileState#ABSENT}. Symbolic links are not followed.
     *
     * @throws StorageException if a file's attributes cannot be read, or a path leaves the download root
     */
    public List<FileState> fileStates() throws StorageException {
        return onDisk.states();
    }

    /**
     * Creates the torrent's wanted empty files, which no piece covers, with their directories. Call it when the
     * download completes. Pad files, skipped files and existing files are left alone.
     */
    public void createEmptyFiles() throws IOException {
        files.createEmptyFiles(parking.priorities());
    }

    /**
     * Where each of the torrent's files is, resolved safely (inside the root, through no symbolic link), in the
     * torrent's order; pad files are left out. The parts file comes last, if the storage has one. For moving the
     * files elsewhere.
     *
     * @throws StorageException if a path leaves the root or passes through a symbolic link
     */
    public List<Path> filePaths() throws StorageException {
        return onDisk.paths();
    }

    /**
     * Deletes the torrent's files (never following a symbolic link, never outside the root), then the directories
     * of the torrent left empty, deepest first. Files not there are skipped; a directory that holds anything else
     * is kept. For removing a torrent with its data; the storage must not be in use.
     *
     * @throws StorageException naming the first file that could not be deleted, after trying every one
     */
    public void deleteFiles() throws StorageException {
        onDisk.delete();
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
        files.force();
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

    /** Closes the open files. Written data not yet forced is left to the operating system to write. */
    @Override
    public void close() {
        files.close();
        parking.close();
    }
}
