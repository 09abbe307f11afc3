package dev.jtorrent.cli;

import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.TorrentHandle;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A torrent named by a magnet link on the command line: its metadata is fetched from peers first (the link's
 * {@code x.pe}, its trackers' peers), with a status line meanwhile, and the torrent stops there until the command
 * has chosen its files; a resume directory that kept the metadata from an earlier run saves the fetch.
 */
final class MagnetSource {
    private static final long REFRESH_MILLIS = 200;

    private MagnetSource() {
    }

    /** Whether a command's SOURCE is a magnet link rather than a file or URL. */
    static boolean isMagnet(String source) {
        return source.regionMatches(true, 0, "magnet:", 0, 7);
    }

    /**
     * Adds the link to {@code session}, stopped once its metadata is known, and waits for the metadata.
     *
     * @return the torrent's handle, paused with its files known: the caller chooses them, then resumes it
     * @throws IOException if the metadata fetched is not a valid torrent
     */
    static TorrentHandle fetchMetadata(Session session, MagnetLink link, AddOptions.Builder options,
                                       StatusLine status) throws IOException, InterruptedException {
        TorrentHandle handle = session.add(link, options.stopAfterMetadata(true).build());
        while (true) {
            try {
                handle.metadata().get(REFRESH_MILLIS, TimeUnit.MILLISECONDS);
                status.finish();
                return handle;
            } catch (TimeoutException e) {
                status.update("Metadata", handle.status());
            } catch (ExecutionException e) {
                status.finish();
                throw new IOException(e.getCause().getMessage(), e.getCause());
            }
        }
    }

    /** Writes {@code torrent} as a .torrent file to {@code file}, whole or not at all; an existing one is replaced. */
    static void save(Torrent torrent, Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".part");
        Files.write(temporary, torrent.encode());
        try {
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
