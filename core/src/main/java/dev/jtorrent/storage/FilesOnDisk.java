package dev.jtorrent.storage;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.storage.StorageException.Operation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A torrent's files as whole files rather than pieces: their states (for resume data), their paths (for a move) and
 * their deletion, each with the torrent's parts file where that goes along. Every path is resolved by the
 * {@link DownloadRoot}, so nothing here leaves the root or follows a symbolic link; no channel is opened.
 */
final class FilesOnDisk {
    private final DownloadRoot root;
    private final PieceMap map;
    private final ParkedFiles parking;

    FilesOnDisk(DownloadRoot root, PieceMap map, ParkedFiles parking) {
        this.root = root;
        this.map = map;
        this.parking = parking;
    }

    /**
     * The state of each of the torrent's files, in the torrent's order: pad files, links and files not created yet
     * are {@link FileState#ABSENT}. Symbolic links are not followed.
     *
     * @throws StorageException if a file's attributes cannot be read, or a path leaves the download root
     */
    List<FileState> states() throws StorageException {
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
     * Where each of the torrent's files is, in the torrent's order, pad files left out; the parts file last, if
     * there is one.
     *
     * @throws StorageException if a path leaves the root or passes through a symbolic link
     */
    List<Path> paths() throws StorageException {
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
     * Deletes the parts file and the torrent's files, then the directories of the torrent left empty, deepest
     * first. Files not there are skipped; a directory that holds anything else is kept.
     *
     * @throws StorageException naming the first file that could not be deleted, after trying every one
     */
    void delete() throws StorageException {
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
}
