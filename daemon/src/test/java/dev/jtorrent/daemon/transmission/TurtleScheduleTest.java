package dev.jtorrent.daemon.transmission;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class TurtleScheduleTest {
    /** 2026-12-07 is a Monday (bit 2); Sunday is bit 1, Saturday bit 64. */
    private static LocalDateTime monday(int hour, int minute) {
        return LocalDateTime.of(2026, 12, 7, hour, minute);
    }

    @Test
    void aDaySpanRunsFromItsBeginUpToItsEndOnItsDays() {
        TurtleSchedule office = new TurtleSchedule(9 * 60, 17 * 60, 2);
        assertThat(office.activeAt(monday(8, 59))).isFalse();
        assertThat(office.activeAt(monday(9, 0))).isTrue();
        assertThat(office.activeAt(monday(16, 59))).isTrue();
        assertThat(office.activeAt(monday(17, 0))).isFalse();
        assertThat(office.activeAt(monday(12, 0).plusDays(1))).isFalse();
        assertThat(new TurtleSchedule(9 * 60, 17 * 60, 1).activeAt(monday(12, 0).minusDays(1))).isTrue();
    }

    @Test
    void aSpanOverMidnightBelongsToTheDayItBegan() {
        TurtleSchedule night = new TurtleSchedule(22 * 60, 6 * 60, 2);
        assertThat(night.activeAt(monday(23, 0))).isTrue();
        assertThat(night.activeAt(monday(5, 0))).isFalse();
        assertThat(night.activeAt(monday(5, 0).plusDays(1))).isTrue();
        assertThat(night.activeAt(monday(6, 0).plusDays(1))).isFalse();
    }

    @Test
    void equalTimesMeanTheWholeDay() {
        assertThat(new TurtleSchedule(0, 0, 2).activeAt(monday(0, 0))).isTrue();
        assertThat(new TurtleSchedule(0, 0, 2).activeAt(monday(23, 59))).isTrue();
        assertThat(new TurtleSchedule(0, 0, 4).activeAt(monday(12, 0))).isFalse();
    }
}
