package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * {@code app/*}: the versions, and the preferences that Sonarr, Radarr, Flood and the libraries read.
 *
 * <p>The version claimed is qBittorrent 4.6.7 with Web API 2.9.3, the last 4.x: every client in use knows it
 * (Sonarr and Radarr accept 2.0 and later, and switch to 5.0's calls and state names only from 2.11), and it is what
 * this API implements: 4.x's {@code pause}/{@code resume} and state names, with 5.0's {@code stop}/{@code start}
 * answered too for clients that call them regardless.
 *
 * <p>Preferences are the session's where it has them (listen port, DHT, PEX, LSD, encryption, limits, the download
 * directory, the queues and the share limits, see {@link QueuePreferences}). {@code setPreferences} applies the
 * speed and connection limits, the queues and the share limits; other keys are accepted and ignored, as qBittorrent
 * ignores keys it does not know, and logged.
 */
final class AppEndpoints {
    private static final Logger LOG = System.getLogger(AppEndpoints.class.getName());
    static final String VERSION = "v4.6.7";
    static final String API_VERSION = "2.9.3";
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final Backend backend;

    AppEndpoints(Backend backend) {
        this.backend = backend;
    }

    void register(Routes routes) {
        routes.get("app/version", call -> Reply.text(VERSION))
                .get("app/webapiVersion", call -> Reply.text(API_VERSION))
                .get("app/buildInfo", call -> Reply.json(json -> {
                    json.writeStartObject();
                    json.writeStringProperty("bitness", "64");
                    json.writeStringProperty("boost", "");
                    json.writeStringProperty("libtorrent", "jtorrent");
                    json.writeStringProperty("openssl", "");
                    json.writeStringProperty("qt", "");
                    json.writeStringProperty("zlib", "");
                    json.writeEndObject();
                }))
                .get("app/defaultSavePath", call ->
                        Reply.text(backend.session().config().downloadDirectory().toString()))
                .get("app/preferences", call -> Reply.json(this::preferences))
                .post("app/setPreferences", this::setPreferences);
    }

    private void preferences(JsonGenerator json) {
        Session session = backend.session();
        SessionConfig config = session.config();
        json.writeStartObject();
        json.writeNumberProperty("alt_dl_limit", 10240);
        json.writeNumberProperty("alt_up_limit", 10240);
        json.writeBooleanProperty("auto_tmm_enabled", false);
        json.writeBooleanProperty("bypass_local_auth", false);
        json.writeBooleanProperty("dht", config.dht());
        json.writeNumberProperty("dl_limit", session.downloadLimit());
        json.writeBooleanProperty("dont_count_slow_torrents", session.queueStalledEnabled());
        json.writeNumberProperty("encryption", switch (config.encryption()) {
            case REQUIRE -> 1;
            case DISABLE -> 2;
            case PREFER, ALLOW -> 0;
        });
        json.writeStringProperty("export_dir", "");
        json.writeStringProperty("export_dir_fin", "");
        json.writeBooleanProperty("incomplete_files_ext", false);
        json.writeNumberProperty("listen_port", session.port());
        json.writeStringProperty("locale", "en");
        json.writeBooleanProperty("lsd", config.lsd());
        json.writeNumberProperty("max_active_downloads", QueuePreferences.maxActiveDownloads(session));
        json.writeNumberProperty("max_active_torrents", QueuePreferences.NO_LIMIT);
        json.writeNumberProperty("max_active_uploads", QueuePreferences.maxActiveUploads(session));
        json.writeNumberProperty("max_connec", session.maxConnections());
        json.writeNumberProperty("max_connec_per_torrent", config.maxPeersPerTorrent());
        json.writeNumberProperty("max_inactive_seeding_time", ShareLimits.globalInactive(session));
        json.writeBooleanProperty("max_inactive_seeding_time_enabled", session.seedIdleLimited());
        json.writeName("max_ratio");
        Json.writeDouble(json, ShareLimits.globalRatio(session));
        json.writeNumberProperty("max_ratio_act", QueuePreferences.PAUSE);
        json.writeBooleanProperty("max_ratio_enabled", session.seedRatioLimited());
        json.writeNumberProperty("max_seeding_time", -1);
        json.writeBooleanProperty("max_seeding_time_enabled", false);
        json.writeNumberProperty("max_uploads", -1);
        json.writeNumberProperty("max_uploads_per_torrent", config.uploadSlots());
        json.writeBooleanProperty("pex", config.pex());
        json.writeBooleanProperty("preallocate_all", false);
        json.writeBooleanProperty("queueing_enabled", TorrentActions.queueing(session));
        json.writeBooleanProperty("random_port", false);
        json.writeStringProperty("save_path", config.downloadDirectory().toString());
        json.writeBooleanProperty("scheduler_enabled", false);
        json.writeNumberProperty("slow_torrent_inactive_timer", session.queueStalledAfter().toSeconds());
        json.writeBooleanProperty("start_paused_enabled", false);
        json.writeStringProperty("temp_path", "");
        json.writeBooleanProperty("temp_path_enabled", false);
        json.writeStringProperty("torrent_content_layout", "Original");
        json.writeNumberProperty("up_limit", session.uploadLimit());
        json.writeBooleanProperty("upnp", false);
        json.writeNumberProperty("web_ui_ban_duration", backend.limits().banDuration().toSeconds());
        json.writeBooleanProperty("web_ui_csrf_protection_enabled", true);
        json.writeBooleanProperty("web_ui_host_header_validation_enabled", true);
        json.writeNumberProperty("web_ui_max_auth_fail_count", backend.limits().maxLoginFailures());
        json.writeNumberProperty("web_ui_port", backend.webUiPort().getAsInt());
        json.writeNumberProperty("web_ui_session_timeout", backend.limits().sessionTimeout().toSeconds());
        json.writeEndObject();
    }

    /**
     * {@code json={...}}: applies {@code dl_limit}, {@code up_limit}, {@code max_connec}, and the queue and share
     * limit keys ({@link QueuePreferences}), those once the whole object is read, since they depend on each other.
     */
    private Reply setPreferences(Call call) throws ApiException {
        String text = call.require("json");
        Session session = backend.session();
        QueuePreferences queue = new QueuePreferences();
        try (JsonParser json = JSON.createParser(text)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("json must be an object");
            }
            while (json.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = json.currentName();
                JsonToken value = json.nextToken();
                switch (key) {
                    case "dl_limit" -> session.setDownloadLimit(Math.max(0, number(json, value, key)));
                    case "up_limit" -> session.setUploadLimit(Math.max(0, number(json, value, key)));
                    case "max_connec" -> {
                        long connections = number(json, value, key);
                        if (connections > 0) {
                            session.setMaxConnections((int) Math.min(Integer.MAX_VALUE, connections));
                        }
                    }
                    default -> {
                        if (!queue.read(key, json, value)) {
                            json.skipChildren();
                            LOG.log(Level.INFO, "qBittorrent API: the preference " + key
                                    + " is not supported; ignored");
                        }
                    }
                }
            }
        } catch (JacksonException e) {
            throw ApiException.badRequest("json is not valid JSON: " + e.getOriginalMessage());
        }
        queue.apply(session);
        return Reply.ok();
    }

    static long number(JsonParser json, JsonToken token, String key) throws ApiException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw ApiException.badRequest(key + " must be an integer");
        }
        return json.getLongValue();
    }
}
