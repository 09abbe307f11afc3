package dev.jtorrent.session;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A torrent's seed limits against the session's, in each of Transmission's three modes. */
class SeedLimitsTest {
    private static final OptionalDouble SESSION_RATIO = OptionalDouble.of(1.5);
    private static final Optional<Duration> SESSION_IDLE = Optional.of(Duration.ofMinutes(10));

    @Test
    void theSessionsLimitsHoldByDefaultAndOnlyWhileTheSessionHasThem() {
        assertThat(SeedLimits.SESSION.ratioLimit(SESSION_RATIO)).isEqualTo(SESSION_RATIO);
        assertThat(SeedLimits.SESSION.idleLimit(SESSION_IDLE)).isEqualTo(SESSION_IDLE);
        assertThat(SeedLimits.SESSION.ratioLimit(OptionalDouble.empty())).isEmpty();
        assertThat(SeedLimits.SESSION.idleLimit(Optional.empty())).isEmpty();
    }

    @Test
    void unlimitedIgnoresTheSessionsAndOwnTakesTheTorrentsValue() {
        SeedLimits limits = SeedLimits.SESSION.withRatio(SeedLimits.Mode.UNLIMITED, 3.0)
                .withIdle(SeedLimits.Mode.OWN, Duration.ofMinutes(20));
        assertThat(limits.ratioLimit(SESSION_RATIO)).isEmpty();
        assertThat(limits.idleLimit(SESSION_IDLE)).contains(Duration.ofMinutes(20));
        assertThat(limits.idleLimit(Optional.empty())).contains(Duration.ofMinutes(20));
        assertThat(limits.withRatio(SeedLimits.Mode.OWN, 0.5).ratioLimit(OptionalDouble.empty()))
                .isEqualTo(OptionalDouble.of(0.5));
        assertThat(limits.withIdle(SeedLimits.Mode.UNLIMITED, Duration.ofMinutes(20)).idleLimit(SESSION_IDLE))
                .isEmpty();
    }

    @Test
    void badValuesAreRefused() {
        assertThatThrownBy(() -> SeedLimits.SESSION.withRatio(SeedLimits.Mode.OWN, -0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ratio must be a finite number, 0 or more: -0.1");
        assertThatThrownBy(() -> SeedLimits.SESSION.withRatio(SeedLimits.Mode.OWN, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SeedLimits.SESSION.withRatio(SeedLimits.Mode.OWN, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SeedLimits.SESSION.withIdle(SeedLimits.Mode.OWN, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("idle must be positive: PT0S");
        assertThatThrownBy(() -> SeedLimits.SESSION.withIdle(SeedLimits.Mode.OWN, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SeedLimits.SESSION.withIdle(null, Duration.ofMinutes(1)))
                .isInstanceOf(NullPointerException.class);
        assertThat(SeedLimits.SESSION.withRatio(SeedLimits.Mode.OWN, 0).ratio()).as("0 stops at once").isZero();
    }
}
