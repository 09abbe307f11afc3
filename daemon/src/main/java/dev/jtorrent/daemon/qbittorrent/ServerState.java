package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.session.Session;
import dev.jtorrent.session.TorrentStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code server_state} of {@code sync/maindata} and the body of {@code transfer/info}: the session's totals and
 * limits, in qBittorrent 4.6's fields and order. What the session does not count yet is given as qBittorrent gives it
 * when it has nothing to report: {@code dht_nodes} 0, the disk cache fields 0, all-time totals equal to the totals
 * of the torrents in the session.
 */
final class ServerState {
    static final List<String> FIELDS = List.of(
            "alltime_dl", "alltime_ul", "average_time_queue", "connection_status", "dht_nodes", "dl_info_data",
            "dl_info_speed", "dl_rate_limit", "free_space_on_disk", "global_ratio", "queued_io_jobs", "queueing",
            "read_cache_hits", "read_cache_overload", "refresh_interval", "total_buffers_size",
            "total_peer_connections", "total_queued_size", "total_wasted_session", "up_info_data", "up_info_speed",
            "up_rate_limit", "use_alt_speed_limits", "use_subcategories", "write_cache_overload");

    /** The fields of {@code transfer/info}, a part of the server state. */
    static final List<String> TRANSFER_FIELDS = List.of("connection_status", "dht_nodes", "dl_info_data",
            "dl_info_speed", "dl_rate_limit", "up_info_data", "up_info_speed", "up_rate_limit");

    /** The session's sums over its torrents. */
    static final class Totals {
        long downloaded;
        long uploaded;
        long wasted;
        double downloadRate;
        double uploadRate;
        long peers;

        void add(TorrentStatus status) {
            downloaded += status.downloaded();
            uploaded += status.uploaded();
            wasted += status.wasted();
            downloadRate += status.downloadRate();
            uploadRate += status.uploadRate();
            peers += status.peers();
        }
    }

    private ServerState() {
    }

    static Object[] of(Session session, Totals totals) {
        String ratio = totals.downloaded == 0 ? "-"
                : String.format(Locale.ROOT, "%.2f", (double) totals.uploaded / totals.downloaded);
        String connection = session.port() > 0 ? "connected" : "disconnected";
        return new Object[]{
                totals.downloaded,
                totals.uploaded,
                0L,
                connection,
                0L,
                totals.downloaded,
                (long) totals.downloadRate,
                session.downloadLimit(),
                freeSpace(session.config().downloadDirectory()),
                ratio,
                0L,
                TorrentActions.queueing(session),
                "0",
                "0",
                1500L,
                0L,
                totals.peers,
                0L,
                totals.wasted,
                totals.uploaded,
                (long) totals.uploadRate,
                session.uploadLimit(),
                false,
                false,
                "0"};
    }

    /** Bytes free for the download directory, 0 if it cannot be told (it does not exist yet). */
    static long freeSpace(Path directory) {
        try {
            return Files.getFileStore(directory).getUsableSpace();
        } catch (IOException | SecurityException e) {
            return 0;
        }
    }
}
