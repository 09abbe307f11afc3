package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.session.TorrentHandle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * queue-move-top, -up, -down and -bottom over the session's queue positions, with Transmission's rules for several
 * torrents at once ({@code tr_torrent::queue_move_*}): the torrents named keep their order among themselves; to the
 * top or bottom they go as one block; up (down) each moves one place, except those already in an unbroken run at
 * the top (bottom), which stay where they are rather than swap with each other. Every torrent whose position
 * changed, the ones pushed aside included, counts as recently active, so the web client's next poll shows it.
 */
final class QueueMoves {
    /** The four moves. */
    enum Move {
        TOP, UP, DOWN, BOTTOM
    }

    private QueueMoves() {
    }

    static Body call(Arguments args, RpcState state, Move move) {
        List<DaemonTorrent> named = new ArrayList<>(Ids.of(args, state.table()).torrents());
        if (named.isEmpty()) {
            return Body.EMPTY;
        }
        touchingMoved(state, before -> {
            named.removeIf(torrent -> !before.containsKey(torrent));
            Comparator<DaemonTorrent> ascending = Comparator.comparingInt(before::get);
            named.sort(move == Move.TOP || move == Move.DOWN ? ascending.reversed() : ascending);
            apply(named, move, state);
        });
        return Body.EMPTY;
    }

    /**
     * Runs {@code moves}, given each torrent's position before them, and marks every torrent whose position they
     * changed as recently active, those pushed aside included. Costs two looks at every torrent, whatever the
     * number of moves.
     */
    static void touchingMoved(RpcState state, Consumer<Map<DaemonTorrent, Integer>> moves) {
        Map<DaemonTorrent, Integer> before = positions(state.table().all());
        moves.accept(before);
        positions(state.table().all()).forEach((torrent, position) -> {
            if (!position.equals(before.get(torrent))) {
                state.activity().touch(torrent.infoHash());
            }
        });
    }

    private static void apply(List<DaemonTorrent> named, Move move, RpcState state) {
        switch (move) {
            case TOP -> each(named, TorrentHandle::moveQueueToTop);
            case BOTTOM -> each(named, TorrentHandle::moveQueueToBottom);
            case UP -> {
                int run = 0; // the next place of an unbroken run of named torrents from the top
                for (DaemonTorrent torrent : named) {
                    run = step(torrent, run, 1, TorrentHandle::moveQueueUp);
                }
            }
            case DOWN -> {
                int run = state.session().torrents().size() - 1;
                for (DaemonTorrent torrent : named) {
                    run = step(torrent, run, -1, TorrentHandle::moveQueueDown);
                }
            }
        }
    }

    /**
     * Moves one torrent one place unless it sits at {@code run}, the end of the unbroken run of named torrents at
     * the top or bottom, which then grows by {@code towards}; returns the run's next place.
     */
    private static int step(DaemonTorrent torrent, int run, int towards,
                            Consumer<TorrentHandle> oneStep) {
        try {
            if (torrent.handle().queuePosition() == run) {
                return run + towards;
            }
            oneStep.accept(torrent.handle());
        } catch (IllegalStateException removedMeanwhile) {
            // Removed by another request since it was named: nothing to move.
        }
        return run;
    }

    private static void each(List<DaemonTorrent> torrents, Consumer<TorrentHandle> move) {
        for (DaemonTorrent torrent : torrents) {
            try {
                move.accept(torrent.handle());
            } catch (IllegalStateException removedMeanwhile) {
                // Removed by another request since it was named: nothing to move.
            }
        }
    }

    /** Each torrent's position now; those removed meanwhile are left out. */
    private static Map<DaemonTorrent, Integer> positions(List<DaemonTorrent> torrents) {
        Map<DaemonTorrent, Integer> positions = new HashMap<>(torrents.size() * 2);
        for (DaemonTorrent torrent : torrents) {
            try {
                positions.put(torrent, torrent.handle().queuePosition());
            } catch (IllegalStateException removedMeanwhile) {
                // left out
            }
        }
        return positions;
    }
}
