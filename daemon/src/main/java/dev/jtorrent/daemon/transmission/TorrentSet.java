package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.session.FilePriority;
import dev.jtorrent.session.FileStatus;
import dev.jtorrent.session.SeedLimits;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * torrent-set: speed limits, file selection and priorities, labels, sequential download, the tracker edits
 * ({@link TrackerEdits}), the queue position and the seed ratio and idle limits with their modes, for the torrents
 * {@code ids} names (all of them without {@code ids}, as in 3.00). File indices and labels are checked before
 * anything changes; a tracker URL the session refuses stops the request there, with its reason. A seed-limit value
 * Transmission would not take (a negative or non-finite ratio, a mode other than 0, 1 or 2) is ignored, as it
 * ignores it; an idle limit is kept within 1 and 65,535 minutes, and a queue position within the queue.
 *
 * <p>Keys for what jtorrent's session cannot do yet are accepted and not applied, as transmission-daemon accepts
 * keys it does not know: {@code bandwidthPriority}, {@code honorsSessionLimits}, {@code peer-limit},
 * {@code location} and {@code group}. torrent-get then reports what holds.
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
        OptionalLong position = args.integer("queuePosition");
        Optional<SeedLimits.Mode> ratioMode = mode(args, "seedRatioMode");
        OptionalDouble ratio = args.decimal("seedRatioLimit").stream()
                .filter(value -> Double.isFinite(value) && value >= 0).findFirst();
        Optional<SeedLimits.Mode> idleMode = mode(args, "seedIdleMode");
        OptionalLong idleMinutes = args.integer("seedIdleLimit");
        boolean seedLimits = ratioMode.isPresent() || ratio.isPresent() || idleMode.isPresent()
                || idleMinutes.isPresent();
        TrackerEdits trackers = new TrackerEdits(args);
        if (position.isPresent()) {
            // Positions first, each torrent's in turn, the others they push aside marked as active too.
            QueueMoves.touchingMoved(state, before -> {
                for (DaemonTorrent torrent : torrents) {
                    if (before.containsKey(torrent)) {
                        moveTo(torrent, position.getAsLong(), state);
                    }
                }
            });
        }
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
            if (seedLimits) {
                SeedLimits now = torrent.handle().seedLimits();
                SeedLimits next = now.withRatio(ratioMode.orElse(now.ratioMode()), ratio.orElse(now.ratio()))
                        .withIdle(idleMode.orElse(now.idleMode()), idleMinutes.isPresent()
                                ? SeedLimitModes.idle(idleMinutes.getAsLong()) : now.idle());
                torrent.handle().setSeedLimits(next);
            }
            state.activity().touch(torrent.infoHash());
        }
        return Body.EMPTY;
    }

    /** Moves the torrent to {@code position}, kept within the queue, as Transmission's set_queue_position keeps it. */
    private static void moveTo(DaemonTorrent torrent, long position, RpcState state) {
        int last = state.session().torrents().size() - 1;
        try {
            torrent.handle().moveQueueTo((int) Math.max(0, Math.min(position, last)));
        } catch (IllegalStateException | IndexOutOfBoundsException removedMeanwhile) {
            // Removed by another request since it was named (and the queue shorter by one): nothing to move.
        }
    }

    private static Optional<SeedLimits.Mode> mode(Arguments args, String key) {
        OptionalLong code = args.integer(key);
        return code.isPresent() ? SeedLimitModes.mode(code.getAsLong()) : Optional.empty();
    }

    static Long boxed(Arguments args, String key) {
        var value = args.integer(key);
        return value.isPresent() ? value.getAsLong() : null;
    }
}
