package dev.jtorrent.swarm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RateMeterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void hasNoRateBeforeItsFirstSecond() {
        RateMeter meter = new RateMeter();
        meter.update(0);
        meter.add(1000);

        assertThat(meter.rate()).isZero();
        assertThat(meter.total()).isEqualTo(1000);
    }

    /** The first second counts as what it was, not averaged with seconds at no rate before the meter existed. */
    @Test
    void theFirstSecondGivesItsOwnRate() {
        RateMeter meter = new RateMeter();
        meter.update(0);
        meter.add(4_000_000);
        meter.update(SECOND);

        assertThat(meter.rate()).isCloseTo(4_000_000, within(1.0));
    }

    @Test
    void aSteadyRateStaysWhatItIs() {
        RateMeter meter = new RateMeter();
        meter.update(0);
        for (int s = 1; s <= 10; s++) {
            meter.add(250_000);
            meter.update(s * SECOND);
        }

        assertThat(meter.rate()).isCloseTo(250_000, within(1.0));
    }

    /** Two seconds of half-life: two idle seconds after a steady rate halve it. */
    @Test
    void thePastDecaysWithAHalfLifeOfTwoSeconds() {
        RateMeter meter = new RateMeter();
        meter.update(0);
        for (int s = 1; s <= 30; s++) {
            meter.add(1_000_000);
            meter.update(s * SECOND);
        }
        meter.update(32 * SECOND);

        assertThat(meter.rate()).isCloseTo(500_000, within(1_000.0));
    }
}
