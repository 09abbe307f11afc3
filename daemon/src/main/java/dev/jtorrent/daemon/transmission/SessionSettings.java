package dev.jtorrent.daemon.transmission;

import dev.jtorrent.session.Session;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The session settings of the Transmission RPC that live in the daemon rather than in jtorrent's session: the
 * default download directory for adds, the speed limits in KB/s with their on/off switches (the session keeps only
 * the bytes a second in force), the alternative ("turtle") limits and their schedule, whether adds start, and the
 * blocklist's URL. The session's seed ratio and idle limits are read and set through here too, in Transmission's
 * units, but kept by the session.
 *
 * <p>Speeds are Transmission's kB/s of 1000 bytes (session-get's {@code units.speed-bytes}). The limit in force is
 * applied to the session after every change, so that what session-get reports is what holds.
 */
final class SessionSettings {
    /** Transmission's defaults: 100 kB/s for the normal limits while off, 50 kB/s for the turtle. */
    static final int DEFAULT_SPEED_LIMIT = 100;
    static final int DEFAULT_ALT_SPEED = 50;
    static final int SPEED_BYTES = 1000;
    /** The most KB/s a limit may be set to (about 2 TB/s): what fits the session's bytes a second many times. */
    static final long MAX_SPEED_KBPS = 2_000_000_000L;
    static final int MINUTES_PER_DAY = 24 * 60;
    /** tr_sched_day's bits: Sunday is 1, Saturday 64, every day 127. */
    static final int ALL_DAYS = 127;
    static final String DEFAULT_BLOCKLIST_URL = "http://www.example.com/blocklist";

    private final Session session;
    private Path downloadDir;
    private long speedLimitDown = DEFAULT_SPEED_LIMIT;
    private boolean speedLimitDownEnabled;
    private long speedLimitUp = DEFAULT_SPEED_LIMIT;
    private boolean speedLimitUpEnabled;
    private long altSpeedDown = DEFAULT_ALT_SPEED;
    private long altSpeedUp = DEFAULT_ALT_SPEED;
    private boolean altSpeedEnabled;
    private boolean altSpeedTimeEnabled;
    private int altSpeedTimeBegin = 9 * 60;
    private int altSpeedTimeEnd = 17 * 60;
    private int altSpeedTimeDay = ALL_DAYS;
    private boolean startAddedTorrents = true;
    private String blocklistUrl = DEFAULT_BLOCKLIST_URL;

    SessionSettings(Session session) {
        this.session = Objects.requireNonNull(session, "session");
        this.downloadDir = session.config().downloadDirectory();
        long down = session.downloadLimit();
        long up = session.uploadLimit();
        if (down > 0) {
            speedLimitDown = Math.max(1, down / SPEED_BYTES);
            speedLimitDownEnabled = true;
        }
        if (up > 0) {
            speedLimitUp = Math.max(1, up / SPEED_BYTES);
            speedLimitUpEnabled = true;
        }
    }

    synchronized Path downloadDir() {
        return downloadDir;
    }

    synchronized void setDownloadDir(Path dir) {
        downloadDir = dir;
    }

    synchronized long speedLimitDown() {
        return speedLimitDown;
    }

    synchronized boolean speedLimitDownEnabled() {
        return speedLimitDownEnabled;
    }

    synchronized long speedLimitUp() {
        return speedLimitUp;
    }

    synchronized boolean speedLimitUpEnabled() {
        return speedLimitUpEnabled;
    }

    synchronized long altSpeedDown() {
        return altSpeedDown;
    }

    synchronized long altSpeedUp() {
        return altSpeedUp;
    }

    synchronized boolean altSpeedEnabled() {
        return altSpeedEnabled;
    }

    synchronized boolean altSpeedTimeEnabled() {
        return altSpeedTimeEnabled;
    }

    synchronized int altSpeedTimeBegin() {
        return altSpeedTimeBegin;
    }

    synchronized int altSpeedTimeEnd() {
        return altSpeedTimeEnd;
    }

    synchronized int altSpeedTimeDay() {
        return altSpeedTimeDay;
    }

    synchronized boolean startAddedTorrents() {
        return startAddedTorrents;
    }

    synchronized String blocklistUrl() {
        return blocklistUrl;
    }

    double seedRatioLimit() {
        return session.seedRatioLimit();
    }

    /** The session's idle seeding limit in whole minutes. */
    long idleSeedingLimit() {
        return SeedLimitModes.minutes(session.seedIdleLimit());
    }

    synchronized void setSpeedLimitDown(Long kbps, Boolean enabled) {
        if (kbps != null) {
            speedLimitDown = clampSpeed(kbps);
        }
        if (enabled != null) {
            speedLimitDownEnabled = enabled;
        }
        apply();
    }

    synchronized void setSpeedLimitUp(Long kbps, Boolean enabled) {
        if (kbps != null) {
            speedLimitUp = clampSpeed(kbps);
        }
        if (enabled != null) {
            speedLimitUpEnabled = enabled;
        }
        apply();
    }

    synchronized void setAltSpeed(Long downKbps, Long upKbps, Boolean enabled) {
        if (downKbps != null) {
            altSpeedDown = clampSpeed(downKbps);
        }
        if (upKbps != null) {
            altSpeedUp = clampSpeed(upKbps);
        }
        if (enabled != null) {
            altSpeedEnabled = enabled;
        }
        apply();
    }

    /** The turtle's schedule; times are minutes after midnight, taken modulo a day, and days tr_sched_day bits. */
    synchronized void setAltSpeedTime(Boolean enabled, Long begin, Long end, Long days) {
        if (enabled != null) {
            altSpeedTimeEnabled = enabled;
        }
        if (begin != null) {
            altSpeedTimeBegin = (int) Math.floorMod(begin, (long) MINUTES_PER_DAY);
        }
        if (end != null) {
            altSpeedTimeEnd = (int) Math.floorMod(end, (long) MINUTES_PER_DAY);
        }
        if (days != null) {
            altSpeedTimeDay = (int) (days & ALL_DAYS);
        }
    }

    synchronized void setStartAddedTorrents(boolean value) {
        startAddedTorrents = value;
    }

    synchronized void setBlocklistUrl(String url) {
        blocklistUrl = url;
    }

    /** Sets the session's ratio limit; a negative or non-finite one is ignored, as Transmission ignores it. */
    void setSeedRatioLimit(double value) {
        if (Double.isFinite(value) && value >= 0) {
            session.setSeedRatioLimit(value);
        }
    }

    /** Sets the session's idle seeding limit, within 1 and 65,535 minutes. */
    void setIdleSeedingLimit(long minutes) {
        session.setSeedIdleLimit(SeedLimitModes.idle(minutes));
    }

    /** Puts the limits in force into the session: the turtle's when it is on, else each normal one if enabled. */
    private void apply() {
        long down = altSpeedEnabled ? altSpeedDown : speedLimitDownEnabled ? speedLimitDown : 0;
        long up = altSpeedEnabled ? altSpeedUp : speedLimitUpEnabled ? speedLimitUp : 0;
        session.setDownloadLimit(down * SPEED_BYTES);
        session.setUploadLimit(up * SPEED_BYTES);
    }

    private static long clampSpeed(long kbps) {
        return Math.max(0, Math.min(kbps, MAX_SPEED_KBPS));
    }
}
