package dev.jtorrent.cli.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A reference client downloading in the background, so a test can start it before or after the seeder and always
 * kill it in {@code @AfterEach}: {@link #start} returns once the client has the torrent, {@link #awaitComplete} once it
 * holds all of it on disk. Each client's recipe, shared with its seeding role, is a {@link ReferenceClient}.
 */
interface ReferenceLeecher extends Leecher, AutoCloseable {

    /**
     * Starts downloading {@code torrent} into {@code dir} (the content lands at {@code dir/NAME}) on {@code ip:port};
     * returns once the client has taken the torrent. Its configuration, state and logs go beside {@code dir}.
     */
    void start(Path torrent, Path dir, String ip, int port);

    /**
     * Waits until the client reports the download complete and its data is on disk; fails with the client's state
     * and last log lines after {@code timeout}, or at once when the client died or reports an error.
     */
    Duration awaitComplete(Duration timeout);

    /**
     * Whether the client creates the torrent's empty files; Transmission 3.00 does not (transmission/transmission
     * issue 417, fixed for 4.1 by pull request 6232), and its copy is compared without them.
     */
    default boolean createsEmptyFiles() {
        return true;
    }

    /** The client's state and last log lines, for a failure message. */
    String describe();

    /** Kills the client and everything it started, by pid; safe to call when it never started, and more than once. */
    @Override
    void close();

    /**
     * How many blocks came from each peer address, where the client tells (empty when it does not); call after
     * {@link #awaitComplete} returned.
     */
    default Map<String, Long> blocksFrom() {
        return Map.of();
    }

    @Override
    default Download download(Path torrent, Path dir, String ip, int port, Duration timeout) {
        try {
            start(torrent, dir, ip, port);
            return new Download(awaitComplete(timeout), blocksFrom());
        } finally {
            close();
        }
    }

    /** Where a client saving into {@code dir} keeps its configuration and logs: a sibling directory. */
    static Path workDirFor(Path dir, String name) {
        return dir.resolveSibling(dir.getFileName() + "." + name);
    }
}
