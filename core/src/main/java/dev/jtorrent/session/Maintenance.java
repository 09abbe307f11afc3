package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.Torrent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What is done to a torrent's data while it is stopped, each on a virtual thread of its own: a recheck of every
 * piece, and a move of its files to another directory. A running torrent stops for it and runs again after it; a
 * paused one stays paused. The steps are transitions of its {@link TorrentLifecycle}; the work between them (the
 * stop, the move) is done outside its lock.
 */
final class Maintenance {
    private final Torrent torrent;
    private final TorrentLifecycle lifecycle;
    private final StorageMoves moves;
    /** Where its files are under its directory, renamed ones included. */
    private final Supplier<InfoDictionary> layout;

    Maintenance(Torrent torrent, TorrentLifecycle lifecycle, StorageMoves moves, Supplier<InfoDictionary> layout) {
        this.torrent = torrent;
        this.lifecycle = lifecycle;
        this.moves = moves;
        this.layout = layout;
    }

    /** What renames files in a stopped torrent's directory; see {@link TorrentHandle#renamePath}. */
    @FunctionalInterface
    interface Renaming {
        void rename(Path directory) throws IOException;
    }

    /**
     * Renames files of the torrent, stopped for it: a running torrent stops and starts again after, a paused one
     * stays paused. Its resume data stays good: a renamed file keeps its size and time, and resume data lists files
     * by their place in the torrent.
     */
    CompletableFuture<Void> rename(Renaming renaming) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("rename-" + torrent.name()).start(() -> {
            boolean run = lifecycle.stopForMaintenance();
            Optional<TorrentLifecycle.MoveFrom> from = lifecycle.startMove();
            if (from.isEmpty()) {
                done.completeExceptionally(new IllegalStateException("the torrent " + torrent.name()
                        + " was removed"));
                return;
            }
            try {
                renaming.rename(from.get().directory());
            } catch (IOException | RuntimeException e) {
                // Nothing was renamed (a failure midway is undone): it goes on as it was.
                if (lifecycle.moveDone(from.get().directory(), from.get().memory()) && run) {
                    lifecycle.resume();
                }
                done.completeExceptionally(e);
                return;
            }
            if (lifecycle.moveDone(from.get().directory(), from.get().memory()) && run) {
                lifecycle.resume();
            }
            done.complete(null);
        });
        return TorrentEvents.onOwnThread(done);
    }

    /** See {@link TorrentHandle#recheck()}. */
    CompletableFuture<Void> recheck() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("recheck-" + torrent.name()).start(() -> {
            boolean run = lifecycle.stopForMaintenance();
            lifecycle.recheck(done, run);
        });
        return TorrentEvents.onOwnThread(done);
    }

    /** See {@link TorrentHandle#moveStorage(Path)}. */
    CompletableFuture<Void> move(Path directory) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("move-" + torrent.name()).start(() -> {
            boolean run = lifecycle.stopForMaintenance();
            Optional<TorrentLifecycle.MoveFrom> from = lifecycle.startMove();
            if (from.isEmpty()) {
                done.completeExceptionally(new IllegalStateException("the torrent " + torrent.name()
                        + " was removed"));
                return;
            }
            Optional<ResumeData> moved;
            try {
                moved = moves.move(torrent, layout.get(), from.get().directory(), directory, from.get().memory());
            } catch (IOException | RuntimeException e) {
                lifecycle.moveFailed();
                done.completeExceptionally(e);
                if (run) {
                    lifecycle.resume();
                }
                return;
            }
            if (!lifecycle.moveDone(directory, moved)) {
                done.complete(null); // removed while its files moved: they are where it was told to move them
                return;
            }
            if (run) {
                lifecycle.resume();
            }
            done.complete(null);
        });
        return TorrentEvents.onOwnThread(done);
    }
}
