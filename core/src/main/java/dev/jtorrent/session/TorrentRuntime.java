package dev.jtorrent.session;

import dev.jtorrent.storage.FileStorage;
import dev.jtorrent.swarm.DownloadOptions;
import dev.jtorrent.swarm.Swarm;
import dev.jtorrent.swarm.SwarmStats;

import java.io.IOException;

/**
 * A torrent while it runs: its swarm, its announcer and its open files. Made by {@link Session#launch}, ended by
 * {@link #stop()}; a paused torrent has none, and resuming makes a new one.
 */
final class TorrentRuntime {
    private final Swarm swarm;
    private final Announcer announcer;
    private final FileStorage storage;
    /** Which files it was started to download, and in what order. */
    private final DownloadOptions options;
    private volatile boolean stopped;

    TorrentRuntime(Swarm swarm, Announcer announcer, FileStorage storage, DownloadOptions options) {
        this.swarm = swarm;
        this.announcer = announcer;
        this.storage = storage;
        this.options = options;
    }

    DownloadOptions options() {
        return options;
    }

    Swarm swarm() {
        return swarm;
    }

    Announcer announcer() {
        return announcer;
    }

    FileStorage storage() {
        return storage;
    }

    SwarmStats stats() {
        return swarm.stats();
    }

    /**
     * Closes every connection, tells the trackers {@code stopped} (2 s at most), forces written data to disk and
     * closes the files. Idempotent.
     *
     * @return what the torrent had on disk as it stopped, for starting it again (as from resume data); null if
     *         the swarm did not stop in time (a disk that hangs), so that everything is checked again
     */
    ResumeData stop() {
        if (stopped) {
            return null;
        }
        stopped = true;
        swarm.stop();
        announcer.stop();
        ResumeData snapshot = null;
        try {
            snapshot = ResumeData.of(swarm.infoHash(), storage.root().toString(), swarm.verifiedPieces(),
                    storage.fileStates());
        } catch (IllegalStateException | IOException e) {
            // Unknown: checked again.
        }
        storage.close();
        return snapshot;
    }
}
