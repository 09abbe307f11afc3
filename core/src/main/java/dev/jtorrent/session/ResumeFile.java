package dev.jtorrent.session;

import dev.jtorrent.storage.ChannelOpener;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One torrent's resume file, always a whole old or a whole new copy: a save writes a temporary file beside it,
 * forces it, renames it over the old one and forces the directory, so that a crash or a power cut at any moment
 * leaves one or the other. Saves come from the disk pool and, at the end, from the swarm's thread; a save older
 * than the last one written is dropped, so an old snapshot never replaces a newer one.
 */
final class ResumeFile {
    private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING);

    private final Path path;
    private final Path temporary;
    private final ChannelOpener opener;
    private final ReentrantLock lock = new ReentrantLock();
    private long lastSequence = Long.MIN_VALUE;

    ResumeFile(Path path, ChannelOpener opener) {
        this.path = path;
        this.temporary = path.resolveSibling(path.getFileName() + ".tmp");
        this.opener = opener;
    }

    ResumeFile(Path path) {
        this(path, ChannelOpener.DEFAULT);
    }

    Path path() {
        return path;
    }

    /**
     * Deletes the resume file, for a torrent removed from its session; a file that cannot be deleted only means a
     * check at the next add, so the failure is logged, not thrown.
     */
    void delete() {
        lock.lock();
        try {
            Files.deleteIfExists(path);
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            System.getLogger(ResumeFile.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot delete resume file {0}: {1}", path, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The saved data, or empty if there is no resume file.
     *
     * @throws ResumeData.InvalidResumeDataException if the file is too big or not valid resume data
     * @throws IOException                            if it cannot be read
     */
    Optional<ResumeData> load() throws IOException, ResumeData.InvalidResumeDataException {
        byte[] bytes;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > ResumeData.MAX_SIZE) {
                throw new ResumeData.InvalidResumeDataException("it is " + size + " bytes, more than any resume file");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // until full, or the file shrank under us
            }
            bytes = buffer.hasRemaining() ? Arrays.copyOf(buffer.array(), buffer.position())
                    : buffer.array();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(ResumeData.parse(bytes));
    }

    /**
     * Replaces the resume file with {@code data}, unless a save with a higher {@code sequence} came first.
     * Returns only once the new copy is forced to disk under the file's name.
     */
    void save(long sequence, ResumeData data) throws IOException {
        byte[] bytes = data.encode();
        lock.lock();
        try {
            if (sequence <= lastSequence) {
                return;
            }
            writeAtomically(path, temporary, bytes, opener);
            lastSequence = sequence;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replaces {@code path} with {@code bytes}, whole or not at all: written to {@code temporary}, forced, renamed
     * over {@code path}, and the directory forced. Returns once the new copy is on disk under its name.
     */
    static void writeAtomically(Path path, Path temporary, byte[] bytes, ChannelOpener opener) throws IOException {
        Files.createDirectories(path.getParent());
        try (FileChannel channel = opener.open(temporary, CREATE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(path.getParent());
    }

    /** A rename lives in the directory, which must be forced too or a power cut can undo it. */
    private static void forceDirectory(Path directory) throws IOException {
        if (File.separatorChar == '\\') {
            return; // Windows cannot open a directory as a channel; NTFS journals the rename itself
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
