/**
 * Trackers: the HTTP and UDP announce and scrape clients, the BEP 12 tiers that order a torrent's trackers, and
 * an embedded open tracker for LANs, tests and demos.
 *
 * <p>Implements BEP 3 (the HTTP tracker protocol), BEP 7 ({@code peers6}), BEP 12 (multitracker tiers), BEP 15 (the
 * UDP tracker protocol), BEP 23 (compact peer lists) and BEP 48 (scrape). Every reply is hostile input: HTTP replies
 * are capped at 1 MiB (after decompression), followed through at most 5 redirects and decoded strictly with
 * {@link dev.jtorrent.bencode.BencodeLimits#MESSAGE}; UDP replies with the wrong transaction id, action or sender, or
 * truncated, are ignored; a UDP client sends through a socket of its own, or through a session's UDP port, where
 * {@link dev.jtorrent.tracker.UdpTrackerReplies} tells its replies from uTP and the DHT by transaction id; at most {@link dev.jtorrent.tracker.AnnounceResponse#MAX_PEERS} peers are taken from
 * one announce; every exchange ends within its timeout. No request goes to a link-local address (a cloud's metadata
 * service), to a program on this machine at a path other than a tracker's, or by redirect nearer than where it
 * started ({@code AddressPolicy}). Failures are {@link
 * dev.jtorrent.tracker.TrackerException}s with a one-sentence message.
 *
 * <p>The public face: {@link dev.jtorrent.tracker.Tracker#open}, {@link dev.jtorrent.tracker.TrackerTiers},
 * {@link dev.jtorrent.tracker.TrackerServer}, {@link dev.jtorrent.tracker.UdpTrackerReplies} and the request
 * and response records.
 */
package dev.jtorrent.tracker;
