package dev.jtorrent.storage;

import dev.jtorrent.storage.StorageException.Operation;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renames one of a torrent's files under its download root, for a rename of a file or a folder of the torrent: every
 * path resolved by {@link DownloadRoot} (plain names, inside the root, through no symbolic link), nothing ever
 * overwritten, and each file under its old name or its new one whatever moment a crash comes.
 *
 * <p>A file gets its new name as a hard link first, which fails if the name is taken (where {@code rename(2)} would
 * silently replace what is there), and then loses its old one; the new name's directory is forced in between, so
 * that a power cut cannot lose both names. A crash between the two leaves both names on the one file, which {@link
 * #finish} tells from two different files and completes. Where hard links are not supported (FAT, some network file
 * systems) the file is moved with an atomic rename after checking that the new name is free.
 */
public final class FileRename {
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private FileRename() {
    }

    /**
     * Whether {@code to} can be given to a file under {@code root}: nothing is there yet, nor at any directory on the
     * way that is not one.
     *
     * @throws StorageException if the path is not a plain one inside the root
     */
    public static boolean free(Path root, List<String> to) throws StorageException {
        return !Files.exists(DownloadRoot.of(root).resolve(to), NO_FOLLOW);
    }

    /**
     * Gives the file at {@code from} the path {@code to}, creating the directories it needs.
     *
     * @return false if there was no file at {@code from} (not created yet: nothing to rename)
     * @throws StorageException if something is at {@code to} already, or a file system operation fails
     */
    public static boolean rename(Path root, List<String> from, List<String> to) throws StorageException {
        DownloadRoot downloads = DownloadRoot.of(root);
        Path source = downloads.resolve(from);
        Path target = downloads.resolve(to);
        if (!Files.exists(source, NO_FOLLOW)) {
            return false;
        }
        if (Files.exists(target, NO_FOLLOW)) {
            throw new StorageException(Operation.CREATE, target, "cannot rename " + source + " to " + target
                    + ": something is there already, and is not overwritten", null);
        }
        Set<Path> changed = new HashSet<>();
        downloads.createParents(target, changed);
        try {
            boolean linked;
            try {
                Files.createLink(target, source);
                linked = true;
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | IOException e) {
                linked = false; // no hard links on this file system: an atomic rename instead
            }
            if (linked) {
                OpenFiles.forceDirectory(target.getParent());
                Files.delete(source);
            } else {
                move(source, target);
            }
            for (Path directory : changed) {
                OpenFiles.forceDirectory(directory);
            }
            OpenFiles.forceDirectory(source.getParent());
        } catch (StorageException e) {
            throw e;
        } catch (FileAlreadyExistsException e) {
            throw new StorageException(Operation.CREATE, target, "cannot rename " + source + " to " + target
                    + ": something is there already, and is not overwritten", e);
        } catch (IOException e) {
            throw StorageException.of(Operation.CREATE, target, e);
        }
        return true;
    }

    /** An atomic rename, after checking that the target is free (the rename itself would replace it). */
    private static void move(Path source, Path target) throws IOException {
        if (Files.exists(target, NO_FOLLOW)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target);
        }
        OpenFiles.forceDirectory(target.getParent());
    }

    /**
     * Completes a rename that a crash may have cut short: the file is moved if it still has only its old name, its
     * old name removed if it has both; nothing is done if it has only its new one, or if the two names are two
     * different files (then the file at {@code to} is the torrent's, and the other is left alone).
     *
     * @return whether there was anything to do
     */
    public static boolean finish(Path root, List<String> from, List<String> to) throws StorageException {
        DownloadRoot downloads = DownloadRoot.of(root);
        Path source = downloads.resolve(from);
        Path target = downloads.resolve(to);
        if (!Files.exists(source, NO_FOLLOW)) {
            return false;
        }
        if (!Files.exists(target, NO_FOLLOW)) {
            return rename(root, from, to);
        }
        try {
            if (Files.isSameFile(source, target)) {
                Files.delete(source);
                OpenFiles.forceDirectory(source.getParent());
                return true;
            }
        } catch (IOException e) {
            throw StorageException.of(Operation.DELETE, source, e);
        }
        return false;
    }

    /**
     * Removes the directories of {@code paths} (file paths under the root) that a rename left empty, deepest first;
     * a directory holding anything is kept, and one that cannot be removed is left as it is.
     */
    public static void removeEmptyDirectories(Path root, Collection<List<String>> paths) throws StorageException {
        DownloadRoot downloads = DownloadRoot.of(root);
        TreeSet<Path> directories = new TreeSet<>(
                Comparator.comparingInt(Path::getNameCount).reversed().thenComparing(Path::toString));
        for (List<String> path : paths) {
            Path file = downloads.resolve(path);
            for (Path dir = file.getParent(); dir != null && !dir.equals(downloads.path()); dir = dir.getParent()) {
                directories.add(dir);
            }
        }
        for (Path dir : directories) {
            try {
                Files.delete(dir);
            } catch (IOException e) {
                // Not empty, or gone: kept as it is.
            }
        }
    }
}
