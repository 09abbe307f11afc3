package dev.jtorrent.session;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * When one torrent stops seeding, as Transmission sets it per torrent ({@code seedRatioMode}/{@code
 * seedRatioLimit}, {@code seedIdleMode}/{@code seedIdleLimit}): a share ratio limit and an idle limit, each taken
 * from the session ({@link Mode#SESSION}, the default), off for this torrent ({@link Mode#UNLIMITED}), or this
 * torrent's own value ({@link Mode#OWN}). A seed that reaches a limit is paused, and a {@link
 * SessionEvent.SeedLimitReached} says which. Immutable.
 *
 * @param ratioMode where the ratio limit comes from
 * @param ratio     this torrent's own ratio limit (uploaded over downloaded, as {@link TorrentStatus#ratio()}),
 *                  used under {@link Mode#OWN}, kept under the others
 * @param idleMode  where the idle limit comes from
 * @param idle      this torrent's own idle limit: how long a seed may upload nothing, used under {@link Mode#OWN}
 */
public record SeedLimits(Mode ratioMode, double ratio, Mode idleMode, Duration idle) {
    /** Both limits the session's, with Transmission's defaults (2.0 and 30 minutes) as the own values kept. */
    public static final SeedLimits SESSION = new SeedLimits(Mode.SESSION, 2.0, Mode.SESSION, Duration.ofMinutes(30));

    /** Where a limit comes from. */
    public enum Mode {
        /** The session's ({@link Session#seedRatioLimit()}, {@link Session#seedIdleLimit()}), if it is on. */
        SESSION,
        /** None, whatever the session's. */
        UNLIMITED,
        /** This torrent's own value. */
        OWN
    }

    /**
     * @throws NullPointerException     if a mode or {@code idle} is null
     * @throws IllegalArgumentException if {@code ratio} is negative or not finite, or {@code idle} is not positive
     */
    public SeedLimits {
        Objects.requireNonNull(ratioMode, "ratioMode");
        Objects.requireNonNull(idleMode, "idleMode");
        requireRatio(ratio, "ratio");
        requireIdle(idle, "idle");
    }

    /** These limits with the ratio limit from {@code mode}, this torrent's own being {@code value}. */
    public SeedLimits withRatio(Mode mode, double value) {
        return new SeedLimits(mode, value, idleMode, idle);
    }

    /** These limits with the idle limit from {@code mode}, this torrent's own being {@code value}. */
    public SeedLimits withIdle(Mode mode, Duration value) {
        return new SeedLimits(ratioMode, ratio, mode, value);
    }

    /** The ratio limit that holds, given the session's ({@code session}, empty when off); empty for none. */
    OptionalDouble ratioLimit(OptionalDouble session) {
        return switch (ratioMode) {
            case SESSION -> session;
            case UNLIMITED -> OptionalDouble.empty();
            case OWN -> OptionalDouble.of(ratio);
        };
    }

    /** The idle limit that holds, given the session's ({@code session}, empty when off); empty for none. */
    Optional<Duration> idleLimit(Optional<Duration> session) {
        return switch (idleMode) {
            case SESSION -> session;
            case UNLIMITED -> Optional.empty();
            case OWN -> Optional.of(idle);
        };
    }

    static double requireRatio(double ratio, String name) {
        if (!(ratio >= 0) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException(name + " must be a finite number, 0 or more: " + ratio);
        }
        return ratio;
    }

    static Duration requireIdle(Duration idle, String name) {
        Objects.requireNonNull(idle, name);
        if (idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + idle);
        }
        return idle;
    }
}
