package dev.jtorrent.tracker;

import dev.jtorrent.metainfo.InfoHash;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A client of one tracker URL. Implementations are safe to use from several threads. */
public interface Tracker extends AutoCloseable {

    /** The announce URL this client talks to. */
    String url();

    AnnounceResponse announce(AnnounceRequest request) throws TrackerException, InterruptedException;

    /** What the tracker knows of each torrent it answered for; torrents it does not know are left out. */
    List<ScrapeResult> scrape(List<InfoHash> infoHashes) throws TrackerException, InterruptedException;

    @Override
    void close();

    /**
     * A client for {@code url}, chosen by its scheme: {@code http}, {@code https} or {@code udp}; a UDP client has a
     * socket of its own.
     */
    static Tracker open(String url, TrackerConfig config) throws TrackerException {
        return open(url, config, Optional.empty());
    }

    /**
     * A client for {@code url}, as {@link #open(String, TrackerConfig)}; a UDP client sends through {@code udp}, a
     * session's UDP port, when given.
     */
    static Tracker open(String url, TrackerConfig config, Optional<UdpTrackerReplies> udp) throws TrackerException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new TrackerException("not a valid tracker URL: " + url);
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new TrackerException("not a valid tracker URL: " + url);
        }
        return switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
            case "http", "https" -> new HttpTracker(uri, config);
            case "udp" -> udp.isPresent() ? new UdpTracker(uri, config, udp.get().transport())
                    : new UdpTracker(uri, config);
            default -> throw new TrackerException("unsupported tracker scheme '" + uri.getScheme() + "': " + url);
        };
    }
}
