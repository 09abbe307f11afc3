package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.FileStatus;
import dev.jtorrent.session.PeerStatus;
import dev.jtorrent.session.SeedLimits;
import dev.jtorrent.session.TorrentHandle;
import dev.jtorrent.session.TorrentState;
import dev.jtorrent.session.TorrentStatus;
import dev.jtorrent.session.TorrentTimes;
import dev.jtorrent.session.TrackerStatus;

import java.util.List;
import java.util.Optional;

/**
 * One torrent as one torrent-get sees it: what the session says of it, each part asked for once, when a field first
 * needs it, so that a request for a few cheap fields of many torrents costs only those.
 */
final class TorrentView {
    /** Transmission's {@code status} values. */
    static final int STOPPED = 0;
    static final int CHECK_WAIT = 1;
    static final int CHECK = 2;
    static final int DOWNLOAD_WAIT = 3;
    static final int DOWNLOAD = 4;
    static final int SEED_WAIT = 5;
    static final int SEED = 6;

    private final DaemonTorrent torrent;
    private final FieldContext context;
    private TorrentStatus status;
    private Optional<Torrent> metainfo;
    private List<FileEntry> contentFiles;
    private List<FileStatus> files;
    private List<TrackerStatus> trackers;
    private List<PeerStatus> peers;
    private byte[] pieces;
    private TorrentTimes times;
    private SeedLimits seedLimits;

    TorrentView(DaemonTorrent torrent, FieldContext context) {
        this.torrent = torrent;
        this.context = context;
    }

    DaemonTorrent torrent() {
        return torrent;
    }

    TorrentHandle handle() {
        return torrent.handle();
    }

    FieldContext context() {
        return context;
    }

    TorrentStatus status() {
        if (status == null) {
            status = torrent.handle().status();
        }
        return status;
    }

    Optional<Torrent> metainfo() {
        if (metainfo == null) {
            metainfo = torrent.handle().torrent();
        }
        return metainfo;
    }

    /** The files written to disk (pad files left out), as file indices count them; empty without metadata. */
    List<FileEntry> contentFiles() {
        if (contentFiles == null) {
            contentFiles = metainfo().map(t -> t.info().contentFiles()).orElse(List.of());
        }
        return contentFiles;
    }

    List<FileStatus> files() {
        if (files == null) {
            files = torrent.handle().files();
        }
        return files;
    }

    List<TrackerStatus> trackers() {
        if (trackers == null) {
            trackers = torrent.handle().trackers();
        }
        return trackers;
    }

    List<PeerStatus> peers() {
        if (peers == null) {
            peers = torrent.handle().peers();
        }
        return peers;
    }

    TorrentTimes times() {
        if (times == null) {
            times = torrent.handle().times();
        }
        return times;
    }

    SeedLimits seedLimits() {
        if (seedLimits == null) {
            seedLimits = torrent.handle().seedLimits();
        }
        return seedLimits;
    }

    /** The verified pieces as a bitfield. */
    byte[] pieces() {
        if (pieces == null) {
            pieces = torrent.handle().verifiedPieces();
        }
        return pieces;
    }

    long totalSize() {
        return metainfo().map(t -> t.info().contentLength()).orElse(0L);
    }

    /** Bytes of the verified pieces, of any file: Transmission's {@code haveValid}. */
    long haveValid() {
        Optional<Torrent> meta = metainfo();
        if (meta.isEmpty()) {
            return 0;
        }
        int count = status().verifiedPieces();
        int pieceCount = meta.get().info().pieceCount();
        if (count == 0 || pieceCount == 0) {
            return 0;
        }
        long bytes = (long) count * meta.get().info().pieceLength();
        byte[] bits = pieces();
        int last = pieceCount - 1;
        if ((bits[last >>> 3] & (0x80 >>> (last & 7))) != 0) {
            bytes -= meta.get().info().pieceLength() - meta.get().info().pieceSize(last);
        }
        return Math.min(bytes, meta.get().info().totalLength());
    }

    /** Transmission's status number for the torrent's state. */
    int statusCode() {
        return switch (status().state()) {
            case TorrentState.Paused p -> STOPPED;
            case TorrentState.Failed f -> STOPPED;
            // A move stops the torrent until its files are in place, as Transmission's set-location does.
            case TorrentState.Moving m -> STOPPED;
            case TorrentState.Queued q -> CHECK_WAIT;
            case TorrentState.QueuedToDownload q -> DOWNLOAD_WAIT;
            case TorrentState.QueuedToSeed q -> SEED_WAIT;
            case TorrentState.Checking c -> CHECK;
            case TorrentState.WaitingForMetadata w -> DOWNLOAD;
            case TorrentState.Downloading d -> DOWNLOAD;
            case TorrentState.Seeding s -> SEED;
        };
    }
}
