package dev.jtorrent.daemon;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The daemon's categories (qBittorrent's): each a name and the directory its torrents are saved to, the empty
 * string for the default one. A torrent names its category ({@link DaemonTorrent#category()}); the categories
 * themselves are daemon state, kept through {@link #snapshot()} and {@link #restore(Map)}. Thread-safe.
 */
public final class Categories {
    /** At most this many categories: each is a few strings, but a client must not grow the table without bound. */
    public static final int MAX_CATEGORIES = 10_000;

    private final TreeMap<String, String> savePaths = new TreeMap<>();

    /**
     * Adds a category.
     *
     * @return false if it exists already, or {@link #MAX_CATEGORIES} do
     */
    public synchronized boolean create(String name, String savePath) {
        Objects.requireNonNull(savePath, "savePath");
        if (savePaths.containsKey(Objects.requireNonNull(name, "name")) || savePaths.size() >= MAX_CATEGORIES) {
            return false;
        }
        savePaths.put(name, savePath);
        return true;
    }

    /**
     * Changes a category's save path.
     *
     * @return false if there is no such category
     */
    public synchronized boolean edit(String name, String savePath) {
        Objects.requireNonNull(savePath, "savePath");
        if (!savePaths.containsKey(name)) {
            return false;
        }
        savePaths.put(name, savePath);
        return true;
    }

    public synchronized void remove(Collection<String> names) {
        names.forEach(savePaths::remove);
    }

    /** The save path of a category, the empty string for the default one; empty if there is no such category. */
    public synchronized Optional<String> savePath(String name) {
        return Optional.ofNullable(savePaths.get(name));
    }

    public synchronized boolean contains(String name) {
        return savePaths.containsKey(name);
    }

    /** Every category and its save path, by name. */
    public synchronized Map<String, String> snapshot() {
        return Map.copyOf(savePaths);
    }

    /** Replaces every category by those of a {@link #snapshot()}. */
    public synchronized void restore(Map<String, String> snapshot) {
        savePaths.clear();
        savePaths.putAll(snapshot);
    }
}
