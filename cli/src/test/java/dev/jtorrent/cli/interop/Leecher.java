package dev.jtorrent.cli.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A client that downloads a torrent from the swarm until it has all of it: libtorrent today
 * ({@link LibtorrentClient}), jtorrent's own {@code download} command once it exists. The swarm tests take the
 * leecher as a parameter, so the same seeders and checks serve both.
 */
interface Leecher {

    /** The client's name for test reports and failure messages. */
    String name();

    /**
     * Downloads {@code torrent} into {@code dir} (the content lands at {@code dir/NAME}), listening on and connecting
     * from {@code ip}, with {@code port} as its peer port; returns once the download is complete, and fails with the
     * leecher's last log lines when it is not complete after {@code timeout}.
     */
    Download download(Path torrent, Path dir, String ip, int port, Duration timeout);

    /**
     * A finished download: how long it took, and how many blocks came from each peer address where the leecher tells
     * (empty when it does not).
     */
    record Download(Duration elapsed, Map<String, Long> blocksFrom) {

        public Download {
            blocksFrom = Map.copyOf(blocksFrom);
        }
    }
}
