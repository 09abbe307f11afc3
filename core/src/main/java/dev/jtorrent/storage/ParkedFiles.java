package dev.jtorrent.storage;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.storage.StorageException.Operation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The priorities of a torrent's files, and where the bytes of skipped files go: the parked files' bytes go to the
 * torrent's {@link PartsFile} instead of their place under the download root, until the file is wanted again and
 * they are moved into place.
 *
 * <p>A file is parked while it is skipped and does not exist: it is then never created, and the bytes of it that the
 * pieces of its wanted neighbours carry are kept in the parts file. A skipped file that exists already (it was
 * wanted once, or the user put it there) goes on being written in place, as libtorrent does: moving it into the parts
 * file would cost a copy and spare the user nothing.
 *
 * <p>Reads and writes of parked spans may run on any thread; {@link #change} runs where the torrent's writes run,
 * one at a time with them.
 */
final class ParkedFiles {
    /** A file made whole before it is renamed into place; anything a crash left under its name is overwritten. */
    private static final Set<OpenOption> MOVE_IN = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);

    /** The torrent's files as they are: where the bytes of a file that is on disk go. */
    interface InPlace {
        void write(FileSpan span, ByteBuffer data) throws IOException;

        /** Forces what {@link #write} wrote. */
        void force() throws IOException;
    }

    private final DownloadRoot root;
    private final PieceMap map;
    private final ChannelOpener opener;
    /** Null for storage without a parts file, which cannot skip a file. */
    private final PartsFile parts;
    private volatile List<FilePriority> priorities;
    /** Replaced whole, never changed once published, so that readers need no lock. */
    private volatile BitSet parked = new BitSet();

    ParkedFiles(DownloadRoot root, PieceMap map, ChannelOpener opener, PartsFile parts) {
        this.root = root;
        this.map = map;
        this.opener = opener;
        this.parts = parts;
        this.priorities = FilePriority.allNormal(map.files().size());
    }

    List<FilePriority> priorities() {
        return priorities;
    }

    boolean isParked(int fileIndex) {
        return parked.get(fileIndex);
    }

    ParkedSpans snapshot() {
        return parts == null ? ParkedSpans.none() : new ParkedSpans(parked, parts.pieces());
    }

    /**
     * Fills {@code dst} with a parked span's bytes from the parts file; false if the span is not parked or the parts
     * file does not hold its piece, when the bytes are to be read in place (where they are if the file was unparked
     * meanwhile, or missing if they never came).
     */
    boolean read(int piece, int offsetInPiece, FileSpan span, ByteBuffer dst) throws IOException {
        return isParked(span.fileIndex()) && parts.read(piece, offsetInPiece, dst);
    }

    void write(int piece, int offsetInPiece, ByteBuffer src) throws IOException {
        parts.write(piece, offsetInPiece, src);
    }

    /**
     * The priorities a storage opens with. What the parts file holds from an earlier run of files that are not on
     * disk and not skipped now is moved into place: such a file was parked then, or its move was cut short by a crash
     * (a moved file appears whole or not at all).
     */
    void open(List<FilePriority> next, InPlace files) throws IOException {
        change(next, absentFiles(), files);
    }

    /**
     * New priorities: files skipped now that are not on disk are parked from now on, and parked files wanted now have
     * their bytes moved out of the parts file into place.
     *
     * @throws UnsupportedOperationException if a file is skipped in storage without a parts file
     */
    void change(List<FilePriority> next, InPlace files) throws IOException {
        change(next, (BitSet) parked.clone(), files);
    }

    /**
     * @param movable the files whose bytes in the parts file are theirs to take. A slot holds nothing but holes for
     *                the spans of files that were not parked when it was written, which must never be copied over
     *                their bytes in place.
     */
    private void change(List<FilePriority> next, BitSet movable, InPlace files) throws IOException {
        FilePriority.checkCount(map, next);
        next = List.copyOf(next);
        if (parts == null) {
            if (next.contains(FilePriority.SKIP)) {
                throw new UnsupportedOperationException("this storage has no parts file, so it cannot skip a file");
            }
            priorities = next;
            return;
        }
        // A parked file is never created, but the user may create it: it stays parked all the same.
        BitSet parkable = absentFiles();
        parkable.or(parked);
        BitSet keep = new BitSet();
        for (int i = parkable.nextSetBit(0); i >= 0; i = parkable.nextSetBit(i + 1)) {
            if (!next.get(i).wanted()) {
                keep.set(i);
            }
        }
        priorities = next;
        settle(keep, movable, files);
    }

    /**
     * Parks exactly {@code keep} from now on. The bytes the parts file holds of the {@code movable} files not kept
     * are moved into place and forced there, a file at a time; only then do those files read in place, and the
     * slots that hold no parked bytes any more go. A crash midway so leaves the bytes in both places, never in
     * neither.
     */
    private void settle(BitSet keep, BitSet movable, InPlace files) throws IOException {
        BitSet move = (BitSet) movable.clone();
        move.andNot(keep);
        BitSet during = (BitSet) parked.clone();
        // Newly parked files take their next bytes at once; unparked ones read from the slots until moved.
        during.or(keep);
        parked = during;
        BitSet held = parts.pieces();
        for (int file = move.nextSetBit(0); file >= 0; file = move.nextSetBit(file + 1)) {
            moveIntoPlace(file, held, files);
        }
        parked = (BitSet) keep.clone();
        for (int piece = held.nextSetBit(0); piece >= 0; piece = held.nextSetBit(piece + 1)) {
            if (!holdsParkedBytes(piece, keep)) {
                parts.free(piece);
            }
        }
    }

    /**
     * Copies what the parts file holds of one file into place. It holds the file's first and last piece at most,
     * which it shares with wanted neighbours, and the pieces between only if they were in flight when the file was
     * skipped: a few pieces' worth of memory.
     */
    private void moveIntoPlace(int file, BitSet held, InPlace files) throws IOException {
        FileEntry entry = map.files().get(file);
        if (entry.length() == 0) {
            return;
        }
        List<FileSpan> spans = new ArrayList<>(2);
        List<ByteBuffer> bytes = new ArrayList<>(2);
        int first = (int) (entry.offset() / map.pieceLength());
        int last = (int) ((entry.end() - 1) / map.pieceLength());
        for (int piece = held.nextSetBit(first); piece >= 0 && piece <= last; piece = held.nextSetBit(piece + 1)) {
            int offset = 0;
            for (FileSpan span : map.spans(piece)) {
                if (span.fileIndex() == file) {
                    ByteBuffer part = ByteBuffer.allocate(span.length());
                    if (readHeld(piece, offset, part)) {
                        spans.add(span);
                        bytes.add(part.flip());
                    }
                }
                offset += span.length();
            }
        }
        if (spans.isEmpty()) {
            return;
        }
        Path target = root.resolve(entry.path());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            for (int i = 0; i < spans.size(); i++) {
                files.write(spans.get(i), bytes.get(i));
            }
            files.force();
        } else {
            create(entry, target, spans, bytes);
        }
    }

    /** Reads a span from its slot; false if the slot ends before it (its write was lost in a crash). */
    private boolean readHeld(int piece, int offset, ByteBuffer part) throws IOException {
        try {
            return parts.read(piece, offset, part);
        } catch (MissingDataException e) {
            return false; // nothing to move: the piece is checked, and fetched again, like any other missing data
        }
    }

    /**
     * Creates a file with these bytes in it, forced: made whole under a temporary name beside it, then renamed into
     * place, so that it exists only once all of them are in it. After a crash midway it is still absent and the
     * bytes still in the parts file, and the next start moves them again.
     */
    private void create(FileEntry entry, Path target, List<FileSpan> spans, List<ByteBuffer> bytes)
            throws IOException {
        List<String> temporaryPath = new ArrayList<>(entry.path());
        temporaryPath.set(temporaryPath.size() - 1, "." + temporaryPath.getLast() + ".jtorrent-move");
        Path temporary = root.resolve(temporaryPath);
        Set<Path> changed = new HashSet<>();
        root.createParents(target, changed);
        try (FileChannel channel = opener.open(temporary, MOVE_IN)) {
            for (int i = 0; i < spans.size(); i++) {
                ByteBuffer src = bytes.get(i);
                while (src.hasRemaining()) {
                    channel.write(src, spans.get(i).fileOffset() + src.position());
                }
            }
            channel.force(false);
        } catch (IOException e) {
            throw StorageException.of(Operation.WRITE, temporary, e);
        }
        if (entry.executable()) {
            DownloadRoot.makeExecutable(temporary);
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw StorageException.of(Operation.CREATE, target, e);
        }
        changed.add(target.getParent());
        for (Path directory : changed) {
            OpenFiles.forceDirectory(directory);
        }
    }

    private boolean holdsParkedBytes(int piece, BitSet keep) {
        for (FileSpan span : map.spans(piece)) {
            if (!span.padding() && keep.get(span.fileIndex())) {
                return true;
            }
        }
        return false;
    }

    /** The files, pad files and links aside, that are not on disk. */
    private BitSet absentFiles() throws StorageException {
        BitSet absent = new BitSet();
        for (int i = 0; i < map.files().size(); i++) {
            FileEntry entry = map.files().get(i);
            if (!entry.padding() && entry.symlinkTarget().isEmpty()
                    && !Files.exists(root.resolve(entry.path()), LinkOption.NOFOLLOW_LINKS)) {
                absent.set(i);
            }
        }
        return absent;
    }

    /** The parts file's path, if the storage has one (whether or not it exists). */
    Optional<Path> partsFile() {
        return parts == null ? Optional.empty() : Optional.of(parts.path());
    }

    /** Deletes the parts file, with the torrent's other files. */
    void deletePartsFile() throws IOException {
        if (parts != null) {
            parts.close();
            Files.deleteIfExists(parts.path());
        }
    }

    void force() throws IOException {
        if (parts != null) {
            parts.force();
        }
    }

    void close() {
        if (parts != null) {
            parts.close();
        }
    }
}
