package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.FilePriority;
import dev.jtorrent.session.FileStatus;
import dev.jtorrent.session.TorrentHandle;
import dev.jtorrent.session.TorrentStatus;
import dev.jtorrent.session.TorrentTimes;
import dev.jtorrent.session.TrackerStatus;
import tools.jackson.core.JsonGenerator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The endpoints that read torrents: {@code torrents/info} (filtered, sorted, paged), {@code properties}, {@code
 * files} and {@code trackers}, with qBittorrent 4.6's fields, defaults and errors.
 */
final class TorrentQueries {
    private final Backend backend;

    TorrentQueries(Backend backend) {
        this.backend = backend;
    }

    void register(Routes routes) {
        routes.get("torrents/info", this::info)
                .get("torrents/properties", this::properties)
                .get("torrents/files", this::files)
                .get("torrents/trackers", this::trackers);
    }

    private Reply info(Call call) throws ApiException {
        Optional<Set<String>> hashes = Optional.empty();
        String hashList = call.get("hashes");
        if (!hashList.isEmpty()) {
            Set<String> set = new HashSet<>();
            for (String hash : hashList.split("\\|")) {
                if (!hash.isEmpty()) {
                    set.add(hash.toLowerCase(Locale.ROOT));
                }
            }
            hashes = Optional.of(set);
        }
        TorrentFilter filter = new TorrentFilter(call.get("filter"), call.params().field("category"),
                call.params().field("tag"), hashes);
        List<Object[]> rows = new ArrayList<>();
        for (Backend.Row row : backend.rows(new ServerState.Totals())) {
            if (filter.matches(row, row.state())) {
                rows.add(row.values());
            }
        }
        String sort = call.get("sort");
        if (!sort.isEmpty() && !rows.isEmpty()) {
            int column = TorrentRow.index(sort);
            if (column < 0) {
                throw ApiException.badRequest("'sort' parameter is invalid");
            }
            Comparator<Object[]> order = Comparator.comparing(row -> (Comparable<Object>) comparable(row[column]));
            rows.sort(call.bool("reverse").orElse(false) ? order.reversed() : order);
        }
        List<Object[]> page = page(rows, clamp(call.longOrZero("offset")), clamp(call.longOrZero("limit")));
        return Reply.json(json -> {
            json.writeStartArray();
            for (Object[] row : page) {
                json.writeStartObject();
                for (int i = 0; i < row.length; i++) {
                    json.writeName(TorrentRow.FIELDS.get(i));
                    Json.value(json, row[i]);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> comparable(Object value) {
        return (Comparable<Object>) value;
    }

    private static int clamp(long value) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }

    /** qBittorrent's paging: a negative offset counts from the end, one out of range is 0, a limit of 0 is none. */
    static List<Object[]> page(List<Object[]> rows, int offset, int limit) {
        int size = rows.size();
        if (offset < 0) {
            offset = size + offset;
        }
        if (offset >= size || offset < 0) {
            offset = 0;
        }
        int end = limit <= 0 ? size : (int) Math.min(size, (long) offset + limit);
        return rows.subList(offset, end);
    }

    private DaemonTorrent torrent(Call call) throws ApiException {
        return backend.find(call.require("hash")).orElseThrow(ApiException::notFound);
    }

    private Reply properties(Call call) throws ApiException {
        DaemonTorrent torrent = torrent(call);
        TorrentHandle handle = torrent.handle();
        TorrentTimes times = handle.times();
        TorrentStatus status = handle.status();
        Optional<Torrent> metainfo = handle.torrent();
        long added = torrent.addedAt().getEpochSecond();
        String hash = torrent.infoHash().hex();
        return Reply.json(json -> {
            json.writeStartObject();
            json.writeNumberProperty("addition_date", added);
            json.writeStringProperty("comment", metainfo.flatMap(Torrent::comment).orElse(""));
            json.writeNumberProperty("completion_date",
                    times.completed().map(date -> date.getEpochSecond()).orElse(-1L));
            json.writeStringProperty("created_by", metainfo.flatMap(Torrent::createdBy).orElse(""));
            json.writeNumberProperty("creation_date",
                    metainfo.flatMap(Torrent::creationDate).map(date -> date.getEpochSecond()).orElse(-1L));
            json.writeNumberProperty("dl_limit", handle.downloadLimit() <= 0 ? -1 : handle.downloadLimit());
            json.writeNumberProperty("dl_speed", (long) status.downloadRate());
            long downloading = times.downloading().toSeconds();
            json.writeNumberProperty("dl_speed_avg", downloading == 0 ? 0 : status.downloaded() / downloading);
            json.writeStringProperty("download_path", "");
            json.writeNumberProperty("eta", TorrentRow.eta(status));
            json.writeStringProperty("hash", hash);
            json.writeStringProperty("infohash_v1", hash);
            json.writeStringProperty("infohash_v2", "");
            json.writeBooleanProperty("is_private", metainfo.map(t -> t.info().isPrivate()).orElse(false));
            json.writeNumberProperty("last_seen", -1);
            json.writeStringProperty("name", handle.name());
            json.writeNumberProperty("nb_connections", status.peers());
            json.writeNumberProperty("nb_connections_limit", backend.session().config().maxPeersPerTorrent());
            json.writeNumberProperty("peers", status.peers());
            json.writeNumberProperty("peers_total", status.knownPeers());
            json.writeNumberProperty("piece_size", metainfo.map(t -> (long) t.info().pieceLength()).orElse(-1L));
            json.writeNumberProperty("pieces_have", status.verifiedPieces());
            json.writeNumberProperty("pieces_num", metainfo.map(t -> (long) t.info().pieceCount()).orElse(-1L));
            json.writeNumberProperty("reannounce", handle.trackers().stream()
                    .flatMap(tracker -> tracker.nextAnnounce().stream())
                    .mapToLong(next -> Math.max(0, next.getEpochSecond() - java.time.Instant.now().getEpochSecond()))
                    .min().orElse(0));
            json.writeStringProperty("save_path", handle.directory().toString());
            json.writeNumberProperty("seeding_time", times.seeding().toSeconds());
            json.writeNumberProperty("seeds", 0);
            json.writeNumberProperty("seeds_total", 0);
            json.writeName("share_ratio");
            Json.writeDouble(json, status.ratio());
            json.writeNumberProperty("time_elapsed", times.active().toSeconds());
            json.writeNumberProperty("total_downloaded", status.downloaded());
            json.writeNumberProperty("total_downloaded_session", status.downloaded());
            json.writeNumberProperty("total_size", metainfo.map(t -> t.info().contentLength()).orElse(-1L));
            json.writeNumberProperty("total_uploaded", status.uploaded());
            json.writeNumberProperty("total_uploaded_session", status.uploaded());
            json.writeNumberProperty("total_wasted", status.wasted());
            json.writeNumberProperty("up_limit", handle.uploadLimit() <= 0 ? -1 : handle.uploadLimit());
            json.writeNumberProperty("up_speed", (long) status.uploadRate());
            long active = times.active().toSeconds();
            json.writeNumberProperty("up_speed_avg", active == 0 ? 0 : status.uploaded() / active);
            json.writeEndObject();
        });
    }

    /** qBittorrent's file priorities: 0 skip, 1 normal, 6 high, 7 maximal; ours have a low one below normal. */
    static int priority(FilePriority priority) {
        return switch (priority) {
            case SKIP -> 0;
            case LOW, NORMAL -> 1;
            case HIGH -> 6;
        };
    }

    private Reply files(Call call) throws ApiException {
        DaemonTorrent torrent = torrent(call);
        List<FileStatus> files = torrent.handle().files();
        Optional<Torrent> metainfo = torrent.handle().torrent();
        List<Integer> indexes = new ArrayList<>();
        Optional<String> wanted = call.params().field("indexes");
        if (wanted.isPresent()) {
            for (String text : wanted.get().split("\\|")) {
                int index;
                try {
                    index = Integer.parseInt(text.strip());
                } catch (NumberFormatException e) {
                    throw ApiException.conflict("\"" + text + "\" is not a valid file index.");
                }
                if (index < 0) {
                    throw ApiException.conflict("\"" + text + "\" is not a valid file index.");
                }
                if (index >= files.size()) {
                    throw ApiException.conflict("Index " + text + " is out of bounds.");
                }
                indexes.add(index);
            }
        } else {
            for (int i = 0; i < files.size(); i++) {
                indexes.add(i);
            }
        }
        boolean finished = torrent.handle().status().bytesLeft() == 0 && !files.isEmpty();
        return Reply.json(json -> {
            json.writeStartArray();
            for (int index : indexes) {
                FileStatus file = files.get(index);
                json.writeStartObject();
                json.writeNumberProperty("availability", -1);
                json.writeNumberProperty("index", index);
                if (index == 0) {
                    json.writeBooleanProperty("is_seed", finished);
                }
                json.writeStringProperty("name", file.path());
                json.writeName("piece_range");
                writePieceRange(json, metainfo.orElseThrow(), index);
                json.writeNumberProperty("priority", priority(file.priority()));
                json.writeName("progress");
                Json.writeDouble(json, file.length() == 0 ? 1 : (double) file.verifiedBytes() / file.length());
                json.writeNumberProperty("size", file.length());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    /** The first and last piece a file covers (an empty file: the piece at its offset, twice). */
    private static void writePieceRange(JsonGenerator json, Torrent torrent, int index) {
        var file = torrent.info().contentFiles().get(index);
        long pieceLength = torrent.info().pieceLength();
        long first = file.offset() / pieceLength;
        long last = file.length() == 0 ? first : (file.offset() + file.length() - 1) / pieceLength;
        json.writeArray(new long[]{first, last}, 0, 2);
    }

    private Reply trackers(Call call) throws ApiException {
        DaemonTorrent torrent = torrent(call);
        List<TrackerStatus> trackers = torrent.handle().trackers();
        boolean isPrivate = torrent.handle().torrent().map(t -> t.info().isPrivate()).orElse(false);
        boolean running = !(torrent.handle().status().state() instanceof dev.jtorrent.session.TorrentState.Paused);
        var config = backend.session().config();
        return Reply.json(json -> {
            json.writeStartArray();
            sticky(json, "** [DHT] **", config.dht() && !isPrivate, isPrivate);
            sticky(json, "** [PeX] **", config.pex() && !isPrivate, isPrivate);
            sticky(json, "** [LSD] **", config.lsd() && !isPrivate, isPrivate);
            for (TrackerStatus tracker : trackers) {
                json.writeStartObject();
                json.writeStringProperty("msg", tracker.error().orElse(""));
                json.writeNumberProperty("num_downloaded", -1);
                json.writeNumberProperty("num_leeches", tracker.leechers().orElse(-1));
                json.writeNumberProperty("num_peers", tracker.lastPeers().orElse(-1));
                json.writeNumberProperty("num_seeds", tracker.seeders().orElse(-1));
                // 0 disabled, 1 not contacted, 2 working, 3 updating, 4 not working
                int state = !running ? 0 : tracker.announcing() ? 3 : tracker.error().isPresent() ? 4
                        : tracker.lastAnnounce().isPresent() ? 2 : 1;
                json.writeNumberProperty("status", state);
                json.writeNumberProperty("tier", tracker.tier());
                json.writeStringProperty("url", tracker.url());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    private static void sticky(JsonGenerator json, String url, boolean working, boolean isPrivate) {
        json.writeStartObject();
        json.writeStringProperty("msg", isPrivate ? "This torrent is private" : "");
        json.writeNumberProperty("num_downloaded", 0);
        json.writeNumberProperty("num_leeches", 0);
        json.writeNumberProperty("num_peers", 0);
        json.writeNumberProperty("num_seeds", 0);
        json.writeNumberProperty("status", working ? 2 : 0);
        json.writeNumberProperty("tier", -1);
        json.writeStringProperty("url", url);
        json.writeEndObject();
    }
}
