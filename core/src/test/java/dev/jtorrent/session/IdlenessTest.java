package dev.jtorrent.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When a run last moved payload, and last uploaded, at instants the test gives. */
class IdlenessTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void idleTimeCountsFromTheStartOfTheRunUntilPayloadMoves() {
        Idleness activity = new Idleness(100 * SECOND);
        activity.observe(0, 0, 160 * SECOND);
        assertThat(activity.idleNanos(160 * SECOND)).isEqualTo(60 * SECOND);
        assertThat(activity.uploadIdleNanos(160 * SECOND)).isEqualTo(60 * SECOND);

        activity.observe(16_384, 0, 170 * SECOND);
        assertThat(activity.idleNanos(175 * SECOND)).as("a download is activity").isEqualTo(5 * SECOND);
        assertThat(activity.uploadIdleNanos(175 * SECOND)).as("but no upload").isEqualTo(75 * SECOND);

        activity.observe(16_384, 1, 180 * SECOND);
        assertThat(activity.idleNanos(181 * SECOND)).isEqualTo(SECOND);
        assertThat(activity.uploadIdleNanos(181 * SECOND)).isEqualTo(SECOND);

        activity.observe(16_384, 1, 190 * SECOND);
        assertThat(activity.idleNanos(190 * SECOND)).as("the same totals are no activity").isEqualTo(10 * SECOND);
    }

    @Test
    void aClockSeenGoingBackCountsNoNegativeIdleTime() {
        Idleness activity = new Idleness(100 * SECOND);
        assertThat(activity.idleNanos(50 * SECOND)).isZero();
        assertThat(activity.uploadIdleNanos(50 * SECOND)).isZero();
    }
}
