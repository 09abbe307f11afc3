package dev.jtorrent.daemon.transmission;

import dev.jtorrent.session.TrackerStatus;
import tools.jackson.core.JsonGenerator;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/** torrent-get's tracker fields: {@code trackers}, {@code trackerList} and {@code trackerStats}. */
final class TrackerFields {
    /** Transmission's announce states: 0 inactive, 1 waiting for its time. */
    static final int INACTIVE = 0;
    static final int WAITING = 1;
    static final int ACTIVE = 3;

    private TrackerFields() {
    }

    static void trackers(JsonGenerator json, TorrentView t) {
        List<TrackerStatus> trackers = t.trackers();
        json.writeStartArray();
        for (int i = 0; i < trackers.size(); i++) {
            TrackerStatus tracker = trackers.get(i);
            json.writeStartObject();
            json.writeName("announce");
            json.writeString(tracker.url());
            json.writeName("id");
            json.writeNumber(i);
            json.writeName("scrape");
            json.writeString(scrape(tracker.url()));
            json.writeName("sitename");
            json.writeString(sitename(tracker.url()));
            json.writeName("tier");
            json.writeNumber(tracker.tier());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** The announce URLs one a line, with a blank line between tiers (Transmission 4.0's {@code trackerList}). */
    static void trackerList(JsonGenerator json, TorrentView t) {
        StringBuilder out = new StringBuilder();
        int tier = -1;
        for (TrackerStatus tracker : t.trackers()) {
            if (tier >= 0 && tracker.tier() != tier) {
                out.append('\n');
            }
            tier = tracker.tier();
            out.append(tracker.url()).append('\n');
        }
        json.writeString(out.toString());
    }

    /**
     * The 27 keys of each {@code trackerStats} entry. The session tells each tracker's last announce (when, its
     * error, its counts and peers), the next one and whether one is under way; jtorrent does not scrape, so scrapes
     * read as never (0, false), and unknown counts as -1, Transmission's own sentinel.
     */
    static void trackerStats(JsonGenerator json, TorrentView t) {
        Dialect d = t.context().dialect();
        List<TrackerStatus> trackers = t.trackers();
        json.writeStartArray();
        for (int i = 0; i < trackers.size(); i++) {
            TrackerStatus tracker = trackers.get(i);
            boolean answered = tracker.seeders().isPresent() || tracker.leechers().isPresent();
            boolean announced = answered || tracker.error().isPresent() || tracker.lastAnnounce().isPresent();
            json.writeStartObject();
            name(json, d, "announce").writeString(tracker.url());
            name(json, d, "announceState").writeNumber(tracker.announcing() ? ACTIVE
                    : tracker.nextAnnounce().isPresent() ? WAITING : INACTIVE);
            name(json, d, "downloadCount").writeNumber(-1);
            name(json, d, "hasAnnounced").writeBoolean(announced);
            name(json, d, "hasScraped").writeBoolean(false);
            name(json, d, "host").writeString(host(tracker.url()));
            name(json, d, "id").writeNumber(i);
            name(json, d, "isBackup").writeBoolean(false);
            name(json, d, "lastAnnouncePeerCount").writeNumber(tracker.lastPeers().orElse(0));
            name(json, d, "lastAnnounceResult").writeString(
                    tracker.error().orElse(answered ? "Success" : ""));
            name(json, d, "lastAnnounceStartTime").writeNumber(0);
            name(json, d, "lastAnnounceSucceeded").writeBoolean(answered && tracker.error().isEmpty());
            name(json, d, "lastAnnounceTime").writeNumber(
                    tracker.lastAnnounce().map(at -> at.getEpochSecond()).orElse(0L));
            name(json, d, "lastAnnounceTimedOut").writeBoolean(false);
            name(json, d, "lastScrapeResult").writeString("");
            name(json, d, "lastScrapeStartTime").writeNumber(0);
            name(json, d, "lastScrapeSucceeded").writeBoolean(false);
            name(json, d, "lastScrapeTime").writeNumber(0);
            name(json, d, "lastScrapeTimedOut").writeBoolean(false);
            name(json, d, "leecherCount").writeNumber(tracker.leechers().orElse(-1));
            name(json, d, "nextAnnounceTime").writeNumber(
                    tracker.nextAnnounce().map(at -> at.getEpochSecond()).orElse(0L));
            name(json, d, "nextScrapeTime").writeNumber(0);
            name(json, d, "scrape").writeString(scrape(tracker.url()));
            name(json, d, "scrapeState").writeNumber(INACTIVE);
            name(json, d, "seederCount").writeNumber(tracker.seeders().orElse(-1));
            name(json, d, "sitename").writeString(sitename(tracker.url()));
            name(json, d, "tier").writeNumber(tracker.tier());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static JsonGenerator name(JsonGenerator json, Dialect d, String legacy) {
        json.writeName(d.name(legacy));
        return json;
    }

    /**
     * The scrape URL by the convention every tracker follows: the last path segment's {@code announce} replaced by
     * {@code scrape}; none (empty) where there is no such segment, and for UDP trackers the announce URL itself.
     */
    static String scrape(String announce) {
        if (announce.startsWith("udp:")) {
            return announce;
        }
        int slash = announce.lastIndexOf('/');
        if (slash >= 0 && announce.startsWith("announce", slash + 1)) {
            return announce.substring(0, slash + 1) + "scrape" + announce.substring(slash + 1 + "announce".length());
        }
        return "";
    }

    /** {@code scheme://host:port}, as Transmission shows a tracker's host. */
    static String host(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null) {
                return url;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            return uri.getScheme() + "://" + uri.getHost() + ":" + port;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    /** The site's name: the host's label before its top-level domain ({@code tracker.example.org} → example). */
    static String sitename(String url) {
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return "";
        }
        if (host == null) {
            return "";
        }
        if (host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return host;
        }
        String[] labels = host.toLowerCase(Locale.ROOT).split("\\.");
        return labels.length >= 2 ? labels[labels.length - 2] : labels[0];
    }
}
