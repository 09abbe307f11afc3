package dev.jtorrent.cli.interop;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.InvalidTorrentException;
import dev.jtorrent.metainfo.Torrent;

import java.io.IOException;
import java.nio.file.Path;

/** Small chores every interop test has: stopping everything it started, reading a torrent's info hash. */
final class Harness {
    private Harness() {
    }

    /**
     * Closes every one of {@code resources} (nulls are skipped), each even when closing another failed, then
     * throws the first failure, so that one stuck client never leaves the others running.
     */
    static void closeAll(Iterable<? extends AutoCloseable> resources) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    static InfoHash infoHashOf(Path torrent) {
        try {
            return Torrent.load(torrent).infoHash();
        } catch (IOException | InvalidTorrentException e) {
            throw new AssertionError("cannot read " + torrent, e);
        }
    }
}
