package dev.jtorrent.daemon.transmission;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.FilePriority;
import dev.jtorrent.session.FileStatus;
import dev.jtorrent.session.TorrentState;
import dev.jtorrent.session.TorrentStatus;
import tools.jackson.core.JsonGenerator;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * torrent-get's fields: each name with the code that writes its value, so that a request resolves its field list
 * once and then writes each torrent with no lookups and no intermediate objects.
 *
 * <p>Names and types are Transmission 4.0's (rpc-version 17), which are 3.00's plus {@code file-count},
 * {@code primary-mime-type}, {@code percentComplete}, {@code group}, {@code trackerList} and
 * {@code trackerStats.sitename}; values follow what transmission-daemon answers (rpc.md), sentinels included. The
 * queue and the seed limits are the session's ({@code queuePosition}, {@code isStalled}, {@code isFinished}, the
 * seed modes and {@code etaIdle}); a field the session cannot tell yet (bandwidth priority, the start date)
 * reports what holds in jtorrent today (none, 0).
 */
final class TorrentFields {
    /** Writes one field's value (not its name) for one torrent. */
    @FunctionalInterface
    interface Field {
        void write(JsonGenerator json, TorrentView torrent);
    }

    /** What an unknown field name is answered with: 0, as transmission-daemon 3.00 answers it. */
    static final Field UNKNOWN = (json, torrent) -> json.writeNumber(0);

    private static final Map<String, Field> FIELDS = new LinkedHashMap<>();
    /** Each field by its legacy name and by its snake_case name. */
    private static final Map<String, String> LEGACY_NAMES = new HashMap<>();

