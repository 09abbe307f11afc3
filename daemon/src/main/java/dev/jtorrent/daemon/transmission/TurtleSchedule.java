package dev.jtorrent.daemon.transmission;

import java.time.DayOfWeek;
import java.time.LocalDateTime;

/**
 * When the alternative ("turtle") speed limits are scheduled to be on: from {@code begin} to {@code end} (minutes
 * after midnight, local time) on the days whose bit is set (Transmission's tr_sched_day: Sunday 1, Monday 2, ...
 * Saturday 64). A span that ends before it begins runs over midnight, and belongs to the day it began on; one that
 * ends when it begins lasts the whole day.
 */
record TurtleSchedule(int begin, int end, int days) {
    static boolean on(int days, DayOfWeek day) {
        int bit = 1 << (day.getValue() % 7);
        return (days & bit) != 0;
    }

    /** Whether the turtle is scheduled to be on at {@code time}. */
    boolean activeAt(LocalDateTime time) {
        int minute = time.getHour() * 60 + time.getMinute();
        DayOfWeek today = time.getDayOfWeek();
        if (begin == end) {
            return on(days, today);
        }
        if (begin < end) {
            return on(days, today) && minute >= begin && minute < end;
        }
        return (on(days, today) && minute >= begin) || (on(days, today.minus(1)) && minute < end);
    }
}
