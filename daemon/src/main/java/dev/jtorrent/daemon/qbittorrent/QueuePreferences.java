package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.session.Session;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * The queue and share-limit keys of {@code app/setPreferences}, read from one request and then applied together,
 * since qBittorrent's queue switch and sizes depend on each other; and how the session's two queues read as
 * qBittorrent's preferences.
 *
 * <p>qBittorrent has one switch ({@code queueing_enabled}) and a size per side, -1 for no limit; the session has a
 * switch and a size for each queue, as Transmission has. So queueing reads as on while either queue is; a side
 * whose queue is off while the other's is on reads -1; turning queueing on turns on each side not set to -1, and
 * off turns both off, keeping their sizes. qBittorrent's total limit ({@code max_active_torrents}) has no
 * counterpart: the session bounds downloads and seeds apart, so it reads -1 and a value is ignored and logged.
 * {@code dont_count_slow_torrents} is the session's stalled rule, and {@code slow_torrent_inactive_timer} its time
 * (qBittorrent counts a torrent slow below a rate; the session, Transmission's way, when no payload moves). The
 * share limits are the session's ratio and idle limits ({@link ShareLimits}); a seed that reaches one is paused,
 * qBittorrent's action 0, and other actions and the total seeding time limit are not supported: ignored and logged.
 */
final class QueuePreferences {
    private static final Logger LOG = System.getLogger(QueuePreferences.class.getName());
    /** qBittorrent's "no limit" for a queue size. */
    static final long NO_LIMIT = -1;
    /** {@code max_ratio_act}: pause, the only action the session takes. */
    static final int PAUSE = 0;
    /** The longest stalled time taken, in seconds: a year. */
    static final long MAX_STALLED_SECONDS = 365L * 24 * 3600;

    private Boolean queueing;
    private Long maxDownloads;
    private Long maxUploads;
    private Boolean stalledRule;
    private Long stalledSeconds;
    private Boolean ratioEnabled;
    private Double ratio;
    private Boolean inactiveEnabled;
    private Long inactiveMinutes;

    /** The preferences' {@code max_active_downloads}: the download queue's size, -1 if queueing is on but it is off. */
    static long maxActiveDownloads(Session session) {
        return TorrentActions.queueing(session) && !session.downloadQueueEnabled() ? NO_LIMIT
                : session.downloadQueueSize();
    }

    /** The preferences' {@code max_active_uploads}, as {@link #maxActiveDownloads} for the seed queue. */
    static long maxActiveUploads(Session session) {
        return TorrentActions.queueing(session) && !session.seedQueueEnabled() ? NO_LIMIT : session.seedQueueSize();
    }

    /**
     * Reads {@code key}'s value if it is one of these keys; false if it is not.
     *
     * @throws ApiException 400 if the value is not of the key's type
     */
    boolean read(String key, JsonParser json, JsonToken value) throws ApiException {
        switch (key) {
            case "queueing_enabled" -> queueing = bool(value, key);
            case "max_active_downloads" -> maxDownloads = AppEndpoints.number(json, value, key);
            case "max_active_uploads" -> maxUploads = AppEndpoints.number(json, value, key);
            case "max_active_torrents" -> {
                if (AppEndpoints.number(json, value, key) != NO_LIMIT) {
                    LOG.log(Level.INFO, "qBittorrent API: max_active_torrents is not supported (the download and"
                            + " seed queues bound the torrents apart); ignored");
                }
            }
            case "dont_count_slow_torrents" -> stalledRule = bool(value, key);
            case "slow_torrent_inactive_timer" -> stalledSeconds = AppEndpoints.number(json, value, key);
            case "max_ratio_enabled" -> ratioEnabled = bool(value, key);
            case "max_ratio" -> {
                if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw ApiException.badRequest(key + " must be a number");
                }
                ratio = json.getDoubleValue();
            }
            case "max_ratio_act" -> {
                if (AppEndpoints.number(json, value, key) != PAUSE) {
                    LOG.log(Level.WARNING, "qBittorrent API: max_ratio_act other than 0 (pause) is not supported;"
                            + " a seed that reaches its limit is paused");
                }
            }
            case "max_inactive_seeding_time_enabled" -> inactiveEnabled = bool(value, key);
            case "max_inactive_seeding_time" -> inactiveMinutes = AppEndpoints.number(json, value, key);
            case "max_seeding_time_enabled" -> {
                if (bool(value, key)) {
                    LOG.log(Level.WARNING, "qBittorrent API: " + ShareLimits.NO_SEEDING_TIME + "; ignored");
                }
            }
            case "max_seeding_time" -> AppEndpoints.number(json, value, key);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Applies what was read, as qBittorrent's {@code setPreferences} does, each setting at once. */
    void apply(Session session) {
        if (queueing != null || maxDownloads != null || maxUploads != null) {
            boolean wasOn = TorrentActions.queueing(session);
            boolean on = queueing != null ? queueing : wasOn;
            if (maxDownloads != null && maxDownloads >= 0) {
                session.setDownloadQueueSize(size(maxDownloads));
            }
            if (maxUploads != null && maxUploads >= 0) {
                session.setSeedQueueSize(size(maxUploads));
            }
            boolean downloadsUnlimited = maxDownloads != null ? maxDownloads < 0
                    : wasOn && !session.downloadQueueEnabled();
            boolean uploadsUnlimited = maxUploads != null ? maxUploads < 0 : wasOn && !session.seedQueueEnabled();
            session.setDownloadQueueEnabled(on && !downloadsUnlimited);
            session.setSeedQueueEnabled(on && !uploadsUnlimited);
        }
        if (stalledSeconds != null) {
            session.setQueueStalledAfter(Duration.ofSeconds(Math.max(1, Math.min(stalledSeconds,
                    MAX_STALLED_SECONDS))));
        }
        if (stalledRule != null) {
            session.setQueueStalledEnabled(stalledRule);
        }
        // As qBittorrent: the value counts only beside its switch, and a negative one turns the limit off.
        if (ratioEnabled != null) {
            boolean on = ratioEnabled && (ratio == null || ratio >= 0);
            if (on && ratio != null && Double.isFinite(ratio)) {
                session.setSeedRatioLimit(Math.min(ratio, ShareLimits.MAX_RATIO));
            }
            session.setSeedRatioLimited(on);
        }
        if (inactiveEnabled != null) {
            boolean on = inactiveEnabled && (inactiveMinutes == null || inactiveMinutes >= 0);
            if (on && inactiveMinutes != null) {
                session.setSeedIdleLimit(ShareLimits.idle(inactiveMinutes));
            }
            session.setSeedIdleLimited(on);
        }
    }

    private static int size(long value) {
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    private static boolean bool(JsonToken value, String key) throws ApiException {
        if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
            return value == JsonToken.VALUE_TRUE;
        }
        throw ApiException.badRequest(key + " must be a boolean");
    }
}
