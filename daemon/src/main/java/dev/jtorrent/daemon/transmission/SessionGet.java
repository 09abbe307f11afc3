package dev.jtorrent.daemon.transmission;

import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import tools.jackson.core.JsonGenerator;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * session-get: Transmission 4.0's session keys with their types, all of them or those {@code fields} names
 * (unknown names are ignored, as 3.00 ignores them). Values are what holds in jtorrent: the limits in force, the
 * session's own settings (its queues, stalled rule and seed limits among them), and for what it does not have
 * (scripts, an incomplete directory), "off".
 */
final class SessionGet {
    /** rpc-version 17 is Transmission 4.0's; clients check {@code rpc-version-semver} first, then these. */
    static final int RPC_VERSION = 17;
    static final int RPC_VERSION_MINIMUM = 14;
    static final String RPC_VERSION_SEMVER = "5.3.0";
    /** Sonarr and others parse the leading "x.y" of the version as Transmission's. */
    static final String VERSION = "4.0.6 (jtorrent " + version() + ")";

    @FunctionalInterface
    private interface Value {
        void write(JsonGenerator json, RpcState state, TransmissionContext context);
    }

    private static final Map<String, Value> KEYS = new LinkedHashMap<>();

    static {
        key("alt-speed-down", (j, s, c) -> j.writeNumber(s.settings().altSpeedDown()));
        key("alt-speed-enabled", (j, s, c) -> j.writeBoolean(s.settings().altSpeedEnabled()));
        key("alt-speed-time-begin", (j, s, c) -> j.writeNumber(s.settings().altSpeedTimeBegin()));
        key("alt-speed-time-day", (j, s, c) -> j.writeNumber(s.settings().altSpeedTimeDay()));
        key("alt-speed-time-enabled", (j, s, c) -> j.writeBoolean(s.settings().altSpeedTimeEnabled()));
        key("alt-speed-time-end", (j, s, c) -> j.writeNumber(s.settings().altSpeedTimeEnd()));
        key("alt-speed-up", (j, s, c) -> j.writeNumber(s.settings().altSpeedUp()));
        key("blocklist-enabled", (j, s, c) -> j.writeBoolean(!s.session().ipFilter().isEmpty()));
        key("blocklist-size", (j, s, c) -> j.writeNumber(s.session().ipFilter().ranges()));
        key("blocklist-url", (j, s, c) -> j.writeString(s.settings().blocklistUrl()));
        key("cache-size-mb", (j, s, c) -> j.writeNumber(config(s).readCacheBytes() / (1024 * 1024)));
        key("config-dir", (j, s, c) -> j.writeString(c.configDir()));
        key("default-trackers", (j, s, c) -> j.writeString(""));
        key("dht-enabled", (j, s, c) -> j.writeBoolean(config(s).dht()));
        key("download-dir", (j, s, c) -> j.writeString(s.settings().downloadDir().toString()));
        key("download-dir-free-space", (j, s, c) -> j.writeNumber(freeSpace(s)));
        key("download-queue-enabled", (j, s, c) -> j.writeBoolean(s.session().downloadQueueEnabled()));
        key("download-queue-size", (j, s, c) -> j.writeNumber(s.session().downloadQueueSize()));
        key("encryption", (j, s, c) -> j.writeString(encryption(config(s), c.dialect())));
        key("idle-seeding-limit", (j, s, c) -> j.writeNumber(s.settings().idleSeedingLimit()));
        key("idle-seeding-limit-enabled", (j, s, c) -> j.writeBoolean(s.session().seedIdleLimited()));
        key("incomplete-dir", (j, s, c) -> j.writeString(s.settings().downloadDir().toString()));
        key("incomplete-dir-enabled", (j, s, c) -> j.writeBoolean(false));
        key("lpd-enabled", (j, s, c) -> j.writeBoolean(config(s).lsd()));
        key("peer-limit-global", (j, s, c) -> j.writeNumber(s.session().maxConnections()));
        key("peer-limit-per-torrent", (j, s, c) -> j.writeNumber(config(s).maxPeersPerTorrent()));
        key("peer-port", (j, s, c) -> j.writeNumber(s.session().port()));
        key("peer-port-random-on-start", (j, s, c) -> j.writeBoolean(false));
        key("pex-enabled", (j, s, c) -> j.writeBoolean(config(s).pex()));
        key("port-forwarding-enabled", (j, s, c) -> j.writeBoolean(false));
        key("queue-stalled-enabled", (j, s, c) -> j.writeBoolean(s.session().queueStalledEnabled()));
        key("queue-stalled-minutes", (j, s, c) -> j.writeNumber(
                SeedLimitModes.minutes(s.session().queueStalledAfter())));
        key("rename-partial-files", (j, s, c) -> j.writeBoolean(false));
        key("rpc-version", (j, s, c) -> j.writeNumber(RPC_VERSION));
        key("rpc-version-minimum", (j, s, c) -> j.writeNumber(RPC_VERSION_MINIMUM));
        key("rpc-version-semver", (j, s, c) -> j.writeString(RPC_VERSION_SEMVER));
        key("script-torrent-added-enabled", (j, s, c) -> j.writeBoolean(false));
        key("script-torrent-added-filename", (j, s, c) -> j.writeString(""));
        key("script-torrent-done-enabled", (j, s, c) -> j.writeBoolean(false));
        key("script-torrent-done-filename", (j, s, c) -> j.writeString(""));
        key("script-torrent-done-seeding-enabled", (j, s, c) -> j.writeBoolean(false));
        key("script-torrent-done-seeding-filename", (j, s, c) -> j.writeString(""));
        key("seed-queue-enabled", (j, s, c) -> j.writeBoolean(s.session().seedQueueEnabled()));
        key("seed-queue-size", (j, s, c) -> j.writeNumber(s.session().seedQueueSize()));
        key("seedRatioLimit", (j, s, c) -> j.writeNumber(s.settings().seedRatioLimit()));
        key("seedRatioLimited", (j, s, c) -> j.writeBoolean(s.session().seedRatioLimited()));
        key("session-id", (j, s, c) -> j.writeString(c.sessionId()));
        key("speed-limit-down", (j, s, c) -> j.writeNumber(s.settings().speedLimitDown()));
        key("speed-limit-down-enabled", (j, s, c) -> j.writeBoolean(s.settings().speedLimitDownEnabled()));
        key("speed-limit-up", (j, s, c) -> j.writeNumber(s.settings().speedLimitUp()));
        key("speed-limit-up-enabled", (j, s, c) -> j.writeBoolean(s.settings().speedLimitUpEnabled()));
        key("start-added-torrents", (j, s, c) -> j.writeBoolean(s.settings().startAddedTorrents()));
        key("tcp-enabled", (j, s, c) -> j.writeBoolean(config(s).tcp()));
        key("trash-original-torrent-files", (j, s, c) -> j.writeBoolean(false));
        key("units", SessionGet::units);
        key("utp-enabled", (j, s, c) -> j.writeBoolean(config(s).utp()));
        key("version", (j, s, c) -> j.writeString(VERSION));
    }

