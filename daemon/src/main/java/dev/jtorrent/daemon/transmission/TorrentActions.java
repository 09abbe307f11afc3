package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.session.FileStatus;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The methods that act on torrents: remove, start, start-now, stop, verify, reannounce, set-location and
 * rename-path. (The queue moves are {@link QueueMoves}.)
 */
final class TorrentActions {
    static final String NO_LOCATION = "no location";
    static final String LOCATION_NOT_ABSOLUTE = "new location path is not absolute";
    static final String LOCATION_NOT_ALLOWED = "new location is outside the directories the daemon may write to";
    static final String MOVE_ONLY = "set-location without move is not supported yet: jtorrent cannot yet point a"
            + " torrent at data in another directory; move it instead";
    static final String RENAME_ONE = "torrent-rename-path requires 1 torrent";
    static final String INVALID = "Invalid argument";
    /** How long rename-path waits for the rename before it answers (a running torrent stops for it first). */
    static final Duration RENAME_TIMEOUT = Duration.ofSeconds(30);

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

    /**
     * torrent-start ({@code now} false) and torrent-start-now ({@code now} true). A plain start puts the torrent
     * under the session's queue, taking back a force start ({@code TorrentHandle.setForceStart}), so that it waits
     * for its turn; start-now force-starts it, past the queue, as Transmission's {@code tr_torrentStartNow} does.
     * A seed started past its ratio limit has that limit turned off by the session, as Transmission does ("restarted
     * manually -- disabling its seed ratio"), or it would stop again at once.
     */
    static Body start(Arguments args, RpcState state, boolean now) {
        forEach(Ids.of(args, state.table()).torrents(), torrent -> {
            torrent.handle().setForceStart(now);
            torrent.handle().resume();
            state.activity().touch(torrent.infoHash());
        });
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

    /**
     * Announces each torrent now; the session spaces announces to one tracker at least a minute apart, so a client
     * that calls this in a loop cannot make jtorrent hammer a tracker.
     */
    static Body reannounce(Arguments args, RpcState state) {
        for (DaemonTorrent torrent : Ids.of(args, state.table()).torrents()) {
            try {
                torrent.handle().reannounce();
            } catch (IllegalStateException removedMeanwhile) {
                // Removed since it was named: nothing to announce.
            }
        }
        return Body.EMPTY;
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
     * Renames a file or folder of one torrent on disk, and answers once it is done, as transmission-daemon does,
     * with the torrent's id, the path and the new name. Refusals are 3.00's "Invalid argument".
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
        DaemonTorrent torrent = torrents.get(0);
        try {
            torrent.handle().renamePath(path, name).get(RENAME_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IllegalArgumentException e) {
            throw new RpcException(INVALID);
        } catch (IllegalStateException | UnsupportedOperationException e) {
            throw new RpcException(e.getMessage());
        } catch (ExecutionException e) {
            throw new RpcException(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        } catch (TimeoutException e) {
            throw new RpcException("the rename is taking long: it goes on, and torrent-get shows it when done");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException("interrupted");
        }
        state.activity().touch(torrent.infoHash());
        return json -> {
            json.writeName("id");
            json.writeNumber(torrent.id());
            json.writeName("path");
            json.writeString(path);
            json.writeName("name");
            json.writeString(name);
        };
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
