package dev.jtorrent.swarm;

import dev.jtorrent.storage.FilePriority;

import java.util.List;

/**
 * What to download of a torrent, and in what order, as chosen when it is added; both can change while it runs
 * ({@link Swarm#setFilePriorities}, {@link Swarm#setSequential}).
 *
 * @param filePriorities one for each of the torrent's files in the order of its info dictionary, pad files included
 *                       (theirs are ignored); empty for every file {@link FilePriority#NORMAL}
 * @param sequential     pieces are picked in order within a window rather than rarest first (see
 *                       {@link PiecePicker}), for playing a file while it downloads
 */
public record DownloadOptions(List<FilePriority> filePriorities, boolean sequential) {
    /** The whole torrent, rarest first. */
    public static final DownloadOptions ALL = new DownloadOptions(List.of(), false);

    public DownloadOptions {
        filePriorities = List.copyOf(filePriorities);
    }

    /**
     * The priorities for a torrent of {@code fileCount} files: those given, or every file normal.
     *
     * @throws IllegalArgumentException if priorities were given but not one for each file
     */
    public List<FilePriority> prioritiesFor(int fileCount) {
        if (filePriorities.isEmpty()) {
            return FilePriority.allNormal(fileCount);
        }
        if (filePriorities.size() != fileCount) {
            throw new IllegalArgumentException(filePriorities.size() + " file priorities for a torrent of " + fileCount
                    + " files (pad files included)");
        }
        return filePriorities;
    }
}
