package dev.jtorrent.session;

import dev.jtorrent.swarm.SwarmStats;

/**
 * What the runtimes a torrent had before the present one did, so that its status counts from its add (and what the
 * add said came before it, {@link AddOptions#downloadedBefore()}) and not from its last resume: the payload bytes they downloaded, uploaded and wasted, and the statistics of the last of them,
 * which a stopped torrent still shows.
 *
 * @param last the statistics of the last runtime as it stopped; null before the first stopped
 */
record RunTotals(long downloaded, long uploaded, long wasted, SwarmStats last) {
    /** What a torrent starts from: the totals of earlier runs of the program that its add gives, if any. */
    static RunTotals before(AddOptions options) {
        return new RunTotals(options.downloadedBefore(), options.uploadedBefore(), 0, null);
    }

    /** These totals and those of a runtime that stopped with {@code stats}. */
    RunTotals plus(SwarmStats stats) {
        return new RunTotals(downloaded + stats.downloaded(), uploaded + stats.uploaded(), wasted + stats.wasted(),
                stats);
    }
}
