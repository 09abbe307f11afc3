package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.session.FilePriority;
import dev.jtorrent.session.FileStatus;

import java.util.List;
import java.util.Optional;

/**
 * torrent-set: speed limits, file selection and priorities, labels, sequential download and the tracker edits
 * ({@link TrackerEdits}), for the torrents {@code ids} names (all of them without {@code ids}, as in 3.00). File
 * indices and labels are checked before anything changes; a tracker URL the session refuses stops the request
 * there, with its reason.
 *
 * <p>Keys for what jtorrent's session cannot do yet are accepted and not applied, as transmission-daemon accepts
 * keys it does not know: {@code bandwidthPriority}, {@code honorsSessionLimits}, {@code peer-limit},
 * {@code queuePosition}, the seed ratio and idle limits, {@code location} and {@code group}.
 * torrent-get then reports what holds.
 */
final class TorrentSet {
    private TorrentSet() {
    }

    static Body call(Arguments args, RpcState state) throws RpcException {
        List<DaemonTorrent> torrents = Ids.of(args, state.table()).torrents();
        FileChoices files = new FileChoices(args);
        Optional<List<String>> labels = Labels.of(args);
        if (files.any()) {
            for (DaemonTorrent torrent : torrents) {
                files.check(torrent.handle().files().size());
            }
        }
        Long downLimit = boxed(args, "downloadLimit");
        Boolean downLimited = args.bool("downloadLimited").orElse(null);
        Long upLimit = boxed(args, "uploadLimit");
        Boolean upLimited = args.bool("uploadLimited").orElse(null);
        Optional<Boolean> sequential = args.bool("sequentialDownload");
        TrackerEdits trackers = new TrackerEdits(args);
        for (DaemonTorrent torrent : torrents) {
            if (trackers.any()) {
                trackers.apply(torrent);
            }
            if (downLimit != null || downLimited != null) {
                state.setDownloadLimit(torrent, downLimit, downLimited);
            }
            if (upLimit != null || upLimited != null) {
                state.setUploadLimit(torrent, upLimit, upLimited);
            }
            if (files.any()) {
                List<FileStatus> statuses = torrent.handle().files();
                FilePriority[] current = statuses.stream().map(FileStatus::priority).toArray(FilePriority[]::new);
                FilePriority[] next = files.apply(current);
                for (int i = 0; i < next.length; i++) {
                    if (next[i] != current[i]) {
                        torrent.handle().setFilePriority(i, next[i]);
                    }
                }
            }
            labels.ifPresent(value -> state.table().setLabels(torrent, value));
            sequential.ifPresent(torrent.handle()::setSequential);
            state.activity().touch(torrent.infoHash());
        }
        return Body.EMPTY;
    }

    static Long boxed(Arguments args, String key) {
        var value = args.integer(key);
        return value.isPresent() ? value.getAsLong() : null;
    }
}