    static {
        add("activityDate", (json, t) -> json.writeNumber(
                t.times().lastActivity().map(Instant::getEpochSecond).orElse(0L)));
        add("addedDate", (json, t) -> json.writeNumber(t.times().added().getEpochSecond()));
        add("bandwidthPriority", (json, t) -> json.writeNumber(0));
        add("comment", (json, t) -> json.writeString(t.metainfo().flatMap(Torrent::comment).orElse("")));
        add("corruptEver", (json, t) -> json.writeNumber(t.status().wasted()));
        add("creator", (json, t) -> json.writeString(t.metainfo().flatMap(Torrent::createdBy).orElse("")));
        add("dateCreated", (json, t) -> json.writeNumber(
                t.metainfo().flatMap(Torrent::creationDate).map(i -> i.getEpochSecond()).orElse(0L)));
        add("desiredAvailable", (json, t) -> json.writeNumber(0));
        add("doneDate", (json, t) -> json.writeNumber(
                t.times().completed().map(Instant::getEpochSecond).orElse(0L)));
        add("downloadDir", (json, t) -> json.writeString(t.handle().directory().toString()));
        add("downloadedEver", (json, t) -> json.writeNumber(t.status().downloaded()));
        add("downloadLimit", (json, t) -> json.writeNumber(t.context().state().downloadLimitKbps(t.torrent())));
        add("downloadLimited", (json, t) -> json.writeBoolean(t.handle().downloadLimit() > 0));
        add("editDate", (json, t) -> json.writeNumber(0));
        add("error", (json, t) -> json.writeNumber(errorCode(t)));
        add("errorString", (json, t) -> json.writeString(errorString(t)));
        add("eta", (json, t) -> json.writeNumber(eta(t.status())));
        add("etaIdle", (json, t) -> json.writeNumber(etaIdle(t)));
        add("file-count", (json, t) -> json.writeNumber(t.contentFiles().size()));
        add("files", TorrentFields::files);
        add("fileStats", TorrentFields::fileStats);
        add("group", (json, t) -> json.writeString(""));
        add("hashString", (json, t) -> json.writeString(t.torrent().infoHash().hex()));
        add("haveUnchecked", (json, t) -> json.writeNumber(0));
        add("haveValid", (json, t) -> json.writeNumber(t.haveValid()));
        add("honorsSessionLimits", (json, t) -> json.writeBoolean(true));
        add("id", (json, t) -> json.writeNumber(t.torrent().id()));
        add("isFinished", (json, t) -> json.writeBoolean(finished(t)));
        add("isPrivate", (json, t) -> json.writeBoolean(t.metainfo().map(m -> m.info().isPrivate()).orElse(false)));
        add("isStalled", (json, t) -> json.writeBoolean(t.handle().stalled()));
        add("labels", TorrentFields::labels);
        add("leftUntilDone", (json, t) -> json.writeNumber(t.status().bytesLeft()));
        add("magnetLink", (json, t) -> json.writeString(Magnets.of(t)));
        add("manualAnnounceTime", (json, t) -> json.writeNumber(0));
        add("maxConnectedPeers", (json, t) -> json.writeNumber(t.context().state().peerLimitPerTorrent()));
        add("metadataPercentComplete", (json, t) -> json.writeNumber(t.metainfo().isPresent() ? 1 : 0));
        add("name", (json, t) -> json.writeString(t.status().name()));
        add("peer-limit", (json, t) -> json.writeNumber(t.context().state().peerLimitPerTorrent()));
        add("peers", PeerFields::peers);
        add("peersConnected", (json, t) -> json.writeNumber(t.status().peers()));
        add("peersFrom", PeerFields::peersFrom);
        add("peersGettingFromUs", (json, t) -> json.writeNumber(PeerFields.gettingFromUs(t)));
        add("peersSendingToUs", (json, t) -> json.writeNumber(PeerFields.sendingToUs(t)));
        add("percentComplete", (json, t) -> json.writeNumber(fraction(t.haveValid(), t.totalSize(), t)));
        add("percentDone", (json, t) -> json.writeNumber(t.metainfo().isPresent() ? t.status().progress() : 0));
        add("pieces", (json, t) -> json.writeString(Base64.getEncoder().encodeToString(t.pieces())));
        add("pieceCount", (json, t) -> json.writeNumber(t.metainfo().map(m -> m.info().pieceCount()).orElse(0)));
        add("pieceSize", (json, t) -> json.writeNumber(t.metainfo().map(m -> m.info().pieceLength()).orElse(0)));
        add("primary-mime-type", (json, t) -> json.writeString(MimeTypes.primary(t.contentFiles())));
        add("priorities", TorrentFields::priorities);
        add("queuePosition", (json, t) -> json.writeNumber(t.handle().queuePosition()));
        add("rateDownload", (json, t) -> json.writeNumber((long) t.status().downloadRate()));
        add("rateUpload", (json, t) -> json.writeNumber((long) t.status().uploadRate()));
        add("recheckProgress", (json, t) -> json.writeNumber(
                t.status().state() instanceof TorrentState.Checking c ? c.progress() : 0));
        add("secondsDownloading", (json, t) -> json.writeNumber(t.times().downloading().toSeconds()));
        add("secondsSeeding", (json, t) -> json.writeNumber(t.times().seeding().toSeconds()));
        add("seedIdleLimit", (json, t) -> json.writeNumber(SeedLimitModes.minutes(t.seedLimits().idle())));
        add("seedIdleMode", (json, t) -> json.writeNumber(SeedLimitModes.code(t.seedLimits().idleMode())));
        add("seedRatioLimit", (json, t) -> json.writeNumber(t.seedLimits().ratio()));
        add("seedRatioMode", (json, t) -> json.writeNumber(SeedLimitModes.code(t.seedLimits().ratioMode())));
        add("sequentialDownload", (json, t) -> json.writeBoolean(t.handle().sequential()));
        add("sizeWhenDone", (json, t) -> json.writeNumber(t.status().wantedBytes()));
        add("startDate", (json, t) -> json.writeNumber(0));
        add("status", (json, t) -> json.writeNumber(t.statusCode()));
        add("torrentFile", (json, t) -> json.writeString(""));
        add("totalSize", (json, t) -> json.writeNumber(t.totalSize()));
        add("trackers", TrackerFields::trackers);
        add("trackerList", TrackerFields::trackerList);
        add("trackerStats", TrackerFields::trackerStats);
        add("uploadedEver", (json, t) -> json.writeNumber(t.status().uploaded()));
        add("uploadLimit", (json, t) -> json.writeNumber(t.context().state().uploadLimitKbps(t.torrent())));
        add("uploadLimited", (json, t) -> json.writeBoolean(t.handle().uploadLimit() > 0));
        add("uploadRatio", (json, t) -> json.writeNumber(ratio(t.status())));
        add("wanted", TorrentFields::wanted);
        add("webseeds", TorrentFields::webseeds);
        add("webseedsSendingToUs", (json, t) -> json.writeNumber(0));
    }

