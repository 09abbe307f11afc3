package dev.jtorrent.session;

import dev.jtorrent.swarm.SwarmStats;

/**
 * What the runtimes a torrent had before the present one did, so that its status counts from its add and not from
 * its last resume: the payload bytes they downloaded, uploaded and wasted, and the statistics of the last of them,
 * which a stopped torrent still shows.
 *
 * @param last the statistics of the last runtime as it stopped; null before the first stopped
 */
record RunTotals(long downloaded, long uploaded, long wasted, SwarmStats last) {
    static final RunTotals NONE = new RunTotals(0, 0, 0, null);

    /** These totals and those of a runtime that stopped with {@code stats}. */
    RunTotals plus(SwarmStats stats) {
        return new RunTotals(downloaded + stats.downloaded(), uploaded + stats.uploaded(), wasted + stats.wasted(),
                stats);
    }
}
