package dev.jtorrent.daemon;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.session.TorrentHandle;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One torrent of the daemon: the session's handle, and what the daemon keeps about it beyond the session: the
 * small integer id the Transmission RPC names it by, when it was added, its labels and its category.
 *
 * <p>Labels are Transmission's {@code labels} and qBittorrent's tags; the category is qBittorrent's (one per
 * torrent, or none). Both are replaced whole, never mutated, so a reader on another thread always sees a consistent
 * value.
 */
public final class DaemonTorrent {
    private final int id;
    private final TorrentHandle handle;
    private final Instant addedAt;
    private volatile List<String> labels;
    private volatile String category;

    DaemonTorrent(int id, TorrentHandle handle, Instant addedAt, List<String> labels, String category) {
        this.id = id;
        this.handle = Objects.requireNonNull(handle, "handle");
        this.addedAt = Objects.requireNonNull(addedAt, "addedAt");
        this.labels = List.copyOf(labels);
        this.category = Objects.requireNonNull(category, "category");
    }

    /** The id the Transmission RPC names this torrent by: unique in the daemon's run, never reused in it. */
    public int id() {
        return id;
    }

    public TorrentHandle handle() {
        return handle;
    }

    public InfoHash infoHash() {
        return handle.infoHash();
    }

    public Instant addedAt() {
        return addedAt;
    }

    /** The labels, in the order they were set, without duplicates. */
    public List<String> labels() {
        return labels;
    }

    void setLabels(List<String> labels) {
        this.labels = List.copyOf(labels);
    }

    /** The category, or the empty string for none. */
    public String category() {
        return category;
    }

    void setCategory(String category) {
        this.category = Objects.requireNonNull(category, "category");
    }

    @Override
    public String toString() {
        return "#" + id + " " + handle.name();
    }
}
