package dev.jtorrent.swarm;

/**
 * Whether a torrent's swarm downloads: as usual, paused until the disk has room again, or stopped by a disk error.
 * Uploads go on while it is paused, and every connection is closed once it has failed.
 */
public sealed interface SwarmState {
    /** Downloading (or seeding) as usual. */
    SwarmState RUNNING = new Running();

    /** Downloading, or seeding, as usual. */
    record Running() implements SwarmState {
    }

    /** Downloading waits until the disk has room for a few pieces ({@code reason} says why, for people). */
    record Paused(String reason) implements SwarmState {
    }

    /** Stopped for good by a disk error: nothing is downloaded or uploaded any more. */
    record Failed(String reason) implements SwarmState {
    }
}
