package dev.jtorrent.daemon.qbittorrent;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the event streams push, worked out without I/O: given the state now (a {@code sync/maindata} snapshot) and
 * the time, the update to send since the last one, in {@code sync/maindata}'s own partial form (written by {@link
 * SyncEndpoints#write}, so a client merges a pushed update exactly as it merges a polled one).
 *
 * <p>A torrent's changes go out at most once every {@link #MIN_GAP_NANOS}: a change that comes sooner is held back
 * (the update carries the row last sent) and goes with the first update after the gap, compared then with what was
 * sent, so nothing is lost and a torrent whose rate flickers costs one message a second. A torrent added or removed
 * goes at once: that happens once. The server state (global rates) follows the same rule as one torrent. Each
 * update has the next id; no update is made when nothing that may be sent changed.
 */
final class TorrentFeed {
    /** The least time between two updates that carry changes of one torrent: one second. */
    static final long MIN_GAP_NANOS = 1_000_000_000L;

    /** One update: its id, what the clients had before it, and what they have after it. */
    record Update(int id, MainDataHistory.Snapshot base, MainDataHistory.Snapshot now) {
    }

    private MainDataHistory.Snapshot sent;
    private final Map<String, Long> sentAt = new HashMap<>();
    private long serverSentAt;
    private int lastId;

    /**
     * The update that brings clients from what was last sent to {@code now}, as far as the gap allows; empty when
     * there is nothing to send. The first call after {@link #reset} sends nothing: it sets what later updates are
     * measured from (a client starts from a full fetch of its own).
     */
    Optional<Update> next(MainDataHistory.Snapshot now, long nanos) {
        Objects.requireNonNull(now, "now");
        MainDataHistory.Snapshot base = sent;
        if (base == null) {
            sent = now;
            sentAt.clear();
            now.torrents().keySet().forEach(hash -> sentAt.put(hash, nanos));
            serverSentAt = nanos;
            return Optional.empty();
        }
        boolean changed = false;
        Map<String, Object[]> rows = new LinkedHashMap<>(now.torrents().size() * 2);
        for (Map.Entry<String, Object[]> entry : now.torrents().entrySet()) {
            String hash = entry.getKey();
            Object[] old = base.torrents().get(hash);
            Object[] row = entry.getValue();
            if (old == null) {
                changed = true;
                sentAt.put(hash, nanos);
                rows.put(hash, row);
            } else if (old == row || Arrays.equals(old, row)) {
                rows.put(hash, old);
            } else if (nanos - sentAt.getOrDefault(hash, Long.MIN_VALUE / 2) >= MIN_GAP_NANOS) {
                changed = true;
                sentAt.put(hash, nanos);
                rows.put(hash, row);
            } else {
                rows.put(hash, old);
            }
        }
        if (rows.size() != base.torrents().size() + countNew(base, now)) {
            changed = true; // some were removed
        }
        sentAt.keySet().retainAll(rows.keySet());
        Object[] server = base.serverState();
        if (!Arrays.equals(server, now.serverState()) && nanos - serverSentAt >= MIN_GAP_NANOS) {
            server = now.serverState();
            serverSentAt = nanos;
            changed = true;
        }
        changed |= !base.categories().equals(now.categories()) || !base.tags().equals(now.tags())
                || !base.trackers().equals(now.trackers());
        if (!changed) {
            return Optional.empty();
        }
        sent = new MainDataHistory.Snapshot(rows, now.trackers(), now.categories(), now.tags(), server);
        lastId = lastId % MainDataHistory.MAX_RID + 1;
        return Optional.of(new Update(lastId, base, sent));
    }

    private static int countNew(MainDataHistory.Snapshot base, MainDataHistory.Snapshot now) {
        int added = 0;
        for (String hash : now.torrents().keySet()) {
            if (!base.torrents().containsKey(hash)) {
                added++;
            }
        }
        return added;
    }

    /** Forgets what was sent: the next call only sets the base again (when streams open after none were). */
    void reset() {
        sent = null;
        sentAt.clear();
    }
}