    private TorrentFields() {
    }

    private static void add(String name, Field field) {
        FIELDS.put(name, field);
        LEGACY_NAMES.put(name, name);
        LEGACY_NAMES.put(Dialect.snake(name), name);
    }

    /** The legacy names of every field, in the order of the table above. */
    static List<String> names() {
        return List.copyOf(FIELDS.keySet());
    }

    /** The field named {@code name} in either dialect, or {@link #UNKNOWN}. */
    static Field field(String name) {
        String legacy = LEGACY_NAMES.get(name);
        return legacy == null ? UNKNOWN : FIELDS.get(legacy);
    }

    /** Transmission's error kinds: 0 none, 2 the trackers fail, 3 a local (disk) error. */
    static int errorCode(TorrentView t) {
        if (t.status().state() instanceof TorrentState.Failed) {
            return 3;
        }
        return t.handle().trackerError() != null ? 2 : 0;
    }

    static String errorString(TorrentView t) {
        if (t.status().state() instanceof TorrentState.Failed failed) {
            return failed.message();
        }
        String tracker = t.handle().trackerError();
        return tracker != null ? tracker : "";
    }

    /** Seconds left; -1 when not downloading (Transmission's "not available"), -2 when nothing comes in. */
    static long eta(TorrentStatus status) {
        if (!(status.state() instanceof TorrentState.Downloading)) {
            return -1;
        }
        return status.eta().map(Duration::toSeconds).orElse(-2L);
    }

    /**
     * Transmission's {@code isFinished}: a seed limit stopped it and it has not run since, or a ratio limit is in
     * force and reached (a seed about to be stopped by it), with some data verified.
     */
    static boolean finished(TorrentView t) {
        if (t.handle().seedLimitReached()) {
            return true;
        }
        OptionalDouble limit = SeedLimitModes.ratioLimit(t.seedLimits(), t.context().state().session());
        return limit.isPresent() && t.status().ratio() >= limit.getAsDouble() && t.status().verifiedBytes() > 0;
    }

    /**
     * Transmission's {@code etaIdle}: the seconds a seed that uploads nothing now has left before its idle limit
     * stops it; -1 when no idle limit applies, when it does not seed, or while it uploads.
     */
    static long etaIdle(TorrentView t) {
        if (t.status().uploadRate() >= 1) {
            return -1;
        }
        return t.handle().untilIdleLimit().map(Duration::toSeconds).orElse(-1L);
    }

    /**
     * Uploaded over downloaded, or over the size for a torrent that had it all when added; -1 when nothing moved
     * either way, and -2 (infinite) for uploads without a base, as Transmission's {@code tr_getRatio}.
     */
    static double ratio(TorrentStatus status) {
        long base = status.downloaded() > 0 ? status.downloaded()
                : status.bytesLeft() == 0 ? status.wantedBytes() : 0;
        if (base > 0) {
            return (double) status.uploaded() / base;
        }
        return status.uploaded() > 0 ? -2 : -1;
    }

    private static double fraction(long part, long whole, TorrentView t) {
        return whole == 0 ? 0 : Math.min(1, (double) part / whole);
    }

    private static void labels(JsonGenerator json, TorrentView t) {
        List<String> labels = t.torrent().labels();
        json.writeStartArray();
        for (String label : labels) {
            json.writeString(label);
        }
        json.writeEndArray();
    }

