package dev.jtorrent.daemon;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.InvalidTorrentException;
import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.TorrentHandle;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The daemon's torrents: each session torrent with its {@link DaemonTorrent} record, found by id or info hash, and
 * the ids removed lately (the Transmission RPC's {@code recently-active} reports them).
 *
 * <p>Adding is serialised, so that two clients adding the same torrent at once get one torrent and one duplicate.
 * Reads are lock-free.
 */
public final class TorrentTable {
    /** How long a removed torrent's id is reported as removed: Transmission's {@code recently-active} window. */
    static final Duration RECENTLY_REMOVED = Duration.ofSeconds(60);
    /** At most this many removed ids are remembered, however fast torrents are removed. */
    static final int MAX_RECENTLY_REMOVED = 10_000;

    /**
     * What an add did: the torrent, and whether it was there already (Transmission's {@code torrent-duplicate}).
     */
    public record Added(DaemonTorrent torrent, boolean duplicate) {
    }

    private record Removal(int id, Instant at) {
    }

    /** What a torrent was added from, for the daemon's state to keep. */
    public sealed interface Source {
        /** A {@code .torrent} file's bytes. */
        record Metainfo(byte[] bytes) implements Source {
        }

        /** A magnet link; the session's resume directory keeps the metadata once it is fetched. */
        record Magnet(MagnetLink link) implements Source {
        }
    }

    /**
     * Told of every change the table makes or is told of, on the thread that made it, for the daemon's state to
     * save ({@link StateStore}). It must be quick and must not call back into the table's mutators.
     */
    interface Listener {
        void added(DaemonTorrent torrent, Source source);

        void removed(DaemonTorrent torrent);

        void changed(DaemonTorrent torrent);
    }

    private static final Listener NONE = new Listener() {
        @Override
        public void added(DaemonTorrent torrent, Source source) {
        }

        @Override
        public void removed(DaemonTorrent torrent) {
        }

        @Override
        public void changed(DaemonTorrent torrent) {
        }
    };

    private final Session session;
    private final Clock clock;
    private final Map<Integer, DaemonTorrent> byId = new ConcurrentHashMap<>();
    private final Map<InfoHash, DaemonTorrent> byHash = new ConcurrentHashMap<>();
    private final Deque<Removal> removals = new ArrayDeque<>();
    private int nextId = 1;
    private volatile Listener listener = NONE;

    public TorrentTable(Session session, Clock clock) {
        this.session = Objects.requireNonNull(session, "session");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Session session() {
        return session;
    }

    /**
     * Adds the torrent whose metainfo is {@code metainfo}, or finds it if it is there.
     *
     * @throws InvalidTorrentException if it is not a valid torrent
     */
    public Added add(byte[] metainfo, AddOptions options, List<String> labels, String category)
            throws InvalidTorrentException {
        Torrent torrent = Torrent.parse(metainfo);
        return add(torrent.infoHash(), handleOptions -> session.add(torrent, handleOptions), options, labels, category,
                clock.instant(), new Source.Metainfo(metainfo.clone()));
    }

    /** Adds the torrent of a magnet link, or finds it if it is there. */
    public Added add(MagnetLink magnet, AddOptions options, List<String> labels, String category) {
        InfoHash infoHash = magnet.infoHash().orElseThrow(() -> new IllegalArgumentException(
                "the magnet link has no BitTorrent v1 info hash (urn:btih)"));
        return add(infoHash, handleOptions -> session.add(magnet, handleOptions), options, labels, category,
                clock.instant(), new Source.Magnet(magnet));
    }

    /**
     * Adds a torrent the daemon kept from an earlier run, with the time it was first added; the listener is not told,
     * since what it would save is what was just read.
     */
    Added restore(Source source, AddOptions options, List<String> labels, String category, Instant addedAt)
            throws InvalidTorrentException {
        return switch (source) {
            case Source.Metainfo metainfo -> {
                Torrent torrent = Torrent.parse(metainfo.bytes());
                yield add(torrent.infoHash(), handleOptions -> session.add(torrent, handleOptions), options, labels,
                        category, addedAt, null);
            }
            case Source.Magnet magnet -> add(magnet.link().infoHash().orElseThrow(() -> new IllegalArgumentException(
                            "the magnet link has no BitTorrent v1 info hash (urn:btih)")),
                    handleOptions -> session.add(magnet.link(), handleOptions), options, labels, category, addedAt,
                    null);
        };
    }

    private synchronized Added add(InfoHash infoHash, Function<AddOptions, TorrentHandle> adder, AddOptions options,
                                   List<String> labels, String category, Instant addedAt, Source source) {
        DaemonTorrent existing = byHash.get(infoHash);
        if (existing != null) {
            return new Added(existing, true);
        }
        TorrentHandle handle = adder.apply(options);
        DaemonTorrent torrent = new DaemonTorrent(nextId++, handle, addedAt, labels, category);
        byId.put(torrent.id(), torrent);
        byHash.put(infoHash, torrent);
        if (source != null) {
            listener.added(torrent, source);
        }
        return new Added(torrent, false);
    }

    /** Sets the one listener of the table's changes. */
    void listen(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Tells the daemon that a torrent's handle was changed directly (paused, resumed, its limits, file priorities or
     * sequential flag set, moved), so that its state is saved now rather than at the next periodic save. An API
     * calls this after each such change.
     */
    public void changed(DaemonTorrent torrent) {
        listener.changed(torrent);
    }

    public Optional<DaemonTorrent> byId(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Optional<DaemonTorrent> byHash(InfoHash infoHash) {
        return Optional.ofNullable(byHash.get(infoHash));
    }

    /** Every torrent, in the order they were added (by id). */
    public List<DaemonTorrent> all() {
        List<DaemonTorrent> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparingInt(DaemonTorrent::id));
        return all;
    }

    public int size() {
        return byId.size();
    }

    /**
     * Removes a torrent from the daemon and its session, and with {@code deleteData} its files.
     *
     * @throws IOException if its files cannot all be deleted (it is removed all the same)
     */
    public void remove(DaemonTorrent torrent, boolean deleteData) throws IOException {
        synchronized (this) {
            if (!byId.remove(torrent.id(), torrent)) {
                return;
            }
            byHash.remove(torrent.infoHash(), torrent);
            noteRemoval(torrent.id());
        }
        listener.removed(torrent);
        session.remove(torrent.handle(), deleteData);
    }

    /** Remembers a removed id, forgetting the oldest past {@link #MAX_RECENTLY_REMOVED}. */
    synchronized void noteRemoval(int id) {
        Instant now = clock.instant();
        removals.addLast(new Removal(id, now));
        forgetOldRemovals(now);
    }

    /** The ids of the torrents removed in the last {@link #RECENTLY_REMOVED}, oldest first. */
    public synchronized List<Integer> recentlyRemoved() {
        forgetOldRemovals(clock.instant());
        return removals.stream().map(Removal::id).toList();
    }

    private void forgetOldRemovals(Instant now) {
        Instant oldest = now.minus(RECENTLY_REMOVED);
        while (!removals.isEmpty()
                && (removals.size() > MAX_RECENTLY_REMOVED || removals.peekFirst().at().isBefore(oldest))) {
            removals.removeFirst();
        }
    }

    /** Sets a torrent's labels. */
    public void setLabels(DaemonTorrent torrent, List<String> labels) {
        torrent.setLabels(labels);
        listener.changed(torrent);
    }

    /** Sets a torrent's category, the empty string for none. */
    public void setCategory(DaemonTorrent torrent, String category) {
        torrent.setCategory(category);
        listener.changed(torrent);
    }
}
