package dev.jtorrent.daemon.transmission;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns the turtle on and off as its schedule says, once a {@link #PERIOD_SECONDS}, as Transmission does: only when
 * the schedule's answer changes, so that a user who flips the turtle by hand keeps it so until the next boundary.
 */
final class TurtleTimer implements AutoCloseable {
    static final int PERIOD_SECONDS = 20;

    private final SessionSettings settings;
    private final Clock clock;
    private final ZoneId zone;
    private final ScheduledExecutorService timer;
    private Boolean last;

    private TurtleTimer(SessionSettings settings, Clock clock, ZoneId zone, ScheduledExecutorService timer) {
        this.settings = settings;
        this.clock = clock;
        this.zone = zone;
        this.timer = timer;
    }

    static TurtleTimer start(SessionSettings settings, Clock clock) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("turtle-schedule").factory());
        TurtleTimer turtle = new TurtleTimer(settings, clock, ZoneId.systemDefault(), timer);
        timer.scheduleWithFixedDelay(turtle::tick, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        return turtle;
    }

    /** Checks the schedule now: for the timer, and for tests with a clock of their own. */
    synchronized void tick() {
        if (!settings.altSpeedTimeEnabled()) {
            last = null;
            return;
        }
        boolean due = new TurtleSchedule(settings.altSpeedTimeBegin(), settings.altSpeedTimeEnd(),
                settings.altSpeedTimeDay()).activeAt(LocalDateTime.ofInstant(clock.instant(), zone));
        if (last == null || last != due) {
            last = due;
            if (settings.altSpeedEnabled() != due) {
                settings.setAltSpeed(null, null, due);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
