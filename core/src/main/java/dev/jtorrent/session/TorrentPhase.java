package dev.jtorrent.session;

import dev.jtorrent.swarm.SwarmStats;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a torrent is doing inside its handle, with what each phase holds: a running torrent its runtime, a paused one
 * what it had, a failed one why. {@link TorrentState} is what it reports ({@link #state}), which says more of a
 * running torrent (downloading or seeding, failed or paused by its swarm) and nothing of what it holds.
 */
sealed interface TorrentPhase {
    /** @param search the search for its metadata */
    record WaitingForMetadata(MetadataSearch search) implements TorrentPhase {
    }

    record Queued() implements TorrentPhase {
    }

    /**
     * @param progress the bytes checked so far, as the check counts them
     * @param total    the torrent's size in bytes
     */
    record Checking(AtomicLong progress, long total) implements TorrentPhase {
    }

    record Moving() implements TorrentPhase {
    }

    /**
     * Checked, its runtime made but not started, waiting for its turn in the session's queue ({@link TorrentQueue}):
     * no connections, no announces, no thread.
     *
     * @param runtime  what runs once its turn comes
     * @param launch   starts {@code runtime}: its swarm, announcer and registrations
     * @param complete whether it has every wanted piece: it waits in the seed queue, else the download queue
     */
    record Waiting(TorrentRuntime runtime, Runnable launch, boolean complete) implements TorrentPhase {
    }

    record Running(TorrentRuntime runtime) implements TorrentPhase {
    }

    /** @param verified the pieces verified when it stopped, to start from; null if unknown (check them all) */
    record Paused(ResumeData verified) implements TorrentPhase {
    }

    record Failed(String message) implements TorrentPhase {
    }

    record Removed() implements TorrentPhase {
    }

    /**
     * The state reported in this phase.
     *
     * @param stats the statistics of the running swarm, if already taken; null to ask it
     * @param name  the torrent's name, to say which was removed
     * @throws IllegalStateException once the torrent is removed
     */
    default TorrentState state(SwarmStats stats, String name) {
        return switch (this) {
            case WaitingForMetadata w -> new TorrentState.WaitingForMetadata();
            case Queued q -> new TorrentState.Queued();
            case Moving m -> new TorrentState.Moving();
            case Waiting w -> w.complete() ? new TorrentState.QueuedToSeed() : new TorrentState.QueuedToDownload();
            case Checking c -> new TorrentState.Checking(c.total() > 0
                    ? Math.min(1.0, (double) c.progress().get() / c.total()) : 0.0);
            case Running running -> {
                SwarmStats s = stats != null ? stats : running.runtime().stats();
                if (s.error() != null) {
                    yield new TorrentState.Failed(s.error(), false);
                } else if (s.paused() != null) {
                    yield new TorrentState.Failed(s.paused(), true);
                }
                yield s.complete() ? new TorrentState.Seeding() : new TorrentState.Downloading();
            }
            case Paused p -> new TorrentState.Paused();
            case Failed f -> new TorrentState.Failed(f.message(), false);
            case Removed r -> throw new IllegalStateException("the torrent " + name + " was removed");
        };
    }
}
