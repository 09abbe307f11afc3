package dev.jtorrent.daemon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which files of a watch directory are ready to be read, without I/O: given each poll's listing, a {@code .torrent}
 * or {@code .magnet} file is ready when it was seen at the poll before with the same size and modification time,
 * so that a file still being written (copied in, saved by a browser) is never read half. Anything else is ignored.
 */
final class WatchDirScan {
    /** What a poll saw of a file. */
    record Seen(long size, long modifiedMillis) {
    }

    private Map<String, Seen> previous = new HashMap<>();

    /** Whether a file name is one the watch dir adds: {@code .torrent} or {@code .magnet}, in any case. */
    static boolean watched(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (lower.endsWith(".torrent") || lower.endsWith(".magnet"));
    }

    /** The files of this poll's listing that did not change since the last poll, in name order. */
    List<String> poll(Map<String, Seen> listing) {
        Map<String, Seen> now = new HashMap<>();
        List<String> ready = new ArrayList<>();
        listing.forEach((name, seen) -> {
            if (watched(name)) {
                now.put(name, seen);
                if (seen.equals(previous.get(name))) {
                    ready.add(name);
                }
            }
        });
        ready.forEach(now::remove);
        previous = now;
        ready.sort(null);
        return ready;
    }
}
