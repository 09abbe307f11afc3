package dev.jtorrent.swarm;

import java.util.OptionalLong;

/**
 * Whether a swarm downloads, as a {@link SwarmState}: running; paused by a full disk, looking for room again every
 * retry interval (once a second at most) until the disk has room for a few pieces, or its free space cannot be
 * known; or failed for good. Swarm thread only.
 */
final class Health {
    private final DiskWork disk;
    private final long room;
    private final long retryNanos;
    private SwarmState state = SwarmState.RUNNING;
    /** When downloading was paused, or the disk last found still full. */
    private long checkedAt;

    Health(DiskWork disk, int pieceLength, long retryNanos) {
        this.disk = disk;
        this.room = 4L * pieceLength;
        this.retryNanos = retryNanos;
    }

    SwarmState state() {
        return state;
    }

    boolean running() {
        return state instanceof SwarmState.Running;
    }

    boolean failed() {
        return state instanceof SwarmState.Failed;
    }

    /** Fails for good, for {@code reason}, unless it has failed already; returns whether it failed now. */
    boolean fail(String reason) {
        if (failed()) {
            return false;
        }
        state = new SwarmState.Failed(reason);
        return true;
    }

    /**
     * The disk is full: a running swarm pauses (returns whether it paused now), and the next look for room is a
     * retry interval on.
     */
    boolean diskFull(String message, long now) {
        checkedAt = now;
        if (!running()) {
            return false;
        }
        state = new SwarmState.Paused(message + "; downloading paused until there is space");
        return true;
    }

    /** At a tick: whether a paused swarm, looking once a retry interval, found room; it runs again if so. */
    boolean resumeIfRoom(long now) {
        if (!(state instanceof SwarmState.Paused) || now - checkedAt < retryNanos) {
            return false;
        }
        OptionalLong free = disk.usableSpace();
        if (free.isPresent() && free.getAsLong() < room) {
            checkedAt = now;
            return false;
        }
        state = SwarmState.RUNNING;
        return true;
    }

    /** When a paused swarm without peers, and so without ticks, is to look for room; never unless paused. */
    long nextLook() {
        return state instanceof SwarmState.Paused ? checkedAt + Math.max(retryNanos, Timekeeper.TICK_NANOS)
                : PieceCommit.NEVER;
    }
}
