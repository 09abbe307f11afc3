package dev.jtorrent.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The line {@code jtorrent seed} prints when it is stopped. */
class SeedCommandTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void summaryGivesTheTimeTheTotalUploadedAndTheRatio() {
        assertThat(SeedCommand.summary("album", 5 * MIB / 2, 2 * MIB, 83.4))
                .isEqualTo("Stopped seeding album after 1:23: uploaded 2.50 MiB (ratio 1.25)");
    }

    @Test
    void summaryCountsHoursPastADay() {
        assertThat(SeedCommand.summary("big.iso", 0, 4 * MIB, 3 * 86_400 + 3_725.6))
                .isEqualTo("Stopped seeding big.iso after 73:02:06: uploaded 0 B (ratio 0.00)");
    }

    @Test
    void summaryOfEmptyContentHasRatioZero() {
        assertThat(SeedCommand.summary("empty", 0, 0, 0.2))
                .isEqualTo("Stopped seeding empty after 0:00: uploaded 0 B (ratio 0.00)");
    }
}
