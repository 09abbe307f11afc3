package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.daemon.TorrentTable;
import dev.jtorrent.session.Session;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the Transmission RPC keeps beside the daemon's torrent table: its session settings, each torrent's speed limit
 * in KB/s while the limit is off (Transmission shows the value set even when it is not in force; the session keeps
 * only the limit in force), the session's transfer totals, and the directories requests may name.
 */
final class RpcState {
    private final TorrentTable table;
    private final SessionSettings settings;
    private final Clock clock;
    private final Instant started;
    private final List<Path> dataRoots;
    private final Map<Integer, Long> downloadKbps = new ConcurrentHashMap<>();
    private final Map<Integer, Long> uploadKbps = new ConcurrentHashMap<>();
    private final AtomicLong filesAdded = new AtomicLong();
    private final AtomicLong removedDownloaded = new AtomicLong();
    private final AtomicLong removedUploaded = new AtomicLong();
    private final RecentActivity activity;
    private final dev.jtorrent.session.Subscription subscription;

    /**
     * @param dataRoots the directories (and all below them) that requests may download into or move to; each is
     *                  made absolute and normal
     */
    RpcState(TorrentTable table, Clock clock, List<Path> dataRoots) {
        this.table = table;
        this.settings = new SessionSettings(table.session());
        this.clock = clock;
        this.started = clock.instant();
        List<Path> roots = new java.util.ArrayList<>();
        for (Path root : dataRoots) {
            Path normal = root.toAbsolutePath().normalize();
            roots.add(normal);
            try {
                // A root reached through a symbolic link (/tmp on some systems): a file's real path is under its
                // real path.
                Path real = normal.toRealPath();
                if (!real.equals(normal)) {
                    roots.add(real);
                }
            } catch (java.io.IOException e) {
                // Not made yet: only its own name can name it.
            }
        }
        this.dataRoots = List.copyOf(roots);
        this.activity = new RecentActivity(clock);
        this.subscription = table.session().subscribe(activity);
    }

    RecentActivity activity() {
        return activity;
    }

    /** Stops following the session's events. */
    void close() {
        subscription.close();
    }

    TorrentTable table() {
        return table;
    }

    Session session() {
        return table.session();
    }

    SessionSettings settings() {
        return settings;
    }

    Clock clock() {
        return clock;
    }

    Instant started() {
        return started;
    }

    int peerLimitPerTorrent() {
        return session().config().maxPeersPerTorrent();
    }

    /**
     * {@code dir} as an absolute, normal path if it is inside a data root; empty if it is outside all of them. A
     * relative path is the caller's error to report (each method words it its own way).
     */
    Optional<Path> allowedDirectory(Path dir) {
        Path normal = dir.toAbsolutePath().normalize();
        for (Path root : dataRoots) {
            if (normal.startsWith(root)) {
                return Optional.of(normal);
            }
        }
        return Optional.empty();
    }

    List<Path> dataRoots() {
        return dataRoots;
    }

    /** The torrent's download limit in KB/s: the one in force, else the last one set, else Transmission's 100. */
    long downloadLimitKbps(DaemonTorrent torrent) {
        long inForce = torrent.handle().downloadLimit();
        return inForce > 0 ? Math.max(1, inForce / SessionSettings.SPEED_BYTES)
                : downloadKbps.getOrDefault(torrent.id(), (long) SessionSettings.DEFAULT_SPEED_LIMIT);
    }

    long uploadLimitKbps(DaemonTorrent torrent) {
        long inForce = torrent.handle().uploadLimit();
        return inForce > 0 ? Math.max(1, inForce / SessionSettings.SPEED_BYTES)
                : uploadKbps.getOrDefault(torrent.id(), (long) SessionSettings.DEFAULT_SPEED_LIMIT);
    }

    /** Sets a torrent's download limit and whether it is in force; null leaves either as it is. */
    void setDownloadLimit(DaemonTorrent torrent, Long kbps, Boolean limited) {
        long value = kbps != null ? clamp(kbps) : downloadLimitKbps(torrent);
        boolean on = limited != null ? limited : torrent.handle().downloadLimit() > 0;
        downloadKbps.put(torrent.id(), value);
        torrent.handle().setDownloadLimit(on ? value * SessionSettings.SPEED_BYTES : 0);
    }

    void setUploadLimit(DaemonTorrent torrent, Long kbps, Boolean limited) {
        long value = kbps != null ? clamp(kbps) : uploadLimitKbps(torrent);
        boolean on = limited != null ? limited : torrent.handle().uploadLimit() > 0;
        uploadKbps.put(torrent.id(), value);
        torrent.handle().setUploadLimit(on ? value * SessionSettings.SPEED_BYTES : 0);
    }

    /** 1 KB/s at least: a limit of 0 bytes a second means none to the session, the opposite of what was asked. */
    private static long clamp(long kbps) {
        return Math.max(1, Math.min(kbps, SessionSettings.MAX_SPEED_KBPS));
    }

    void added(int files) {
        filesAdded.addAndGet(files);
    }

    long filesAdded() {
        return filesAdded.get();
    }

    /** A torrent is about to be removed: its transfer counts stay in the session's totals. */
    void removing(DaemonTorrent torrent) {
        var status = torrent.handle().status();
        removedDownloaded.addAndGet(status.downloaded());
        removedUploaded.addAndGet(status.uploaded());
        downloadKbps.remove(torrent.id());
        uploadKbps.remove(torrent.id());
    }

    long removedDownloaded() {
        return removedDownloaded.get();
    }

    long removedUploaded() {
        return removedUploaded.get();
    }
}
