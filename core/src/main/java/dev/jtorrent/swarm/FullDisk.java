package dev.jtorrent.swarm;

import java.util.OptionalLong;

/**
 * When a swarm paused by a full disk looks for room again: every retry interval (once a second at most), until the
 * disk has room for a few pieces, or its free space cannot be known. Swarm thread only.
 */
final class FullDisk {
    private final DiskWork disk;
    private final long room;
    private final long retryNanos;
    /** When downloading was paused, or the disk last found still full. */
    private long checkedAt;

    FullDisk(DiskWork disk, int pieceLength, long retryNanos) {
        this.disk = disk;
        this.room = 4L * pieceLength;
        this.retryNanos = retryNanos;
    }

    void paused(long now) {
        checkedAt = now;
    }

    /** Whether it is time to look again (the swarm's tick asks once a second). */
    boolean retryDue(long now) {
        return now - checkedAt >= retryNanos;
    }

    /** When a swarm without peers, and so without ticks, is to look again. */
    long nextLook() {
        return checkedAt + Math.max(retryNanos, SwarmLogic.TICK_NANOS);
    }

    /** Whether the disk has room now; if not, the next look is a retry interval on. */
    boolean hasRoom(long now) {
        OptionalLong free = disk.usableSpace();
        if (free.isPresent() && free.getAsLong() < room) {
            checkedAt = now;
            return false;
        }
        return true;
    }
}
