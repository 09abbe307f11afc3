package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.session.SeedLimits;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.TorrentHandle;
import dev.jtorrent.session.TorrentStatus;
import dev.jtorrent.session.TorrentTimes;
import dev.jtorrent.session.TrackerStatus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One torrent as {@code torrents/info} and {@code sync/maindata} show it: the values of qBittorrent 4.6's torrent
 * fields ({@code serialize_torrent.cpp}), in the order of {@link #FIELDS}, which is qBittorrent's output order (its
 * JSON objects sort their keys). Values are {@link Long}, {@link Double}, {@link String} or {@link Boolean}, so
 * rows compare with {@code Arrays.equals} and {@code sync/maindata} sends only the fields that changed.
 *
 * <p>Fields the session cannot tell yet carry the value qBittorrent gives when it does not know either: {@code
 * availability} -1, {@code seen_complete} 0, {@code completion_on} 0 until it completes, {@code last_activity}
 * the time added until payload moves, the seeding time limit "use the global one" (-2) and the global one "none"
 * (-1), since the session has none ({@link ShareLimits}); {@code num_seeds} is 0 and {@code num_leechs} counts every
 * connected peer, since the session counts its peers without telling seeds from the rest. {@code priority} is
 * qBittorrent's: the 1-based place in the session's queue, and 0 for a complete torrent (libtorrent ranks only
 * downloads, so qBittorrent shows none for seeds); the session ranks seeds in the same queue, so the numbers of
 * downloads may skip the places seeds hold.
 */
final class TorrentRow {
    /** qBittorrent's ETA when none can be given: 100 days. */
    static final long MAX_ETA = 8_640_000;

    static final List<String> FIELDS = List.of(
            "added_on", "amount_left", "auto_tmm", "availability", "category", "completed", "completion_on",
            "content_path", "dl_limit", "dlspeed", "download_path", "downloaded", "downloaded_session", "eta",
            "f_l_piece_prio", "force_start", "hash", "inactive_seeding_time_limit", "infohash_v1", "infohash_v2",
            "last_activity", "magnet_uri", "max_inactive_seeding_time", "max_ratio", "max_seeding_time", "name",
            "num_complete", "num_incomplete", "num_leechs", "num_seeds", "priority", "progress", "ratio",
            "ratio_limit", "save_path", "seeding_time", "seeding_time_limit", "seen_complete", "seq_dl", "size",
            "state", "super_seeding", "tags", "time_active", "total_size", "tracker", "trackers_count", "up_limit",
            "uploaded", "uploaded_session", "upspeed");

    /** The place of {@code hash} in a row: {@code sync/maindata} keys torrents by it rather than repeat it. */
    static final int HASH = FIELDS.indexOf("hash");
    static final int STATE = FIELDS.indexOf("state");

    private static final Map<String, Integer> INDEX = new HashMap<>();

    static {
        for (int i = 0; i < FIELDS.size(); i++) {
            INDEX.put(FIELDS.get(i), i);
        }
    }

    private TorrentRow() {
    }

    /** The place of a field in a row, or -1 if there is no such field. */
    static int index(String field) {
        return INDEX.getOrDefault(field, -1);
    }

    /**
     * The row of a torrent now, given its status, trackers, state and whether it is force-started.
     *
     * @throws IllegalStateException if it was removed meanwhile
     */
    static Object[] of(DaemonTorrent torrent, TorrentStatus status, TorrentTimes times,
                       List<TrackerStatus> trackers, QbtState state, boolean forced, Session session) {
        TorrentHandle handle = torrent.handle();
        SeedLimits limits = handle.seedLimits();
        boolean complete = status.wantedBytes() > 0 && status.bytesLeft() == 0;
        long priority = complete ? 0 : handle.queuePosition() + 1L;
        String hash = torrent.infoHash().hex();
        String savePath = handle.directory().toString();
        long added = torrent.addedAt().getEpochSecond();
        long totalSize = handle.torrent().map(t -> t.info().contentLength()).orElse(0L);
        return new Object[]{
                added,
                status.bytesLeft(),
                false,
                -1.0,
                torrent.category(),
                status.verifiedBytes(),
                times.completed().map(Instant::getEpochSecond).orElse(0L),
                handle.directory().resolve(handle.name()).toString(),
                handle.downloadLimit(),
                (long) status.downloadRate(),
                "",
                status.downloaded(),
                status.downloaded(),
                eta(status),
                false,
                forced && !state.paused(),
                hash,
                ShareLimits.inactiveLimit(limits),
                hash,
                "",
                times.lastActivity().map(Instant::getEpochSecond).orElse(added),
                magnetUri(hash, handle.name(), trackers),
                ShareLimits.maxInactive(limits, session),
                ShareLimits.maxRatio(limits, session),
                ShareLimits.NONE,
                handle.name(),
                (long) maxOf(trackers, true),
                (long) maxOf(trackers, false),
                (long) status.peers(),
                0L,
                priority,
                status.progress(),
                status.ratio(),
                ShareLimits.ratioLimit(limits),
                savePath,
                times.seeding().toSeconds(),
                ShareLimits.USE_GLOBAL,
                0L,
                handle.sequential(),
                status.wantedBytes(),
                state.apiName(),
                false,
                String.join(", ", torrent.labels()),
                times.active().toSeconds(),
                totalSize,
                currentTracker(trackers),
                (long) trackers.size(),
                handle.uploadLimit(),
                status.uploaded(),
                status.uploaded(),
                (long) status.uploadRate()};
    }

    /**
     * Seconds until the download is done at the present rate, capped at {@link #MAX_ETA}; qBittorrent's cap too
     * for a complete torrent, whose ETA is to its share limit, and without one, never.
     */
    static long eta(TorrentStatus status) {
        if (status.bytesLeft() == 0) {
            return MAX_ETA;
        }
        return status.eta().map(eta -> Math.min(eta.toSeconds(), MAX_ETA)).orElse(MAX_ETA);
    }

    /** The most seeders (or leechers) any tracker reported, 0 if none did: qBittorrent's total seeds. */
    private static int maxOf(List<TrackerStatus> trackers, boolean seeders) {
        int most = 0;
        for (TrackerStatus tracker : trackers) {
            var count = seeders ? tracker.seeders() : tracker.leechers();
            if (count.isPresent()) {
                most = Math.max(most, count.getAsInt());
            }
        }
        return most;
    }

    /** The first tracker whose last announce was answered, or the empty string. */
    private static String currentTracker(List<TrackerStatus> trackers) {
        for (TrackerStatus tracker : trackers) {
            if (tracker.error().isEmpty() && (tracker.seeders().isPresent() || tracker.leechers().isPresent())) {
                return tracker.url();
            }
        }
        return "";
    }

    /** A magnet link for the torrent: its info hash, name and trackers. */
    static String magnetUri(String hex, String name, List<TrackerStatus> trackers) {
        StringBuilder uri = new StringBuilder("magnet:?xt=urn:btih:").append(hex);
        uri.append("&dn=").append(URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        for (TrackerStatus tracker : trackers) {
            uri.append("&tr=").append(URLEncoder.encode(tracker.url(), StandardCharsets.UTF_8));
        }
        return uri.toString();
    }
}
