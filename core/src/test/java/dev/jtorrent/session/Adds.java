package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;

/** Adding a torrent to a session and waiting for its check, as most session tests want. */
final class Adds {
    private Adds() {
    }

    /** Adds {@code torrent} with its files under {@code directory}, and waits until its data is checked. */
    static TorrentHandle checked(Session session, Torrent torrent, Path directory) throws IOException {
        return added(session, torrent, AddOptions.builder().downloadDirectory(directory).build());
    }

    /** Adds {@code torrent} taking its data in {@code directory} on trust, and waits until it has started. */
    static TorrentHandle trusted(Session session, Torrent torrent, Path directory, boolean trust) throws IOException {
        return added(session, torrent, AddOptions.builder().downloadDirectory(directory).trustData(trust).build());
    }

    /** Adds, then waits for {@link TorrentHandle#checked()}, throwing what made it fail. */
    static TorrentHandle added(Session session, Torrent torrent, AddOptions options) throws IOException {
        TorrentHandle handle = session.add(torrent, options);
        try {
            return handle.checked().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new UncheckedIOException(new IOException(e.getCause()));
        }
    }
}
