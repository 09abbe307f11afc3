package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.session.SeedLimits;
import dev.jtorrent.session.Session;

import java.time.Duration;

/**
 * qBittorrent's share limits against the session's {@link SeedLimits}. qBittorrent keeps a torrent's limits as
 * numbers with two sentinels ({@code -2} the global one, {@code -1} none), which map onto {@link SeedLimits.Mode}
 * ({@code SESSION}, {@code UNLIMITED}, {@code OWN}); its inactive seeding time is the session's idle limit, in
 * minutes.
 *
 * <p>Its total seeding time limit ({@code seeding_time_limit}, {@code max_seeding_time}) has no counterpart: the
 * session stops a seed by ratio or by idle time, as Transmission does, not after a time seeding. So the global one
 * reads as off ({@code -1}), a torrent's as "the global one" ({@code -2}), and {@code setShareLimits} takes either
 * sentinel (both mean no such limit here) and refuses a time with 409 rather than ignore it.
 */
final class ShareLimits {
    static final long USE_GLOBAL = -2;
    static final long NONE = -1;
    /** qBittorrent's largest ratio limit ({@code Torrent::MAX_RATIO}). */
    static final double MAX_RATIO = 9999;
    /** qBittorrent's largest seeding time limit in minutes ({@code Torrent::MAX_SEEDING_TIME}, a year). */
    static final long MAX_MINUTES = 525_600;
    static final String NO_SEEDING_TIME = "a seeding time limit is not supported: jtorrent stops a seed by its"
            + " ratio (ratioLimit) or its inactive seeding time (inactiveSeedingTimeLimit); use -2 or -1";

    private ShareLimits() {
    }

    /** A torrent's {@code ratio_limit}: -2, -1 or its own. */
    static double ratioLimit(SeedLimits limits) {
        return switch (limits.ratioMode()) {
            case SESSION -> USE_GLOBAL;
            case UNLIMITED -> NONE;
            case OWN -> limits.ratio();
        };
    }

    /** A torrent's {@code inactive_seeding_time_limit} in minutes: -2, -1 or its own. */
    static long inactiveLimit(SeedLimits limits) {
        return switch (limits.idleMode()) {
            case SESSION -> USE_GLOBAL;
            case UNLIMITED -> NONE;
            case OWN -> minutes(limits.idle());
        };
    }

    /** A torrent's {@code max_ratio}: the ratio limit in force, -1 for none. */
    static double maxRatio(SeedLimits limits, Session session) {
        return switch (limits.ratioMode()) {
            case SESSION -> globalRatio(session);
            case UNLIMITED -> NONE;
            case OWN -> limits.ratio();
        };
    }

    /** A torrent's {@code max_inactive_seeding_time} in minutes: the idle limit in force, -1 for none. */
    static long maxInactive(SeedLimits limits, Session session) {
        return switch (limits.idleMode()) {
            case SESSION -> globalInactive(session);
            case UNLIMITED -> NONE;
            case OWN -> minutes(limits.idle());
        };
    }

    /** The preferences' {@code max_ratio}: the session's limit, -1 while off. */
    static double globalRatio(Session session) {
        return session.seedRatioLimited() ? session.seedRatioLimit() : NONE;
    }

    /** The preferences' {@code max_inactive_seeding_time} in minutes, -1 while off. */
    static long globalInactive(Session session) {
        return session.seedIdleLimited() ? minutes(session.seedIdleLimit()) : NONE;
    }

    /**
     * These limits with the ratio limit {@code ratio} as {@code setShareLimits} sends it: -2 the global one, any
     * other negative none (qBittorrent turns those below -2 into -1), else its own, 9999 at most.
     */
    static SeedLimits withRatio(SeedLimits limits, double ratio) throws ApiException {
        if (Double.isNaN(ratio)) {
            throw ApiException.badRequest("ratioLimit must be a number");
        }
        if (ratio == USE_GLOBAL) {
            return limits.withRatio(SeedLimits.Mode.SESSION, limits.ratio());
        }
        if (ratio < 0) {
            return limits.withRatio(SeedLimits.Mode.UNLIMITED, limits.ratio());
        }
        return limits.withRatio(SeedLimits.Mode.OWN, Math.min(ratio, MAX_RATIO));
    }

    /**
     * These limits with the inactive seeding time limit {@code minutes}: -2 the global one, any other negative none,
     * else its own within 1 minute and a year (0, "at once" in qBittorrent, is the shortest the session keeps in
     * the API's unit).
     */
    static SeedLimits withInactive(SeedLimits limits, long minutes) {
        if (minutes == USE_GLOBAL) {
            return limits.withIdle(SeedLimits.Mode.SESSION, limits.idle());
        }
        if (minutes < 0) {
            return limits.withIdle(SeedLimits.Mode.UNLIMITED, limits.idle());
        }
        return limits.withIdle(SeedLimits.Mode.OWN, idle(minutes));
    }

    /** {@code minutes} as an idle limit, within 1 minute and {@link #MAX_MINUTES}. */
    static Duration idle(long minutes) {
        return Duration.ofMinutes(Math.max(1, Math.min(minutes, MAX_MINUTES)));
    }

    static long minutes(Duration idle) {
        return Math.max(1, idle.toMinutes());
    }
}
