package dev.jtorrent.session;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a torrent is in its life, as {@link TorrentStatus#state()} reports it. A sealed type, so that a {@code
 * switch} over it is checked for completeness:
 *
 * <pre>{@code
 * String text = switch (handle.status().state()) {
 *     case TorrentState.WaitingForMetadata w -> "waiting for metadata";
 *     case TorrentState.Queued q -> "queued for checking";
 *     case TorrentState.Checking c -> String.format("checking %.0f%%", c.progress() * 100);
 *     case TorrentState.QueuedToDownload q -> "queued to download";
 *     case TorrentState.QueuedToSeed q -> "queued to seed";
 *     case TorrentState.Downloading d -> "downloading";
 *     case TorrentState.Seeding s -> "seeding";
 *     case TorrentState.Moving m -> "moving";
 *     case TorrentState.Paused p -> "paused";
 *     case TorrentState.Failed f -> "error: " + f.message();
 * };
 * }</pre>
 */
public sealed interface TorrentState {

    /** Added from a magnet link or an info hash, and its metadata (the info dictionary) is not yet known. */
    record WaitingForMetadata() implements TorrentState {
        @Override
        public String toString() {
            return "waiting for metadata";
        }
    }

    /**
     * Waiting for the checks of torrents added before it: a session checks one torrent's data at a time. (Not to be
     * confused with {@link QueuedToDownload} and {@link QueuedToSeed}, the session's download and seed queues.)
     */
    record Queued() implements TorrentState {
        @Override
        public String toString() {
            return "queued for checking";
        }
    }

    /**
     * Checking the data already in the download directory.
     *
     * @param progress the fraction checked so far, 0 to 1
     */
    record Checking(double progress) implements TorrentState {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "checking (%.0f%%)", progress * 100);
        }
    }

    /**
     * Checked, and waiting for room in the session's download queue ({@link Session#downloadQueueSize()}): it
     * starts when fewer torrents download, in queue order ({@link TorrentHandle#queuePosition()}), or at once when
     * force-started. Asleep meanwhile: no connections, no announces.
     */
    record QueuedToDownload() implements TorrentState {
        @Override
        public String toString() {
            return "queued to download";
        }
    }

    /**
     * Checked and complete, and waiting for room in the session's seed queue ({@link Session#seedQueueSize()}), as
     * {@link QueuedToDownload} waits in the download queue.
     */
    record QueuedToSeed() implements TorrentState {
        @Override
        public String toString() {
            return "queued to seed";
        }
    }

    /** Some wanted piece is missing, and the torrent is looking for peers to get it from. */
    record Downloading() implements TorrentState {
        @Override
        public String toString() {
            return "downloading";
        }
    }

    /** Every wanted piece is verified on disk; the torrent uploads to whoever asks. */
    record Seeding() implements TorrentState {
        @Override
        public String toString() {
            return "seeding";
        }
    }

    /** Its files are being moved to another directory ({@link TorrentHandle#moveStorage}). */
    record Moving() implements TorrentState {
        @Override
        public String toString() {
            return "moving";
        }
    }

    /** Stopped by {@link TorrentHandle#pause()}: no connections, no announces, files closed. */
    record Paused() implements TorrentState {
        @Override
        public String toString() {
            return "paused";
        }
    }

    /**
     * Stopped, or held back, by an error. A full disk is one that the torrent gets over by itself ({@code
     * retrying}): it keeps uploading and looks for free space every few seconds; any other error stops the
     * torrent until {@link TorrentHandle#resume()} or {@link TorrentHandle#recheck()}.
     *
     * @param message  what went wrong, in one line
     * @param retrying whether the torrent retries by itself
     */
    record Failed(String message, boolean retrying) implements TorrentState {
        public Failed {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return (retrying ? "held back: " : "error: ") + message;
        }
    }
}
