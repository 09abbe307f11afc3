package dev.jtorrent.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One tracker of a torrent, from {@link TorrentHandle#trackers()}.
 *
 * @param url          its announce URL
 * @param tier         its tier (BEP 12), from 0
 * @param error        why its last announce failed; empty if it was answered, or none has finished yet
 * @param seeders      seeders it last reported ({@code complete}); empty if it never said
 * @param leechers     leechers it last reported ({@code incomplete}); empty if it never said
 * @param nextAnnounce when it is announced to next; empty while the torrent is not running
 * @param lastAnnounce when its last announce ended, answered ({@code error} empty) or failed; empty if none has
 *                     in this run of the torrent (Transmission's {@code lastAnnounceTime})
 * @param lastPeers    the peers its last answer listed; empty if it has not answered in this run (Transmission's
 *                     {@code lastAnnouncePeerCount})
 * @param announcing   whether an announce to it is under way now (qBittorrent's "updating")
 */
public record TrackerStatus(String url, int tier, Optional<String> error, OptionalInt seeders,
                            OptionalInt leechers, Optional<Instant> nextAnnounce, Optional<Instant> lastAnnounce,
                            OptionalInt lastPeers, boolean announcing) {
    public TrackerStatus {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(seeders, "seeders");
        Objects.requireNonNull(leechers, "leechers");
        Objects.requireNonNull(nextAnnounce, "nextAnnounce");
        Objects.requireNonNull(lastAnnounce, "lastAnnounce");
        Objects.requireNonNull(lastPeers, "lastPeers");
    }
}