    private static void files(JsonGenerator json, TorrentView t) {
        List<FileStatus> statuses = t.files();
        List<FileEntry> entries = t.contentFiles();
        Dialect dialect = t.context().dialect();
        int pieceLength = t.metainfo().map(m -> m.info().pieceLength()).orElse(1);
        json.writeStartArray();
        for (int i = 0; i < statuses.size(); i++) {
            FileStatus file = statuses.get(i);
            json.writeStartObject();
            json.writeName(dialect.name("bytesCompleted"));
            json.writeNumber(file.verifiedBytes());
            json.writeName("length");
            json.writeNumber(file.length());
            json.writeName("name");
            json.writeString(file.path());
            if (dialect == Dialect.JSON_RPC && i < entries.size()) {
                FileEntry entry = entries.get(i);
                json.writeName("begin_piece");
                json.writeNumber(entry.offset() / pieceLength);
                json.writeName("end_piece");
                json.writeNumber(entry.length() == 0 ? entry.offset() / pieceLength
                        : (entry.offset() + entry.length() + pieceLength - 1) / pieceLength);
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void fileStats(JsonGenerator json, TorrentView t) {
        Dialect dialect = t.context().dialect();
        json.writeStartArray();
        for (FileStatus file : t.files()) {
            json.writeStartObject();
            json.writeName(dialect.name("bytesCompleted"));
            json.writeNumber(file.verifiedBytes());
            json.writeName("wanted");
            json.writeBoolean(file.priority() != FilePriority.SKIP);
            json.writeName("priority");
            json.writeNumber(priority(file.priority()));
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /**
     * Transmission's priority of a file: -1 low, 0 normal, 1 high. A skipped file has no priority of its own in
     * jtorrent, so it reads as normal, the priority it gets back when wanted again.
     */
    static int priority(FilePriority priority) {
        return switch (priority) {
            case LOW -> -1;
            case HIGH -> 1;
            case NORMAL, SKIP -> 0;
        };
    }

    private static void priorities(JsonGenerator json, TorrentView t) {
        json.writeStartArray();
        for (FileStatus file : t.files()) {
            json.writeNumber(priority(file.priority()));
        }
        json.writeEndArray();
    }

    /** 0/1 integers in the legacy dialect (clients broke when 4.0.0 sent booleans), booleans in JSON-RPC. */
    private static void wanted(JsonGenerator json, TorrentView t) {
        boolean booleans = t.context().dialect() == Dialect.JSON_RPC;
        json.writeStartArray();
        for (FileStatus file : t.files()) {
            boolean wanted = file.priority() != FilePriority.SKIP;
            if (booleans) {
                json.writeBoolean(wanted);
            } else {
                json.writeNumber(wanted ? 1 : 0);
            }
        }
        json.writeEndArray();
    }

    private static void webseeds(JsonGenerator json, TorrentView t) {
        List<String> seeds = t.metainfo().map(Torrent::webSeeds).orElse(Collections.emptyList());
        json.writeStartArray();
        for (String seed : seeds) {
            json.writeString(seed);
        }
        json.writeEndArray();
    }

    /** Writes the requested fields of a torrent as an object. */
    static void object(JsonGenerator json, TorrentView t, List<String> wireNames, List<Field> fields) {
        json.writeStartObject();
        for (int i = 0; i < fields.size(); i++) {
            json.writeName(wireNames.get(i));
            fields.get(i).write(json, t);
        }
        json.writeEndObject();
    }

    /** Writes the requested fields of a torrent as a row of {@code format: "table"}. */
    static void row(JsonGenerator json, TorrentView t, List<Field> fields) {
        json.writeStartArray();
        for (Field field : fields) {
            field.write(json, t);
        }
        json.writeEndArray();
    }

    /** The legacy name of the field named {@code name} in either dialect; {@code name} itself if none is. */
    static String legacyName(String name) {
        return LEGACY_NAMES.getOrDefault(name, name);
    }

    static Optional<Field> known(String name) {
        String legacy = LEGACY_NAMES.get(name);
        return legacy == null ? Optional.empty() : Optional.of(FIELDS.get(legacy));
    }
}
