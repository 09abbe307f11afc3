package dev.jtorrent.daemon;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The daemon's tags (qBittorrent's): names that exist whether or not a torrent carries them, so that a client can
 * create one before using it and list them all. A torrent's tags are its {@link DaemonTorrent#labels()}. Kept
 * through {@link #snapshot()} and {@link #restore(Collection)}. Thread-safe.
 */
public final class Tags {
    /** At most this many tags. */
    public static final int MAX_TAGS = 10_000;

    private final TreeSet<String> names = new TreeSet<>();

    /** Adds tags; past {@link #MAX_TAGS} the rest are not added. @return the tags that are new */
    public synchronized List<String> create(Collection<String> tags) {
        return tags.stream().filter(tag -> names.size() < MAX_TAGS && names.add(Objects.requireNonNull(tag)))
                .toList();
    }

    public synchronized void delete(Collection<String> tags) {
        names.removeAll(tags);
    }

    public synchronized boolean contains(String tag) {
        return names.contains(tag);
    }

    /** Every tag, sorted. */
    public synchronized List<String> snapshot() {
        return List.copyOf(names);
    }

    /** Replaces every tag by those of a {@link #snapshot()}. */
    public synchronized void restore(Collection<String> snapshot) {
        names.clear();
        names.addAll(snapshot);
    }
}
