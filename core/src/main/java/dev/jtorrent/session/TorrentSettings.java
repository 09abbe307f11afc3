package dev.jtorrent.session;

import dev.jtorrent.swarm.DownloadOptions;

import java.util.function.Supplier;

/**
 * What the user set for one torrent that its swarms run by: its own upload and download limits, whether pieces are
 * picked in order, and its files' priorities (kept in its {@link TorrentFiles}). Each is kept for the next start and
 * reaches the running swarm at once; a swarm made while they changed (during its check) catches up as it starts to
 * run. Thread-safe; its lock is taken after the lifecycle's, never before, and telling a swarm only posts to it,
 * which never waits.
 */
final class TorrentSettings {
    /** The torrent's files; null while it has no metadata. */
    private final Supplier<TorrentFiles> files;
    // Guarded by this.
    private long uploadLimit;
    private long downloadLimit;
    private boolean sequential;
    /** The runtime told of each change: the torrent's while it runs, else null. */
    private TorrentRuntime running;

    TorrentSettings(Supplier<TorrentFiles> files, AddOptions options) {
        this.files = files;
        this.uploadLimit = options.uploadLimit();
        this.downloadLimit = options.downloadLimit();
        this.sequential = options.sequential();
    }

    synchronized long uploadLimit() {
        return uploadLimit;
    }

    synchronized long downloadLimit() {
        return downloadLimit;
    }

    synchronized boolean sequential() {
        return sequential;
    }

    /** Which files its swarm and storage are to download, and in what order: for the session, as it starts. */
    synchronized DownloadOptions downloadOptions() {
        return new DownloadOptions(files.get().forStorage(), sequential);
    }

    synchronized void setUploadLimit(long bytesPerSecond) {
        uploadLimit = bytesPerSecond;
        tellLimits();
    }

    synchronized void setDownloadLimit(long bytesPerSecond) {
        downloadLimit = bytesPerSecond;
        tellLimits();
    }

    void setSequential(boolean value) {
        TorrentRuntime runtime;
        synchronized (this) {
            sequential = value;
            runtime = running;
        }
        if (runtime != null) {
            runtime.swarm().setSequential(value);
        }
    }

    void setFilePriority(int index, FilePriority priority) {
        TorrentRuntime runtime;
        synchronized (this) {
            files.get().setPriority(index, priority);
            runtime = running;
        }
        if (runtime != null) {
            runtime.swarm().setFilePriorities(files.get().forStorage());
        }
    }

    /** The torrent runs {@code runtime} now: it is told of every change from now on, and of those it missed. */
    synchronized void attach(TorrentRuntime runtime) {
        running = runtime;
        // Priorities set while it was checked reached no swarm: this one started with those of before.
        DownloadOptions now = downloadOptions();
        if (!now.filePriorities().equals(runtime.options().filePriorities())) {
            runtime.swarm().setFilePriorities(now.filePriorities());
        }
        if (now.sequential() != runtime.options().sequential()) {
            runtime.swarm().setSequential(now.sequential());
        }
        tellLimits(); // and limits: the swarm started with those of when it was made
    }

    /** {@code runtime} no longer runs the torrent: changes are kept for the next one. */
    synchronized void detach(TorrentRuntime runtime) {
        if (running == runtime) {
            running = null;
        }
    }

    /**
     * Holding this: hands the limits to the running swarm, if any. Under the lock, so that two setters cannot hand
     * over their limits in the other order than they set them; posting to the swarm never waits.
     */
    private void tellLimits() {
        if (running != null) {
            running.swarm().setLimits(uploadLimit, downloadLimit);
        }
    }
}
