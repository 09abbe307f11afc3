package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.mse.MseHandshake;
import dev.jtorrent.mse.Req2Hash;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The torrents of a session, by info hash, in the order they were added: at most one per info hash, and none added
 * once the session closes; and by the hash an encrypted handshake names a torrent by ({@link Req2Hash}), so that
 * an incoming MSE connection finds its torrent at the cost of one map lookup. Thread-safe.
 */
final class TorrentRegistry {
    /** Guarded by this. */
    private final Map<InfoHash, TorrentHandle> handles = new LinkedHashMap<>();
    private volatile boolean closed;
    /** The info hashes of {@link #handles} by their req2 hash; read without the lock by incoming handshakes. */
    private final Map<Req2Hash, InfoHash> byReq2 = new ConcurrentHashMap<>();

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
        byReq2.put(MseHandshake.req2Hash(handle.infoHash()), handle.infoHash());
    }

    /** The torrent an MSE initiator names by {@code req2}, if it is in the session (running, paused or a magnet). */
    Optional<InfoHash> byReq2(Req2Hash req2) {
        return Optional.ofNullable(byReq2.get(req2));
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
        byReq2.remove(MseHandshake.req2Hash(handle.infoHash()));
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
