package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.session.TorrentHandle;
import dev.jtorrent.session.TrackerStatus;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * torrent-set's tracker edits: 4.0's {@code trackerList} (the whole list, one URL a line, a blank line between
 * tiers), and the older {@code trackerAdd} (URLs, each in a tier of its own), {@code trackerRemove} (tracker ids,
 * as torrent-get's {@code trackers} numbers them) and {@code trackerReplace} (pairs of an id and a URL).
 */
final class TrackerEdits {
    private final Optional<String> list;
    private final Optional<List<String>> add;
    private final Optional<List<Long>> remove;
    private final Optional<JsonNode> replace;

    TrackerEdits(Arguments args) {
        list = args.string("trackerList");
        add = args.strings("trackerAdd");
        remove = args.integers("trackerRemove");
        replace = args.node("trackerReplace").filter(JsonNode::isArray);
    }

    boolean any() {
        return list.isPresent() || add.isPresent() || remove.isPresent() || replace.isPresent();
    }

    /** @throws RpcException with the session's one-line reason, when it refuses an edit (a bad URL, say) */
    void apply(DaemonTorrent torrent) throws RpcException {
        TorrentHandle handle = torrent.handle();
        try {
            if (list.isPresent()) {
                replaceAll(handle, tiers(list.get()));
            }
            List<TrackerStatus> before = handle.trackers();
            if (replace.isPresent()) {
                JsonNode pairs = replace.get();
                for (int i = 0; i + 1 < pairs.size(); i += 2) {
                    int id = pairs.get(i).asInt(-1);
                    if (id >= 0 && id < before.size() && pairs.get(i + 1).isString()) {
                        handle.replaceTracker(before.get(id).url(), pairs.get(i + 1).stringValue());
                    }
                }
            }
            if (remove.isPresent()) {
                for (long id : remove.get()) {
                    if (id >= 0 && id < before.size()) {
                        handle.removeTracker(before.get((int) id).url());
                    }
                }
            }
            if (add.isPresent()) {
                for (String url : add.get()) {
                    handle.addTracker(url);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new RpcException(e.getMessage());
        }
    }

    /** The tiers of a {@code trackerList}: URLs one a line, tiers apart by a blank line. */
    static List<List<String>> tiers(String text) {
        List<List<String>> tiers = new ArrayList<>();
        List<String> tier = new ArrayList<>();
        for (String line : text.split("\\R", -1)) {
            String url = line.strip();
            if (url.isEmpty()) {
                if (!tier.isEmpty()) {
                    tiers.add(tier);
                    tier = new ArrayList<>();
                }
            } else if (!tier.contains(url)) {
                tier.add(url);
            }
        }
        if (!tier.isEmpty()) {
            tiers.add(tier);
        }
        return tiers;
    }

    private static void replaceAll(TorrentHandle handle, List<List<String>> tiers) {
        for (TrackerStatus tracker : handle.trackers()) {
            handle.removeTracker(tracker.url());
        }
        for (int t = 0; t < tiers.size(); t++) {
            List<String> tier = tiers.get(t);
            handle.addTracker(tier.get(0));
            for (int i = 1; i < tier.size(); i++) {
                handle.addTracker(tier.get(i), t);
            }
        }
    }
}
