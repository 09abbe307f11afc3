package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.daemon.Categories;
import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.daemon.HttpAccess;
import dev.jtorrent.daemon.Tags;
import dev.jtorrent.daemon.TorrentTable;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.TorrentStatus;
import dev.jtorrent.session.TorrentTimes;
import dev.jtorrent.session.TrackerStatus;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * What the Web API's endpoints work on: the daemon's torrents, categories and tags, its HTTP port and account, the
 * API's limits, and the clock.
 */
record Backend(TorrentTable torrents, Categories categories, Tags tags, HttpAccess access, IntSupplier webUiPort,
               QbtLimits limits, Clock clock) {
    Backend {
        Objects.requireNonNull(torrents, "torrents");
        Objects.requireNonNull(categories, "categories");
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(webUiPort, "webUiPort");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(clock, "clock");
    }

    Session session() {
        return torrents.session();
    }

    /** The torrent of a hash as clients send it (hex, any case), if there is one. */
    Optional<DaemonTorrent> find(String hash) {
        if (hash == null || hash.length() != InfoHash.LENGTH * 2) {
            return Optional.empty();
        }
        try {
            return torrents.byHash(InfoHash.fromHex(hash.toLowerCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The torrents a {@code hashes} parameter names: {@code all}, or hashes separated by {@code |}; unknown hashes
     * are skipped, as qBittorrent's {@code applyToTorrents} skips them.
     */
    List<DaemonTorrent> select(String hashes) {
        if (hashes.equals("all")) {
            return torrents.all();
        }
        List<DaemonTorrent> selected = new ArrayList<>();
        for (String hash : hashes.split("\\|")) {
            find(hash.strip()).ifPresent(selected::add);
        }
        return selected;
    }

    /** One torrent's row, status, state and tracker URLs, taken together. */
    record Row(DaemonTorrent torrent, TorrentStatus status, QbtState state, Object[] values,
               List<String> trackerUrls) {
    }

    /** Every torrent's row, in the order added, and the session's totals; torrents removed meanwhile are left out. */
    List<Row> rows(ServerState.Totals totals) {
        List<DaemonTorrent> all = torrents.all();
        List<Row> rows = new ArrayList<>(all.size());
        for (DaemonTorrent torrent : all) {
            try {
                TorrentTimes times = torrent.handle().times();
                TorrentStatus status = torrent.handle().status();
                List<TrackerStatus> trackers = torrent.handle().trackers();
                List<String> urls = new ArrayList<>(trackers.size());
                for (TrackerStatus tracker : trackers) {
                    urls.add(tracker.url());
                }
                boolean forced = torrent.handle().forceStart();
                QbtState state = QbtState.of(status, forced);
                rows.add(new Row(torrent, status, state, TorrentRow.of(torrent, status, times, trackers, state,
                        forced, session()), urls));
                totals.add(status);
            } catch (IllegalStateException removed) {
                // removed between the listing and its status: it is reported as removed by the next poll
            }
        }
        return rows;
    }

    /** The session's totals over its torrents. */
    ServerState.Totals totals() {
        ServerState.Totals totals = new ServerState.Totals();
        for (DaemonTorrent torrent : torrents.all()) {
            try {
                totals.add(torrent.handle().status());
            } catch (IllegalStateException removed) {
                // removed meanwhile
            }
        }
        return totals;
    }

    /** The state a {@code sync/maindata} answer reports, whole. */
    MainDataHistory.Snapshot snapshot() {
        ServerState.Totals totals = new ServerState.Totals();
        List<Row> rows = rows(totals);
        Map<String, Object[]> byHash = new LinkedHashMap<>(rows.size() * 2);
        Map<String, List<String>> trackers = new TreeMap<>();
        for (Row row : rows) {
            String hash = (String) row.values()[TorrentRow.HASH];
            byHash.put(hash, row.values());
            for (String url : row.trackerUrls()) {
                trackers.computeIfAbsent(url, key -> new ArrayList<>()).add(hash);
            }
        }
        return new MainDataHistory.Snapshot(byHash, trackers, categories.snapshot(), tags.snapshot(),
                ServerState.of(session(), totals));
    }
}
