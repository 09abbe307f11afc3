package dev.jtorrent.session;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The session-wide settings of its queue ({@link TorrentQueue}), as they are now: the download and seed queues, the
 * stalled rule and the seed limits. Immutable; a change makes a new one.
 *
 * @param limits       the download and seed queues
 * @param stalledRule  whether a torrent that moved no payload for {@code stalledAfter} stops counting
 * @param stalledAfter how long without payload makes a torrent stalled
 * @param ratioLimited whether the session's share ratio limit holds
 * @param ratioLimit   the session's share ratio limit
 * @param idleLimited  whether the session's idle seeding limit holds
 * @param idleLimit    the session's idle seeding limit
 */
record QueueSettings(QueueRules.Limits limits, boolean stalledRule, Duration stalledAfter, boolean ratioLimited,
                     double ratioLimit, boolean idleLimited, Duration idleLimit) {

    /** The settings a session starts with. */
    static QueueSettings of(SessionConfig config) {
        return new QueueSettings(new QueueRules.Limits(config.downloadQueueEnabled(), config.downloadQueueSize(),
                config.seedQueueEnabled(), config.seedQueueSize()), config.queueStalledEnabled(),
                config.queueStalledAfter(), config.seedRatioLimited(), config.seedRatioLimit(),
                config.seedIdleLimited(), config.seedIdleLimit());
    }

    QueueSettings withLimits(QueueRules.Limits value) {
        return new QueueSettings(value, stalledRule, stalledAfter, ratioLimited, ratioLimit, idleLimited, idleLimit);
    }

    QueueSettings withStalled(boolean on, Duration after) {
        return new QueueSettings(limits, on, after, ratioLimited, ratioLimit, idleLimited, idleLimit);
    }

    QueueSettings withRatio(boolean on, double value) {
        return new QueueSettings(limits, stalledRule, stalledAfter, on, value, idleLimited, idleLimit);
    }

    QueueSettings withIdle(boolean on, Duration value) {
        return new QueueSettings(limits, stalledRule, stalledAfter, ratioLimited, ratioLimit, on, value);
    }

    /** The session's ratio limit, empty while off. */
    OptionalDouble sessionRatioLimit() {
        return ratioLimited ? OptionalDouble.of(ratioLimit) : OptionalDouble.empty();
    }

    /** The session's idle limit, empty while off. */
    Optional<Duration> sessionIdleLimit() {
        return idleLimited ? Optional.of(idleLimit) : Optional.empty();
    }

    /** Whether a running torrent idle for {@code idleNanos} is stalled. */
    boolean stalled(long idleNanos) {
        return stalledRule && idleNanos >= stalledAfter.toNanos();
    }
}
