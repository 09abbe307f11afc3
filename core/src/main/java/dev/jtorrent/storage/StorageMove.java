package dev.jtorrent.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Moves a torrent's files from one download directory to another so that a crash at any moment loses nothing: each
 * file is renamed (atomic on one file system), or else copied beside its new name, forced to disk, renamed into
 * place and only then deleted where it was, so a file under its final name is always whole. A journal, written and
 * forced before the first file moves and deleted after the last, names both directories; {@link #resume} finishes a
 * move that a crash cut short, and is harmless to run twice.
 */
public final class StorageMove {
    private static final String PARTIAL = ".jtorrent-moving";

    private StorageMove() {
    }

    /**
     * Moves every file of the torrent that exists under {@code from} to the same place under {@code to}.
     *
     * @param journal where to record the move while it runs; empty for no journal (a crash then leaves some files
     *                moved and some not, each whole)
     * @throws StorageException if a file of the torrent is already at the destination (nothing is overwritten;
     *                          nothing is moved then), or a file cannot be moved; the files moved before it stay moved
     *                          and the journal stays, so that {@link #resume} can finish the move
     */
    public static void move(FileStorage from, FileStorage to, Optional<Path> journal) throws IOException {
        List<Path> sources = from.filePaths();
        List<Path> targets = to.filePaths();
        for (int i = 0; i < sources.size(); i++) {
            if (Files.exists(sources.get(i), LinkOption.NOFOLLOW_LINKS)
                    && Files.exists(targets.get(i), LinkOption.NOFOLLOW_LINKS)) {
                throw new StorageException(StorageException.Operation.CREATE, targets.get(i), "cannot move "
                        + sources.get(i) + " to " + targets.get(i) + ": a file is there already", null);
            }
        }
        if (journal.isPresent()) {
            writeJournal(journal.get(), from.root(), to.root());
        }
        moveAll(sources, targets, from.root());
        if (journal.isPresent()) {
            Files.deleteIfExists(journal.get());
        }
    }

    /** A move under way, as its journal records it. */
    public record Journal(Path from, Path to) {
    }

    /**
     * The move that the journal at {@code journal} records as unfinished, if there is one.
     *
     * @throws IOException if the journal cannot be read or is not one
     */
    public static Optional<Journal> unfinished(Path journal) throws IOException {
        if (!Files.exists(journal)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
        if (lines.size() != 2) {
            throw new IOException("the move journal " + journal + " is not one (" + lines.size() + " lines)");
        }
        return Optional.of(new Journal(Path.of(lines.get(0)), Path.of(lines.get(1))));
    }

    /**
     * Finishes a move cut short, as {@link #move} would have: files still at the source go to the destination,
     * a copy left half-made is made again, and a source whose copy is already in place is deleted. Deletes the
     * journal once done.
     */
    public static void resume(FileStorage from, FileStorage to, Path journal) throws IOException {
        moveAll(from.filePaths(), to.filePaths(), from.root());
        Files.deleteIfExists(journal);
    }

    private static void moveAll(List<Path> sources, List<Path> targets, Path fromRoot) throws IOException {
        TreeSet<Path> emptied = new TreeSet<>(Comparator.comparingInt(Path::getNameCount).reversed()
                .thenComparing(Path::toString));
        for (int i = 0; i < sources.size(); i++) {
            Path source = sources.get(i);
            Path target = targets.get(i);
            Path partial = target.resolveSibling(target.getFileName() + PARTIAL);
            Files.deleteIfExists(partial);
            if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                continue; // not downloaded yet, or moved before a crash
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(source); // a copy renamed into place before a crash: the source is left over
            } else {
                Files.createDirectories(target.getParent());
                moveOne(source, target, partial);
            }
            for (Path dir = source.getParent(); dir != null && !dir.equals(fromRoot); dir = dir.getParent()) {
                emptied.add(dir);
            }
        }
        for (Path dir : emptied) {
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                // holds something else, or already gone
            }
        }
    }

    private static void moveOne(Path source, Path target, Path partial) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        } catch (AtomicMoveNotSupportedException e) {
            // Another file system: copy, force, rename, then delete.
        }
        Files.copy(source, partial, StandardCopyOption.COPY_ATTRIBUTES);
        try (FileChannel copy = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            copy.force(true);
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(target.getParent());
        Files.delete(source);
    }

    private static void writeJournal(Path journal, Path from, Path to) throws IOException {
        Files.createDirectories(journal.getParent());
        Path temporary = journal.resolveSibling(journal.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap((from + "\n" + to + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(temporary, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(journal.getParent());
    }

    /** A new name in a directory survives a power cut only once the directory itself is forced. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every file system lets a directory be opened; the rename itself is still atomic.
        }
    }
}
