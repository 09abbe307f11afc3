package dev.jtorrent.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When things happened to a torrent, and how long it has run, from {@link TorrentHandle#times()}: what
 * Transmission's {@code addedDate}, {@code doneDate}, {@code activityDate}, {@code secondsDownloading} and {@code
 * secondsSeeding} and qBittorrent's {@code added_on}, {@code completion_on}, {@code last_activity}, {@code
 * time_active} and {@code seeding_time} report. All of it is kept in the session's resume directory, when it has
 * one, and so survives a restart.
 *
 * @param added        when the torrent was first added to a session with this resume directory (else to this one)
 * @param completed    when it first had every wanted piece; empty until then
 * @param lastActivity when payload last moved, either way, as seen at the last look (a status or this call: to the
 *                     resolution of the caller's polling); empty if none has since it was added
 * @param downloading  how long it has run with wanted pieces missing
 * @param seeding      how long it has run with every wanted piece
 */
public record TorrentTimes(Instant added, Optional<Instant> completed, Optional<Instant> lastActivity,
                           Duration downloading, Duration seeding) {
    public TorrentTimes {
        Objects.requireNonNull(added, "added");
        Objects.requireNonNull(completed, "completed");
        Objects.requireNonNull(lastActivity, "lastActivity");
        Objects.requireNonNull(downloading, "downloading");
        Objects.requireNonNull(seeding, "seeding");
    }

    /** How long it has run, downloading or seeding. */
    public Duration active() {
        return downloading.plus(seeding);
    }
}
