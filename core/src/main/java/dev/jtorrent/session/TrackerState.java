package dev.jtorrent.session;

import dev.jtorrent.tracker.AnnounceEvent;
import dev.jtorrent.tracker.AnnounceResponse;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One tracker's standing with a torrent: when to announce to it next, with which event, and what came of the last
 * announce. Every tracker keeps its own schedule: {@code started} until one is answered, then again at the interval
 * it asks for ({@link AnnouncePolicy#reannounceAfter}); a failure is tried again later, the later the more failures
 * in a row ({@link AnnouncePolicy#retryAfter}). {@code completed} is owed, at once, while the torrent is complete and
 * the tracker knows us as a leecher (a tracker that answered {@code started} while the torrent was complete is owed
 * none, as BEP 3 says). Once the torrent is stopping, a tracker that answered {@code started} is owed {@code
 * stopped}, after {@code completed} if that is still owed; each is tried once.
 *
 * <p>A forced announce ({@link #forceAnnounce}, for {@code TorrentHandle.reannounce()}) makes the tracker due at once,
 * but never sooner than {@link AnnouncePolicy#forcedGap} (or the tracker's own {@code min interval}, if longer) after
 * the last announce sent to it, so that a program calling it in a loop cannot make us hammer a tracker.
 *
 * <p>Times are {@link System#nanoTime()} instants, given by the caller, so that the schedule can be tested without a
 * clock. Not thread-safe: the {@link Announcer} guards every tracker's state with its lock.
 */
final class TrackerState {
    private final String url;
    private final AnnouncePolicy policy;
    private long nextAnnounce;
    private int failures;
    private boolean finishedOne;
    private String error;
    private boolean started;
    private boolean knowsUsAsLeecher;
    private boolean torrentComplete;
    private boolean stopping;
    private boolean stoppedSent;
    private Optional<String> trackerId = Optional.empty();

    private OptionalInt seeders = OptionalInt.empty();
    private OptionalInt leechers = OptionalInt.empty();
    /** The peers the last answer listed; empty before the first. */
    private OptionalInt lastPeers = OptionalInt.empty();
    /** The {@code min interval} the tracker last gave, if it did. */
    private Optional<Duration> minInterval = Optional.empty();
    /** When the last announce was sent; meaningless until {@link #sentOne}. */
    private long lastSent;
    private boolean sentOne;
    /** When the last announce finished, answered or failed; meaningless until {@link #finishedOne}. */
    private long lastFinished;

    /** A tracker not yet announced to, due at {@code now}. */
    TrackerState(String url, AnnouncePolicy policy, long now) {
        this.url = url;
        this.policy = policy;
        this.nextAnnounce = now;
    }

    String url() {
        return url;
    }

    /** Whether a regular announce is due at {@code now}. */
    boolean due(long now) {
        return now - nextAnnounce >= 0;
    }

    /** When the next regular announce is due. */
    long nextAnnounce() {
        return nextAnnounce;
    }

    /** The event the next regular announce carries, while the torrent is not stopping. */
    AnnounceEvent event() {
        if (!started) {
            return AnnounceEvent.STARTED;
        }
        return owesCompleted() ? AnnounceEvent.COMPLETED : AnnounceEvent.NONE;
    }

    /** The {@code tracker id} this tracker gave us last, to send back (BEP 3). */
    Optional<String> trackerId() {
        return trackerId;
    }

    /** An announce to this tracker is sent at {@code now}: the start of the gap a forced announce keeps. */
    void sending(long now) {
        lastSent = now;
        sentOne = true;
    }

    /**
     * Asked to announce now, by hand: the tracker is due at once, or, if the last announce to it was sent less than
     * the gap ago, as soon as the gap has passed (see the class comment); never later than it was due anyway.
     * Nothing while the torrent is stopping.
     */
    void forceAnnounce(long now) {
        if (stopping) {
            return;
        }
        long at = now;
        if (sentOne) {
            Duration gap = policy.forcedGap();
            if (minInterval.isPresent() && minInterval.get().compareTo(gap) > 0) {
                gap = minInterval.get();
            }
            long earliest = lastSent + gap.toNanos();
            if (earliest - at > 0) {
                at = earliest;
            }
        }
        if (at - nextAnnounce < 0) {
            nextAnnounce = at;
        }
    }

    /** The torrent is complete: a tracker that knows us as a leecher is told {@code completed} now. */
    void torrentCompleted(long now) {
        torrentComplete = true;
        if (owesCompleted()) {
            nextAnnounce = now;
        }
    }

    /**
     * The tracker answered an announce of {@code event}, sent with {@code left} bytes missing.
     *
     * @param lonely the torrent has no peers, and the answer listed none but us
     */
    void answered(AnnounceEvent event, long left, AnnounceResponse response, boolean lonely, long now) {
        switch (event) {
            case STARTED -> {
                started = true;
                knowsUsAsLeecher = left > 0;
            }
            case COMPLETED -> knowsUsAsLeecher = false;
            case STOPPED -> stoppedSent = true;
            case NONE -> { }
        }
        failures = 0;
        finishedOne = true;
        lastFinished = now;
        error = null;
        lastPeers = OptionalInt.of(response.peers().size());
        minInterval = response.minInterval();
        if (response.seeders().isPresent()) {
            seeders = response.seeders();
        }
        if (response.leechers().isPresent()) {
            leechers = response.leechers();
        }
        if (response.trackerId().isPresent()) {
            trackerId = response.trackerId();
        }
        nextAnnounce = owesCompleted() ? now : now + policy.reannounceAfter(response, lonely).toNanos();
    }

    /**
     * An announce of {@code event} failed with {@code message}. It is tried again later, the more failures in a row
     * the later; but not once the torrent is stopping, when {@code completed} or {@code stopped} is tried only once.
     */
    void failed(AnnounceEvent event, String message, long now) {
        failures++;
        finishedOne = true;
        lastFinished = now;
        error = message;
        nextAnnounce = now + policy.retryAfter(failures).toNanos();
        if (stopping) {
            switch (event) {
                case COMPLETED -> knowsUsAsLeecher = false; // never to be told now: owed no more
                case STOPPED -> stoppedSent = true;
                case STARTED, NONE -> { }
            }
        }
    }

    /** The torrent is stopping: no more regular announces; {@link #stopEvent()} says what is still owed. */
    void stopping() {
        stopping = true;
    }

    /**
     * What a stopping torrent still owes this tracker, next: {@code completed} if it is owed (the download ended
     * just before the stop), then {@code stopped} to a tracker that answered {@code started}; empty once nothing is.
     */
    Optional<AnnounceEvent> stopEvent() {
        if (!owesStopped()) {
            return Optional.empty();
        }
        return Optional.of(owesCompleted() ? AnnounceEvent.COMPLETED : AnnounceEvent.STOPPED);
    }

    /** Whether the tracker answered {@code started} and has not yet been sent {@code stopped}. */
    boolean owesStopped() {
        return started && !stoppedSent;
    }

    /** Whether an announce to this tracker has finished, answered or failed. */
    boolean finishedOne() {
        return finishedOne;
    }

    /** Seeders the tracker last reported ({@code complete}), if it ever did. */
    OptionalInt seeders() {
        return seeders;
    }

    /** Leechers the tracker last reported ({@code incomplete}), if it ever did. */
    OptionalInt leechers() {
        return leechers;
    }

    /** The peers the last answer listed; empty if none was answered yet. */
    OptionalInt lastPeers() {
        return lastPeers;
    }

    /** When the last announce finished, answered or failed, if one has. */
    OptionalLong lastFinished() {
        return finishedOne ? OptionalLong.of(lastFinished) : OptionalLong.empty();
    }

    /** Why the last finished announce failed; null if it was answered, or none has finished. */
    String error() {
        return error;
    }

    private boolean owesCompleted() {
        return torrentComplete && knowsUsAsLeecher;
    }
}
