package dev.jtorrent.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A torrent's dates and running times ({@link TorrentTimes}), kept as it goes: told of each state it enters ({@link
 * #observe}), of its completion and of the payload it has moved, it adds the time since the last change to the
 * time downloading or seeding. Times are arguments (a {@link System#nanoTime()} instant for durations, a wall-clock
 * instant for dates), so it is tested without a clock. Thread-safe.
 */
final class Activity {
    private enum Mode { IDLE, DOWNLOADING, SEEDING }

    private final Instant added;
    private Instant completed; // guarded by this; null until then
    private Instant lastActivity; // guarded by this; null until payload moves
    private long downloadingNanos; // guarded by this
    private long seedingNanos; // guarded by this
    private Mode mode = Mode.IDLE; // guarded by this
    private long since; // guarded by this; when the mode began
    private long payloadSeen = -1; // guarded by this; the bytes moved at the last look

    /** A torrent added at {@code added}, that had run as long as these say before (from its record). */
    Activity(Instant added, Optional<Instant> completed, Optional<Instant> lastActivity, Duration downloading,
             Duration seeding) {
        this.added = added;
        this.completed = completed.orElse(null);
        this.lastActivity = lastActivity.orElse(null);
        this.downloadingNanos = downloading.toNanos();
        this.seedingNanos = seeding.toNanos();
    }

    /** A torrent added now. */
    static Activity startingAt(Instant added) {
        return new Activity(added, Optional.empty(), Optional.empty(), Duration.ZERO, Duration.ZERO);
    }

    /** It is in {@code state} from {@code nanos} on: running and missing pieces, running with all, or not running. */
    synchronized void observe(TorrentState state, long nanos) {
        Mode now = switch (state) {
            case TorrentState.Downloading d -> Mode.DOWNLOADING;
            case TorrentState.Seeding s -> Mode.SEEDING;
            default -> Mode.IDLE;
        };
        account(nanos);
        mode = now;
    }

    /** It has every wanted piece, as of {@code when} and {@code nanos}: it seeds from now, done if it was not. */
    synchronized void completed(Instant when, long nanos) {
        if (completed == null) {
            completed = when;
        }
        account(nanos);
        if (mode == Mode.DOWNLOADING) {
            mode = Mode.SEEDING;
        }
    }

    /**
     * Its payload moved so far ({@code bytes}, both ways since it was added) and its rates now: if either moved since
     * the last look, or moves now, it was active at {@code when}.
     */
    synchronized void payload(long bytes, boolean moving, Instant when) {
        if (moving || payloadSeen >= 0 && bytes != payloadSeen) {
            lastActivity = when;
        }
        payloadSeen = bytes;
    }

    /** The times as of {@code nanos}. */
    synchronized TorrentTimes times(long nanos) {
        account(nanos);
        return new TorrentTimes(added, Optional.ofNullable(completed), Optional.ofNullable(lastActivity),
                Duration.ofNanos(downloadingNanos), Duration.ofNanos(seedingNanos));
    }

    /** Holding this: the time since the mode began goes to it. */
    private void account(long nanos) {
        long elapsed = Math.max(0, nanos - since);
        switch (mode) {
            case DOWNLOADING -> downloadingNanos += elapsed;
            case SEEDING -> seedingNanos += elapsed;
            case IDLE -> { }
        }
        since = nanos;
    }
}
