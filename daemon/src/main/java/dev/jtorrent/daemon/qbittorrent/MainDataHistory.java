package dev.jtorrent.daemon.qbittorrent;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one web session was last sent by {@code sync/maindata}: the snapshots of its last {@link #capacity} answers,
 * each under the {@code rid} it was sent with, so that a client that passes back one of them gets only what changed
 * since (and one that passes anything else, or a {@code rid} pushed out, a full update, as qBittorrent does when it
 * cannot tell what the client has). qBittorrent keeps the state the client acknowledged and what it sent since;
 * keeping the last few snapshots covers a client that lost one answer, and bounds the memory by the capacity, not
 * by the polls.
 *
 * <p>Consecutive snapshots share the rows of torrents that did not change ({@link #intern}), so a few snapshots of
 * 10,000 idle torrents cost little more than one.
 */
final class MainDataHistory {
    /** qBittorrent cycles its response ids between 1 and 1,000,000. */
    static final int MAX_RID = 1_000_000;

    /**
     * The state sent to a client once.
     *
     * @param torrents    each torrent's row by hash
     * @param trackers    the hashes of the torrents of each tracker URL
     * @param categories  each category's save path by name
     * @param tags        every tag
     * @param serverState the server state's values, in {@link ServerState#FIELDS} order
     */
    record Snapshot(Map<String, Object[]> torrents, Map<String, List<String>> trackers,
                    Map<String, String> categories, List<String> tags, Object[] serverState) {
        Snapshot {
            Objects.requireNonNull(torrents, "torrents");
            Objects.requireNonNull(trackers, "trackers");
            categories = Map.copyOf(categories);
            tags = List.copyOf(tags);
            Objects.requireNonNull(serverState, "serverState");
        }
    }

    private record Sent(int rid, Snapshot snapshot) {
    }

    private final int capacity;
    private final Deque<Sent> sent = new ArrayDeque<>();
    private int lastRid;

    MainDataHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** What to answer: the new rid, and the snapshot the client has (null for a full update). */
    record Answer(int rid, Snapshot base) {
    }

    /**
     * Records that {@code now} is sent in answer to a client that says it has {@code acceptedRid}, and says what to
     * diff it against.
     */
    synchronized Answer send(int acceptedRid, Snapshot now) {
        Snapshot base = null;
        if (acceptedRid > 0) {
            for (Sent old : sent) {
                if (old.rid() == acceptedRid) {
                    base = old.snapshot();
                }
            }
        }
        lastRid = lastRid % MAX_RID + 1;
        sent.addLast(new Sent(lastRid, now));
        while (sent.size() > capacity) {
            sent.removeFirst();
        }
        return new Answer(lastRid, base);
    }

    /**
     * {@code rows}, each replaced by the equal row of the latest snapshot where there is one, so that snapshots
     * share what did not change.
     */
    synchronized Map<String, Object[]> intern(Map<String, Object[]> rows) {
        Sent latest = sent.peekLast();
        if (latest == null) {
            return rows;
        }
        Map<String, Object[]> previous = latest.snapshot().torrents();
        Map<String, Object[]> interned = new HashMap<>(rows.size() * 2);
        rows.forEach((hash, row) -> {
            Object[] old = previous.get(hash);
            interned.put(hash, old != null && Arrays.equals(old, row) ? old : row);
        });
        return interned;
    }

    /** Snapshots kept; for tests. */
    synchronized int size() {
        return sent.size();
    }
}
