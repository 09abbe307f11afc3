package dev.jtorrent.session;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A DHT lookup asked for by hand, at instants the test gives. */
class DhtAnnouncesTest {
    private static final long T0 = 1_000_000_000_000L;
    private static final long S = TimeUnit.SECONDS.toNanos(1);
    private static final long FIFTEEN_MINUTES = T0 + 900 * S;

    @Test
    void aLookupAskedForAMinuteOrMoreAfterTheLastIsDueAtOnce() {
        assertThat(DhtAnnounces.forcedDue(T0 + 60 * S, FIFTEEN_MINUTES, true, T0)).isEqualTo(T0 + 60 * S);
        assertThat(DhtAnnounces.forcedDue(T0, FIFTEEN_MINUTES, false, 0)).as("never looked up").isEqualTo(T0);
    }

    @Test
    void aLookupAskedForSoonerWaitsForTheGapWhateverALoopAsks() {
        for (long second = 1; second < 60; second++) {
            assertThat(DhtAnnounces.forcedDue(T0 + second * S, FIFTEEN_MINUTES, true, T0))
                    .isEqualTo(T0 + DhtAnnounces.FORCED_GAP_NANOS);
        }
    }

    @Test
    void aLookupDueSoonerAnywayIsNotPutOff() {
        assertThat(DhtAnnounces.forcedDue(T0 + S, T0 + 30 * S, true, T0)).isEqualTo(T0 + 30 * S);
    }
}
