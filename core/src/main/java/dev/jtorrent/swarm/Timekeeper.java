package dev.jtorrent.swarm;

import dev.jtorrent.budget.RateBudget;
import dev.jtorrent.peer.DownloadLimit;

import java.util.function.LongConsumer;

/**
 * A swarm's time: what is due at each turn of its loop, what its tick does, and when the next tick is. The tick
 * comes once a second while peers are connected, whose timers, rates and upload slots depend on it; without peers,
 * only when something is due at a set time (a record of new pieces, a retry after a full disk, a peer address to try
 * again), so that an idle torrent's loop waits without a timeout and costs no CPU. Swarm thread only.
 */
final class Timekeeper {
    private static final System.Logger LOG = System.getLogger(SwarmLogic.class.getName());
    static final long TICK_NANOS = 1_000_000_000L;
    private static final long NEVER = PieceCommit.NEVER;

    private final String name;
    private final Peers peers;
    private final Totals totals;
    private final Health health;
    private final Admission admission;
    private final Membership members;
    private final Requests requests;
    private final Uploads uploads;
    private final PieceCommit commit;
    private final PeerExchange pex;
    /** The torrent's download limit and the session's: while they hold readers back, slow blocks are no peer's fault. */
    private final DownloadLimit downloadLimit;
    private final RateBudget downloadBudget;
    /** Publishes the swarm's statistics at the given time. */
    private final LongConsumer publishStats;
    private long nextTick;

    /**
     * @param name the torrent's, for the log
     * @param now  the time the swarm starts: its first tick is due then
     */
    Timekeeper(String name, Peers peers, Totals totals, Health health, Admission admission, Membership members,
               Requests requests, Uploads uploads, PieceCommit commit, PeerExchange pex, DownloadLimit downloadLimit,
               RateBudget downloadBudget, LongConsumer publishStats, long now) {
        this.name = name;
        this.peers = peers;
        this.totals = totals;
        this.health = health;
        this.admission = admission;
        this.members = members;
        this.requests = requests;
        this.uploads = uploads;
        this.commit = commit;
        this.pex = pex;
        this.downloadLimit = downloadLimit;
        this.downloadBudget = downloadBudget;
        this.publishStats = publishStats;
        this.nextTick = now;
    }

    /** See {@link SwarmLogic#turn}. */
    long turn(long now) {
        if (now >= nextTick) {
            tick(now);
        }
        // Blocks held back by an upload limit go when it allows, without waiting for the next tick.
        long untilDeferred = uploads.sendDeferred(now);
        peers.flushAll();
        nextTick = nextTick(now, nextTick);
        if (peers.isEmpty()) {
            publishStats.accept(now); // no tick may come to publish what this turn changed
        }
        return Math.min(nextTick == NEVER ? Long.MAX_VALUE : nextTick - now, untilDeferred);
    }

    /**
     * The tick: each peer's timers and rates, a retry after a full disk, the swarm's rates, the choker, a record of
     * new pieces, turnover at the session's connection limit, more connections, requests topped up, peer exchange
     * messages that are due, statistics.
     */
    void tick(long now) {
        for (Peer peer : peers.all()) {
            peer.connection.checkTimers(now);
            peer.secondPassed(now);
            totals.countUploaded(peer);
            peer.upload.update(now);
            if (!downloadLimit.holdingBack(now) && !downloadBudget.holdingBack(now)) {
                // A peer that a limit (the torrent's or the session's) keeps from sending is not snubbing us.
                requests.snubIfSilent(peer, now);
            }
        }
        if (health.resumeIfRoom(now)) {
            LOG.log(System.Logger.Level.INFO, "{0}: trying to download again after a full disk", name);
            requests.requestFromAll();
        }
        totals.down.update(now);
        totals.up.update(now);
        uploads.tick(now, peers.all());
        commit.recordIfDue(now, health.failed());
        members.shedIfOverFairPart(now);
        members.connectMore(now);
        requests.requestFromAll();
        pex.tick(now);
        publishStats.accept(now);
    }

    /**
     * When {@link #tick} is next due, given that it was due at {@code scheduled}: a second after the last while
     * peers are connected; without peers, when the first thing waiting for a time is due (see {@link
     * #firstDeadline}), and never if nothing is.
     */
    private long nextTick(long now, long scheduled) {
        if (peers.isEmpty()) {
            return firstDeadline();
        }
        return scheduled > now ? Math.min(scheduled, now + TICK_NANOS) : now + TICK_NANOS;
    }

    /**
     * What a swarm without peers waits for the time of: new pieces to record, a retry after a full disk (once a
     * second at most, as at every tick), and the first known peer that may be tried (again) while a connection can
     * be attempted; {@link #NEVER} if none. The rest comes as events: connections and their failures, the disk's
     * results, peers found, a stop.
     */
    private long firstDeadline() {
        boolean failed = health.failed();
        long due = commit.recordDue(failed);
        due = Math.min(due, health.nextLook());
        if (!failed) {
            due = Math.min(due, admission.nextAttempt());
        }
        return due;
    }
}
