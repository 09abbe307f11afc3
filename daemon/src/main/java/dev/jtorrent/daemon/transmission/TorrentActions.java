package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.session.FileStatus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The methods that act on torrents: remove, start, start-now, stop, verify, set-location, rename-path; and those
 * that need what jtorrent's session cannot do yet (reannounce, the queue, renames on disk), which answer so in their
 * result rather than pretend.
 */
final class TorrentActions {
    static final String NO_LOCATION = "no location";
    static final String LOCATION_NOT_ABSOLUTE = "new location path is not absolute";
    static final String LOCATION_NOT_ALLOWED = "new location is outside the directories the daemon may write to";
    static final String MOVE_ONLY = "set-location without move is not supported yet: jtorrent cannot yet point a"
            + " torrent at data in another directory; move it instead";
    static final String RENAME_ONE = "torrent-rename-path requires 1 torrent";
    static final String INVALID = "Invalid argument";
    static final String NO_RENAME = "renaming a torrent's files is not supported yet";
    static final String NO_REANNOUNCE = "reannouncing on demand is not supported yet";
    static final String NO_QUEUE = "the queue is not supported yet: every torrent runs when started";

    private static final System.Logger LOG = System.getLogger(TorrentActions.class.getName());

    private TorrentActions() {
    }

    static Body remove(Arguments args, RpcState state) {
        boolean delete = args.bool("delete-local-data").orElse(false);
        forEach(Ids.of(args, state.table()).torrents(), torrent -> {
            state.removing(torrent);
            try {
                state.table().remove(torrent, delete);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "torrent-remove: " + torrent + ": its data could not all be"
                        + " deleted: " + e.getMessage());
            }
        });
        return Body.EMPTY;
    }

    static Body start(Arguments args, RpcState state) {
        forEach(Ids.of(args, state.table()).torrents(), torrent -> torrent.handle().resume());
        return Body.EMPTY;
    }

    /** Stops each torrent; they are stopped side by side, since each may wait for its trackers' replies. */
    static Body stop(Arguments args, RpcState state) {
        forEach(Ids.of(args, state.table()).torrents(), torrent -> torrent.handle().pause());
        return Body.EMPTY;
    }

    /** Checks each torrent's data again; torrents without metadata have nothing to check and are skipped. */
    static Body verify(Arguments args, RpcState state) {
        for (DaemonTorrent torrent : Ids.of(args, state.table()).torrents()) {
            if (torrent.handle().torrent().isPresent()) {
                torrent.handle().recheck();
            }
        }
        return Body.EMPTY;
    }

    static Body reannounce(Arguments args, RpcState state) throws RpcException {
        throw new RpcException(NO_REANNOUNCE);
    }

    static Body queueMove(Arguments args, RpcState state) throws RpcException {
        throw new RpcException(NO_QUEUE);
    }

    /**
     * Moves the torrents' data to {@code location}; the reply comes at once, and torrent-get shows the torrent
     * stopped while its files move.
     */
    static Body setLocation(Arguments args, RpcState state) throws RpcException {
        String location = args.string("location").filter(s -> !s.isEmpty())
                .orElseThrow(() -> new RpcException(NO_LOCATION));
        Path dir = TorrentAdd.allowedDirectory(location, state, LOCATION_NOT_ABSOLUTE, LOCATION_NOT_ALLOWED);
        if (!args.bool("move").orElse(false)) {
            throw new RpcException(MOVE_ONLY);
        }
        for (DaemonTorrent torrent : Ids.of(args, state.table()).torrents()) {
            if (torrent.handle().torrent().isPresent() && !torrent.handle().directory().equals(dir)) {
                torrent.handle().moveStorage(dir).exceptionally(e -> {
                    LOG.log(System.Logger.Level.WARNING, "torrent-set-location: " + torrent + ": " + e.getMessage());
                    return null;
                });
            }
        }
        return Body.EMPTY;
    }

    /**
     * Checks a rename as transmission-daemon does (one torrent, a path of its files, a name without '/'); the
     * rename itself needs the session's rename, not there yet.
     */
    static Body renamePath(Arguments args, RpcState state) throws RpcException {
        List<DaemonTorrent> torrents = Ids.of(args, state.table()).torrents();
        if (torrents.size() != 1) {
            throw new RpcException(RENAME_ONE);
        }
        String path = args.string("path").orElseThrow(() -> new RpcException(INVALID));
        String name = args.string("name").orElseThrow(() -> new RpcException(INVALID));
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new RpcException(INVALID);
        }
        boolean found = false;
        for (FileStatus file : torrents.get(0).handle().files()) {
            if (file.path().equals(path) || file.path().startsWith(path + "/")) {
                found = true;
                break;
            }
        }
        if (!found) {
            throw new RpcException(INVALID);
        }
        throw new RpcException(NO_RENAME);
    }

    /** Runs {@code action} on each torrent, side by side on virtual threads, and returns when all are done. */
    private static void forEach(List<DaemonTorrent> torrents, Consumer<DaemonTorrent> action) {
        if (torrents.size() == 1) {
            action.accept(torrents.get(0));
            return;
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (DaemonTorrent torrent : torrents) {
                threads.submit(() -> {
                    try {
                        action.accept(torrent);
                    } catch (IllegalStateException removedMeanwhile) {
                        // Removed by another request since it was named: nothing is left to act on.
                    }
                });
            }
        }
    }
}
