package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The torrents of a session, by info hash, in the order they were added: at most one per info hash, and none added
 * once the session closes. Thread-safe.
 */
final class TorrentRegistry {
    /** Guarded by this. */
    private final Map<InfoHash, TorrentHandle> handles = new LinkedHashMap<>();
    private volatile boolean closed;

    /** @throws IllegalStateException if a torrent of the same info hash is in the session, or the session is closed */
    synchronized void add(TorrentHandle handle) {
        if (closed) {
            throw new IllegalStateException("the session is closed");
        }
        if (handles.containsKey(handle.infoHash())) {
            throw new IllegalStateException("the torrent " + handle.name() + " (" + handle.infoHash().hex()
                    + ") is already in the session");
        }
        handles.put(handle.infoHash(), handle);
    }

    synchronized List<TorrentHandle> all() {
        return List.copyOf(handles.values());
    }

    synchronized Optional<TorrentHandle> find(InfoHash infoHash) {
        return Optional.ofNullable(handles.get(infoHash));
    }

    /**
     * Takes {@code handle} out.
     *
     * @throws IllegalArgumentException if it is of another session
     * @throws IllegalStateException    if it was already removed
     */
    synchronized void remove(TorrentHandle handle) {
        if (handles.get(handle.infoHash()) != handle) {
            if (handle.lifecycle().removed()) {
                throw new IllegalStateException("the torrent " + handle.name() + " was already removed");
            }
            throw new IllegalArgumentException("the torrent " + handle.name() + " is not in this session");
        }
        handles.remove(handle.infoHash());
    }

    /**
     * Refuses every add from now on.
     *
     * @return the torrents in the session, to stop; empty if it was closed already, so that one close alone stops
     *         them
     */
    synchronized Optional<List<TorrentHandle>> close() {
        if (closed) {
            return Optional.empty();
        }
        closed = true;
        return Optional.of(List.copyOf(handles.values()));
    }

    boolean closed() {
        return closed;
    }
}
