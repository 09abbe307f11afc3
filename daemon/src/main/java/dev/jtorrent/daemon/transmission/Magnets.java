package dev.jtorrent.daemon.transmission;

import dev.jtorrent.metainfo.Torrent;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A torrent's magnet link (BEP 9), as torrent-get's {@code magnetLink} gives it: hash, name, trackers, web seeds. */
final class Magnets {
    private Magnets() {
    }

    static String of(TorrentView t) {
        StringBuilder link = new StringBuilder("magnet:?xt=urn:btih:").append(t.torrent().infoHash().hex());
        link.append("&dn=").append(encode(t.status().name()));
        for (var tracker : t.trackers()) {
            link.append("&tr=").append(encode(tracker.url()));
        }
        for (String seed : t.metainfo().map(Torrent::webSeeds).orElse(List.of())) {
            link.append("&ws=").append(encode(seed));
        }
        return link.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
