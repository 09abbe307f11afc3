package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.daemon.TorrentTable;
import dev.jtorrent.metainfo.InfoHash;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The torrents a request names by its {@code ids} (or, as transmission-daemon also reads it, {@code id}): an id, a
 * hash string, a list of both, {@code "recently-active"}, or nothing at all, which means every torrent (what
 * {@code transmission-remote -t all} relies on). Ids and hashes that name no torrent are skipped, and a torrent named
 * twice is taken once.
 *
 * @param torrents       the torrents, in the order named (by id for all of them)
 * @param recentlyActive whether the request asked for {@code recently-active}: torrent-get then also answers the ids
 *                       removed lately
 */
record Ids(List<DaemonTorrent> torrents, boolean recentlyActive) {
    static final String RECENTLY_ACTIVE = "recently-active";

    static Ids of(Arguments arguments, TorrentTable table) {
        return of(arguments, table, null);
    }

    /**
     * @param activity what counts as recently active; null to take every torrent (for the methods that act on
     *                 torrents, where Transmission too takes "recently-active" loosely)
     */
    static Ids of(Arguments arguments, TorrentTable table, RecentActivity activity) {
        Optional<JsonNode> ids = arguments.node("ids");
        if (ids.isEmpty()) {
            ids = arguments.node("id");
        }
        if (ids.isEmpty()) {
            return new Ids(table.all(), false);
        }
        JsonNode value = ids.get();
        if (value.isString() && (value.stringValue().equals(RECENTLY_ACTIVE)
                || value.stringValue().equals(Dialect.snake(RECENTLY_ACTIVE)))) {
            if (activity == null) {
                return new Ids(table.all(), true);
            }
            List<DaemonTorrent> active = new ArrayList<>();
            for (DaemonTorrent torrent : table.all()) {
                try {
                    if (activity.recentlyActive(torrent, torrent.handle().status())) {
                        active.add(torrent);
                    }
                } catch (IllegalStateException removedMeanwhile) {
                    // Removed since the table was read: it is among the removed ids instead.
                }
            }
            return new Ids(active, true);
        }
        Set<DaemonTorrent> named = new LinkedHashSet<>();
        if (value.isArray()) {
            for (JsonNode element : value) {
                one(element, table).ifPresent(named::add);
            }
        } else {
            one(value, table).ifPresent(named::add);
        }
        return new Ids(new ArrayList<>(named), false);
    }

    private static Optional<DaemonTorrent> one(JsonNode value, TorrentTable table) {
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return table.byId(value.asInt());
        }
        if (value.isString()) {
            String text = value.stringValue();
            if (text.length() == 2 * InfoHash.LENGTH && text.chars().allMatch(Ids::isHex)) {
                return table.byHash(InfoHash.fromHex(text.toLowerCase(Locale.ROOT)));
            }
        }
        return Optional.empty();
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
