package dev.jtorrent.session;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of the torrents waiting for their turn start now: the session's download and seed queues, as Transmission
 * keeps them ({@code download-queue-size}, {@code seed-queue-size}, {@code queue-stalled-minutes}). A plain policy,
 * without threads, locks or a clock: {@link TorrentQueue} gives it each torrent's standing in queue order and starts
 * what it answers.
 *
 * <p>A queue that is on lets at most its size of torrents of its kind run at once. A running torrent counts against
 * the queue of what it does now (a download that completes moves to the seed queue, a seed that wants more files to
 * the download queue), except one that is force-started, or stalled (it moved no payload for the stalled time), or
 * stopped by an error. The waiting torrents start in queue order while their queue has room; a force-started one,
 * or one whose queue is off, starts at once. Nothing running is ever stopped by the queue, as in Transmission: a
 * queue made smaller, a torrent moved down or a force start taken back leave what runs running, and no torrent of
 * that kind starts until the queue has room again (libtorrent instead pauses the auto-managed torrents past its
 * limits at once). Torrents being checked do not count (Transmission's rule): a check is the disk's work, which the
 * session's check queue already does one torrent at a time.
 */
final class QueueRules {
    private QueueRules() {
    }

    /** Which queue a torrent is in: by whether it has every wanted piece. */
    enum Kind {
        DOWNLOAD, SEED
    }

    /** Where a torrent stands, for the queue. */
    enum Standing {
        /** Checked and ready, waiting for its turn: asleep, without connections or announces. */
        WAITING,
        /** Running: it counts against its queue unless forced, stalled or failed. */
        ACTIVE,
        /** Paused, checking, moving, failed, or without metadata: it neither counts nor starts. */
        OTHER
    }

    /**
     * The session's queues.
     *
     * @param downloadQueue whether the download queue is on
     * @param downloadSize  downloads running at once at most while it is on
     * @param seedQueue     whether the seed queue is on
     * @param seedSize      seeds running at once at most while it is on
     */
    record Limits(boolean downloadQueue, int downloadSize, boolean seedQueue, int seedSize) {
        Limits {
            if (downloadSize < 0 || seedSize < 0) {
                throw new IllegalArgumentException("queue sizes must not be negative: " + downloadSize + ", "
                        + seedSize);
            }
        }

        Limits withDownloadQueue(boolean on) {
            return new Limits(on, downloadSize, seedQueue, seedSize);
        }

        Limits withDownloadSize(int size) {
            return new Limits(downloadQueue, size, seedQueue, seedSize);
        }

        Limits withSeedQueue(boolean on) {
            return new Limits(downloadQueue, downloadSize, on, seedSize);
        }

        Limits withSeedSize(int size) {
            return new Limits(downloadQueue, downloadSize, seedQueue, size);
        }

        boolean on(Kind kind) {
            return kind == Kind.DOWNLOAD ? downloadQueue : seedQueue;
        }

        int size(Kind kind) {
            return kind == Kind.DOWNLOAD ? downloadSize : seedSize;
        }
    }

    /**
     * One torrent as the queue sees it.
     *
     * @param key      what the caller knows it by
     * @param standing where it stands
     * @param kind     the queue it is in
     * @param counted  for an active torrent, whether it counts against its queue: not when force-started, stalled
     *                 or failed
     * @param forced   force-started: it starts without waiting for room
     */
    record Member<K>(K key, Standing standing, Kind kind, boolean counted, boolean forced) {
    }

    /** The waiting torrents of {@code inOrder} (in queue order, first first) that start now. */
    static <K> List<K> toStart(List<Member<K>> inOrder, Limits limits) {
        int[] active = new int[Kind.values().length];
        for (Member<K> member : inOrder) {
            if (member.standing() == Standing.ACTIVE && member.counted()) {
                active[member.kind().ordinal()]++;
            }
        }
        List<K> start = new ArrayList<>();
        for (Member<K> member : inOrder) {
            if (member.standing() != Standing.WAITING) {
                continue;
            }
            Kind kind = member.kind();
            if (member.forced() || !limits.on(kind)) {
                start.add(member.key());
            } else if (active[kind.ordinal()] < limits.size(kind)) {
                start.add(member.key());
                active[kind.ordinal()]++;
            }
        }
        return start;
    }
}
