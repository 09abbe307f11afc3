package dev.jtorrent.daemon.qbittorrent;

import java.util.Optional;
import java.util.Set;

/**
 * {@code torrents/info}'s selection, as qBittorrent's {@code TorrentFilter}: a state filter, a category and a tag
 * (each absent for any; the empty string for none), and a set of hashes.
 */
record TorrentFilter(String filter, Optional<String> category, Optional<String> tag, Optional<Set<String>> hashes) {
    /** Whether a row, in state {@code state}, passes. */
    boolean matches(Backend.Row row, QbtState state) {
        Object[] values = row.values();
        if (hashes.isPresent() && !hashes.get().contains((String) values[TorrentRow.HASH])) {
            return false;
        }
        if (category.isPresent() && !category.get().equals(row.torrent().category())) {
            return false;
        }
        if (tag.isPresent() && !(tag.get().isEmpty() ? row.torrent().labels().isEmpty()
                : row.torrent().labels().contains(tag.get()))) {
            return false;
        }
        return switch (filter) {
            case "downloading" -> state.downloading();
            case "seeding" -> state.seeding();
            case "completed" -> state.completed();
            case "paused", "stopped" -> state.paused();
            case "resumed", "running" -> !state.paused();
            case "active" -> state.active(row.status().uploadRate());
            case "inactive" -> !state.active(row.status().uploadRate());
            case "stalled" -> state == QbtState.STALLED_UP || state == QbtState.STALLED_DL;
            case "stalled_uploading" -> state == QbtState.STALLED_UP;
            case "stalled_downloading" -> state == QbtState.STALLED_DL;
            case "checking" -> state.checking();
            case "moving" -> state == QbtState.MOVING;
            case "errored" -> state.errored();
            default -> true; // "all", and like qBittorrent anything it does not know
        };
    }
}
