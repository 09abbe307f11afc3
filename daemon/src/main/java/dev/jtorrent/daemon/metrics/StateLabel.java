package dev.jtorrent.daemon.metrics;

import dev.jtorrent.session.TorrentState;

import java.util.Locale;

/**
 * The {@code state} label of {@code jtorrent_torrents}: one value per kind of {@link TorrentState}, a full disk
 * apart from other errors. A closed set, so the gauge has eleven series however many torrents there are, and each is
 * reported, at 0 too, so that a state's series does not vanish when its last torrent leaves it.
 */
enum StateLabel {
    WAITING_FOR_METADATA,
    QUEUED_FOR_CHECK,
    CHECKING,
    QUEUED_TO_DOWNLOAD,
    QUEUED_TO_SEED,
    DOWNLOADING,
    SEEDING,
    MOVING,
    PAUSED,
    /** Held back by a full disk: uploading, and downloading again by itself once there is room. */
    HELD_BACK,
    /** Stopped by an error until resumed or rechecked. */
    ERROR;

    private final String label = name().toLowerCase(Locale.ROOT);

    static StateLabel of(TorrentState state) {
        return switch (state) {
            case TorrentState.WaitingForMetadata w -> WAITING_FOR_METADATA;
            case TorrentState.Queued q -> QUEUED_FOR_CHECK;
            case TorrentState.Checking c -> CHECKING;
            case TorrentState.QueuedToDownload q -> QUEUED_TO_DOWNLOAD;
            case TorrentState.QueuedToSeed q -> QUEUED_TO_SEED;
            case TorrentState.Downloading d -> DOWNLOADING;
            case TorrentState.Seeding s -> SEEDING;
            case TorrentState.Moving m -> MOVING;
            case TorrentState.Paused p -> PAUSED;
            case TorrentState.Failed f -> f.retrying() ? HELD_BACK : ERROR;
        };
    }

    String label() {
        return label;
    }
}
