package dev.jtorrent.daemon.transmission;

import dev.jtorrent.session.SeedLimits;
import dev.jtorrent.session.Session;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Transmission's seed-limit modes ({@code tr_ratiolimit} and {@code tr_idlelimit}: 0 the session's, 1 the torrent's
 * own, 2 unlimited) against the session's {@link SeedLimits.Mode}, and idle limits in Transmission's minutes.
 */
final class SeedLimitModes {
    static final int GLOBAL = 0;
    static final int SINGLE = 1;
    static final int UNLIMITED = 2;
    /** Transmission keeps idle limits in a {@code uint16_t} of minutes. */
    static final int MAX_MINUTES = 0xFFFF;

    private SeedLimitModes() {
    }

    static int code(SeedLimits.Mode mode) {
        return switch (mode) {
            case SESSION -> GLOBAL;
            case OWN -> SINGLE;
            case UNLIMITED -> UNLIMITED;
        };
    }

    /** The mode of a code; empty for any other number, which Transmission ignores too. */
    static Optional<SeedLimits.Mode> mode(long code) {
        return switch ((int) Math.max(-1, Math.min(code, 3))) {
            case GLOBAL -> Optional.of(SeedLimits.Mode.SESSION);
            case SINGLE -> Optional.of(SeedLimits.Mode.OWN);
            case UNLIMITED -> Optional.of(SeedLimits.Mode.UNLIMITED);
            default -> Optional.empty();
        };
    }

    /** An idle limit in whole minutes, 1 at least (a limit set through the session may hold seconds). */
    static long minutes(Duration idle) {
        return Math.max(1, idle.toMinutes());
    }

    /** {@code minutes} as an idle limit, within 1 and {@link #MAX_MINUTES}. */
    static Duration idle(long minutes) {
        return Duration.ofMinutes(Math.max(1, Math.min(minutes, MAX_MINUTES)));
    }

    /** The ratio limit in force for a torrent with these limits; empty for none. */
    static OptionalDouble ratioLimit(SeedLimits limits, Session session) {
        return switch (limits.ratioMode()) {
            case SESSION -> session.seedRatioLimited() ? OptionalDouble.of(session.seedRatioLimit())
                    : OptionalDouble.empty();
            case UNLIMITED -> OptionalDouble.empty();
            case OWN -> OptionalDouble.of(limits.ratio());
        };
    }
}
