package dev.jtorrent.session;

/**
 * When a running torrent last moved payload, either way, and last uploaded, learnt from its totals each time the
 * queue looks: what Transmission's stalled rule ({@code queue-stalled-minutes}) and idle seeding limit ({@code
 * seedIdleLimit}) measure. Counted from the start of its run, as Transmission counts idle time from the later of
 * its last activity and its start. Not thread-safe: the queue's lock guards it. The time is an argument.
 */
final class Idleness {
    /** The run's totals at the last look: a run starts from none. */
    private long moved;
    private long uploaded;
    private long lastMoved;
    private long lastUpload;

    /** A run that starts at {@code now}. */
    Idleness(long now) {
        lastMoved = now;
        lastUpload = now;
    }

    /**
     * The run's payload totals at {@code now} (of this run alone, which starts from 0): any change since the last
     * look is activity at {@code now}.
     */
    void observe(long downloadedTotal, long uploadedTotal, long now) {
        long movedTotal = downloadedTotal + uploadedTotal;
        if (movedTotal != moved) {
            lastMoved = now;
        }
        if (uploadedTotal != uploaded) {
            lastUpload = now;
        }
        moved = movedTotal;
        uploaded = uploadedTotal;
    }

    /** How long no payload has moved either way, at {@code now}. */
    long idleNanos(long now) {
        return Math.max(0, now - lastMoved);
    }

    /** How long nothing has been uploaded, at {@code now}. */
    long uploadIdleNanos(long now) {
        return Math.max(0, now - lastUpload);
    }
}