    /** What session-get needs that is not the RPC's state: the request's dialect, the session id, the config dir. */
    record TransmissionContext(Dialect dialect, String sessionId, String configDir) {
    }

    private SessionGet() {
    }

    private static void key(String name, Value value) {
        KEYS.put(name, value);
    }

    static List<String> names() {
        return List.copyOf(KEYS.keySet());
    }

    static Body call(Arguments args, RpcState state, TransmissionContext context) {
        Optional<List<String>> fields = args.strings("fields");
        Set<String> wanted = fields.map(HashSet::new).orElse(null);
        Dialect dialect = args.dialect();
        return json -> KEYS.forEach((name, value) -> {
            String wire = dialect.name(name);
            if (wanted == null || wanted.contains(name) || wanted.contains(wire)) {
                json.writeName(wire);
                value.write(json, state, context);
            }
        });
    }

    private static SessionConfig config(RpcState state) {
        return state.session().config();
    }

    private static long freeSpace(RpcState state) {
        try {
            return Files.getFileStore(state.settings().downloadDir()).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Transmission's names; 4.1 calls "tolerated" "allowed". jtorrent's "disable" is closest to tolerated. */
    static String encryption(SessionConfig config, Dialect dialect) {
        return switch (config.encryption()) {
            case REQUIRE -> "required";
            case PREFER -> "preferred";
            case ALLOW, DISABLE -> dialect == Dialect.JSON_RPC ? "allowed" : "tolerated";
        };
    }

    private static void units(JsonGenerator json, RpcState state, TransmissionContext context) {
        Dialect d = context.dialect();
        json.writeStartObject();
        json.writeName(d.name("speed-units"));
        strings(json, "kB/s", "MB/s", "GB/s", "TB/s");
        json.writeName(d.name("speed-bytes"));
        json.writeNumber(SessionSettings.SPEED_BYTES);
        json.writeName(d.name("size-units"));
        strings(json, "kB", "MB", "GB", "TB");
        json.writeName(d.name("size-bytes"));
        json.writeNumber(1000);
        json.writeName(d.name("memory-units"));
        strings(json, "KiB", "MiB", "GiB", "TiB");
        json.writeName(d.name("memory-bytes"));
        json.writeNumber(1024);
        json.writeEndObject();
    }

    private static void strings(JsonGenerator json, String... values) {
        json.writeStartArray();
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static String version() {
        String version = Session.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
