package dev.jtorrent.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens the file channels that torrent data and resume files are written through, and says how much room is left
 * for them. A seam for tests, which wrap the channels to inject faults (a full disk mid-piece, a power cut) or to
 * count how many are open.
 */
@FunctionalInterface
public interface ChannelOpener {
    ChannelOpener DEFAULT = FileChannel::open;

    FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException;

    /**
     * Bytes this process may still write on the file system that holds {@code path}. After a failed write this is
     * how a full disk is told apart from other faults: Java's exceptions carry no error code, and their text is in
     * the system's language.
     */
    default long usableSpace(Path path) throws IOException {
        return Files.getFileStore(path).getUsableSpace();
    }
}
