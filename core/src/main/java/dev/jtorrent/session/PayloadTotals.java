package dev.jtorrent.session;

/**
 * Payload bytes (piece data) a session's torrents moved since it started, the torrents removed since included: what
 * {@link Session#payloadTotals()} reports, for counters that must only grow while the session runs (a metrics
 * scraper takes any drop for a restart). Unlike {@link TorrentStatus#downloaded()}, what a torrent's resume data
 * kept from earlier runs is not counted.
 *
 * @param downloaded payload bytes received and accepted
 * @param uploaded   payload bytes sent
 */
public record PayloadTotals(long downloaded, long uploaded) {
    /** Nothing moved. */
    public static final PayloadTotals NONE = new PayloadTotals(0, 0);

    /** These totals and {@code other}'s. */
    public PayloadTotals plus(PayloadTotals other) {
        return new PayloadTotals(downloaded + other.downloaded, uploaded + other.uploaded);
    }
}
