package dev.jtorrent.storage;

import java.io.IOException;
import java.io.Serial;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A disk operation on a torrent's data failed: which file, what was being done, and why, in one sentence such as
 * "cannot write /data/x.iso: No space left on device". A torrent that gets one stops with that error, unless it
 * {@linkplain #isOutOfSpace() ran out of space}, when it pauses; it is never a reason to blame a peer or to download
 * again.
 */
public class StorageException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** What storage was doing when it failed. */
    public enum Operation {
        /** checking that a path stays inside the download root and passes through no symbolic link */
        RESOLVE("use"),
        CREATE("create"),
        OPEN("open"),
        READ("read"),
        WRITE("write"),
        FORCE("force to disk"),
        CLOSE("close"),
        DELETE("delete");

        private final String verb;

        Operation(String verb) {
            this.verb = verb;
        }

        public String verb() {
            return verb;
        }
    }

    private final transient Path file;
    private final Operation operation;
    private final boolean outOfSpace;

    public StorageException(Operation operation, Path file, String message, Throwable cause) {
        this(operation, file, message, cause, false);
    }

    /** @param outOfSpace whether the storage found no room left for what failed (see {@link #isOutOfSpace}) */
    public StorageException(Operation operation, Path file, String message, Throwable cause, boolean outOfSpace) {
        super(message, cause);
        this.operation = operation;
        this.file = file;
        this.outOfSpace = outOfSpace;
    }

    /** "cannot {verb} {file}: {reason}", the reason taken from the cause. */
    static StorageException of(Operation operation, Path file, IOException cause) {
        return of(operation, file, cause, false);
    }

    static StorageException of(Operation operation, Path file, IOException cause, boolean outOfSpace) {
        return new StorageException(operation, file,
                "cannot " + operation.verb() + " " + file + ": " + reason(cause), cause, outOfSpace);
    }

    /** The file involved, absent when the storage has no files (memory). */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    public Operation operation() {
        return operation;
    }

    /**
     * Whether the storage had no room left when this failed: a condition that passes when space is freed, unlike a
     * broken disk or a lost permission. The storage decides it by the free space it finds after the failure, never
     * by the message, which is in the system's language.
     */
    public boolean isOutOfSpace() {
        return outOfSpace;
    }

    /** Whether {@code e}, or an exception it wraps, is a {@link StorageException} that {@link #isOutOfSpace}. */
    public static boolean outOfSpace(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StorageException storage && storage.isOutOfSpace()) {
                return true;
            }
        }
        return false;
    }

    /** The cause in a few words: a file system exception's message repeats the path, so take its reason. */
    public static String reason(IOException cause) {
        if (cause instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        if (cause instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (cause instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (cause instanceof java.nio.file.FileAlreadyExistsException) {
            return "already exists";
        }
        if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
            return cause.getMessage();
        }
        return cause.getClass().getSimpleName();
    }
}
