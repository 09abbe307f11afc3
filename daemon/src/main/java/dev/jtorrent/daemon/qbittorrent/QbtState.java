package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.session.TorrentState;
import dev.jtorrent.session.TorrentStatus;

/**
 * A torrent's {@code state} as qBittorrent 4.x names it (its {@code TorrentState} and {@code torrentStateToString}),
 * mapped from jtorrent's {@link TorrentState} the way qBittorrent derives it from libtorrent's status: an error
 * first, then no metadata ({@code metaDL}, {@code forcedMetaDL}), moving, checking, then paused, queued, forced,
 * stalled or active by side (DL while a wanted byte is missing, UP once none is), as its {@code
 * TorrentImpl::updateState} orders them.
 *
 * <p>The 4.x names and not 5.0's {@code stoppedDL}/{@code stoppedUP}, because the API reports version 2.9.3
 * (qBittorrent 4.6): clients choose what to expect by that version (Sonarr and Radarr read {@code stoppedUP} only
 * from 2.11 on, and older ones not at all), so the names must be those of the version claimed. A torrent waiting in
 * the session's download or seed queue is {@code queuedDL} or {@code queuedUP}; a force-started one that runs is
 * {@code forcedDL}, {@code forcedUP} or {@code forcedMetaDL}, whatever it moves. {@code missingFiles} and {@code
 * checkingResumeData} are not produced: the session reports neither.
 */
enum QbtState {
    ERROR("error"),
    MISSING_FILES("missingFiles"),
    UPLOADING("uploading"),
    PAUSED_UP("pausedUP"),
    QUEUED_UP("queuedUP"),
    STALLED_UP("stalledUP"),
    CHECKING_UP("checkingUP"),
    FORCED_UP("forcedUP"),
    DOWNLOADING("downloading"),
    META_DL("metaDL"),
    FORCED_META_DL("forcedMetaDL"),
    PAUSED_DL("pausedDL"),
    QUEUED_DL("queuedDL"),
    STALLED_DL("stalledDL"),
    CHECKING_DL("checkingDL"),
    FORCED_DL("forcedDL"),
    CHECKING_RESUME_DATA("checkingResumeData"),
    MOVING("moving");

    private final String apiName;

    QbtState(String apiName) {
        this.apiName = apiName;
    }

    String apiName() {
        return apiName;
    }

    /** The state of a torrent with this status, force-started ({@code TorrentHandle.forceStart()}) or not. */
    static QbtState of(TorrentStatus status, boolean forced) {
        boolean complete = status.wantedBytes() > 0 && status.bytesLeft() == 0;
        return switch (status.state()) {
            case TorrentState.Failed failed -> ERROR;
            case TorrentState.WaitingForMetadata waiting -> forced ? FORCED_META_DL : META_DL;
            case TorrentState.Moving moving -> MOVING;
            // Waiting for the session's one check at a time: libtorrent's queued check is checking_files too.
            case TorrentState.Queued queued -> complete ? CHECKING_UP : CHECKING_DL;
            case TorrentState.Checking checking -> complete ? CHECKING_UP : CHECKING_DL;
            case TorrentState.Paused paused -> complete ? PAUSED_UP : PAUSED_DL;
            case TorrentState.QueuedToDownload queued -> QUEUED_DL;
            case TorrentState.QueuedToSeed queued -> QUEUED_UP;
            case TorrentState.Seeding seeding -> forced ? FORCED_UP : status.uploadRate() > 0 ? UPLOADING : STALLED_UP;
            case TorrentState.Downloading downloading -> forced ? FORCED_DL
                    : status.downloadRate() > 0 ? DOWNLOADING : STALLED_DL;
        };
    }

    /** qBittorrent's {@code isDownloading()}: the DL side, paused included. */
    boolean downloading() {
        return switch (this) {
            case DOWNLOADING, META_DL, FORCED_META_DL, STALLED_DL, CHECKING_DL, PAUSED_DL, QUEUED_DL, FORCED_DL ->
                    true;
            default -> false;
        };
    }

    /** qBittorrent's {@code isUploading()}: the UP side, not paused. */
    boolean seeding() {
        return switch (this) {
            case UPLOADING, STALLED_UP, CHECKING_UP, QUEUED_UP, FORCED_UP -> true;
            default -> false;
        };
    }

    /** qBittorrent's {@code isCompleted()}: the UP side, paused included. */
    boolean completed() {
        return seeding() || this == PAUSED_UP;
    }

    boolean paused() {
        return this == PAUSED_DL || this == PAUSED_UP;
    }

    boolean errored() {
        return this == ERROR || this == MISSING_FILES;
    }

    boolean checking() {
        return this == CHECKING_DL || this == CHECKING_UP || this == CHECKING_RESUME_DATA;
    }

    /** qBittorrent's {@code isActive()}: moving data, or a stalled download that still uploads. */
    boolean active(double uploadRate) {
        return switch (this) {
            case STALLED_DL -> uploadRate > 0;
            case META_DL, FORCED_META_DL, DOWNLOADING, FORCED_DL, UPLOADING, FORCED_UP, MOVING -> true;
            default -> false;
        };
    }
}
