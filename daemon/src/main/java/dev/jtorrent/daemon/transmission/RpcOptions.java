package dev.jtorrent.daemon.transmission;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the Transmission RPC is set up with besides the daemon's torrents and access rules.
 *
 * @param configDir    the daemon's config directory, which session-get reports
 * @param webHome      the web client served at {@code /transmission/web/}; empty for none
 * @param dataRoots    the directories (with all below them) that requests may download into, move data to, and
 *                     read .torrent files from
 * @param fetchTimeout how long a torrent-add may wait for a .torrent named by URL
 */
public record RpcOptions(Path configDir, Optional<Path> webHome, List<Path> dataRoots, Duration fetchTimeout) {
    /** How long a torrent-add waits for a .torrent named by URL, unless told otherwise. */
    public static final Duration DEFAULT_FETCH_TIMEOUT = MetainfoFetcher.DEFAULT_TIMEOUT;

    public RpcOptions {
        Objects.requireNonNull(configDir, "configDir");
        Objects.requireNonNull(webHome, "webHome");
        dataRoots = List.copyOf(dataRoots);
        if (fetchTimeout.isNegative() || fetchTimeout.isZero()) {
            throw new IllegalArgumentException("the fetch timeout must be positive, not " + fetchTimeout);
        }
    }
}
