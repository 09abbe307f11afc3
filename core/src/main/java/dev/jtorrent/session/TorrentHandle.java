package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.storage.FileStorage;
import dev.jtorrent.swarm.Swarm;
import dev.jtorrent.swarm.SwarmStats;
import dev.jtorrent.tracker.TrackerError;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A torrent added to a {@link Session}: its progress, and a way to stop it. Thread-safe.
 */
public final class TorrentHandle {
    private final Torrent torrent;
    private final Swarm swarm;
    private final FileStorage storage;
    private final Announcer announcer;
    private final Optional<String> startNote;
    private final Runnable onStop;
    private volatile boolean stopped;

    TorrentHandle(Torrent torrent, Swarm swarm, FileStorage storage, Announcer announcer, Optional<String> startNote,
                  Runnable onStop) {
        this.torrent = torrent;
        this.swarm = swarm;
        this.storage = storage;
        this.announcer = announcer;
        this.startNote = startNote;
        this.onStop = onStop;
    }

    /**
     * What resume data did for the start, for people, when there is something to say: "resumed 120 of 256 pieces
     * without a check", "resume file … not used (not bencoded …): checked the data". Empty when there was none.
     */
    public Optional<String> startNote() {
        return startNote;
    }

    public Torrent torrent() {
        return torrent;
    }

    /** The torrent's swarm, for tests that change its file priorities while it runs. */
    Swarm swarm() {
        return swarm;
    }

    public SwarmStats stats() {
        return swarm.stats();
    }

    /** Completes when every piece is verified on disk; fails with the reason if the torrent stops on an error. */
    public CompletableFuture<Void> completion() {
        return swarm.completion();
    }

    /**
     * Why no tracker is of use, in one line ("all 12 trackers failed; the first, ..."), or null while some tracker's
     * last announce was answered or some tracker has yet to finish its first.
     */
    public String trackerError() {
        return announcer.lastError();
    }

    /**
     * The trackers whose last announce failed, each with its one-line error, in BEP 12 order; a tracker that failed
     * while another answered is here though {@link #trackerError()} is null.
     */
    public List<TrackerError> trackerErrors() {
        return announcer.trackerErrors();
    }

    /**
     * Closes every connection, tells the trackers {@code stopped} (waiting 2 s for them at most), forces written
     * data to disk. Idempotent.
     */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        swarm.stop();
        announcer.stop();
        storage.close();
        onStop.run();
    }
}
