package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a torrent is doing, at one moment: an immutable snapshot from {@link TorrentHandle#status()}. Rates are
 * averaged over the last seconds; byte counts are of payload (piece data), since the torrent was added.
 *
 * @param infoHash       the torrent's info hash
 * @param name           its name: from the metadata, or the magnet link's {@code dn} until the metadata is known
 * @param state          where it is in its life
 * @param wantedBytes    bytes of the files not skipped (the whole torrent unless some file is skipped); 0 while the
 *                       metadata is unknown
 * @param verifiedBytes  bytes of those that are verified and on disk
 * @param verifiedPieces pieces verified and on disk, of any file
 * @param pieceCount     pieces in the torrent; 0 while the metadata is unknown
 * @param downloaded     payload bytes received and accepted
 * @param uploaded       payload bytes sent
 * @param wasted         payload bytes received and thrown away (duplicates, or pieces that failed their hash)
 * @param downloadRate   payload bytes a second received, recently
 * @param uploadRate     payload bytes a second sent, recently
 * @param peers          peers connected
 * @param knownPeers     peer addresses known (from trackers and elsewhere)
 */
public record TorrentStatus(InfoHash infoHash, String name, TorrentState state, long wantedBytes, long verifiedBytes,
                            int verifiedPieces, int pieceCount, long downloaded, long uploaded, long wasted, double downloadRate, double uploadRate,
                            int peers, int knownPeers) {
    public TorrentStatus {
        Objects.requireNonNull(infoHash, "infoHash");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
    }

    /** The fraction of the wanted bytes verified, 0 to 1; 0 while the metadata is unknown. */
    public double progress() {
        return wantedBytes == 0 ? (state instanceof TorrentState.WaitingForMetadata ? 0 : 1)
                : (double) verifiedBytes / wantedBytes;
    }

    /** Wanted bytes still missing. */
    public long bytesLeft() {
        return wantedBytes - verifiedBytes;
    }

    /**
     * How long the rest should take at the present download rate; empty while nothing is coming in, and zero once
     * nothing is missing.
     */
    public Optional<Duration> eta() {
        if (bytesLeft() == 0 && wantedBytes > 0) {
            return Optional.of(Duration.ZERO);
        }
        if (downloadRate < 1) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds((long) Math.ceil(bytesLeft() / downloadRate)));
    }

    /**
     * Uploaded over downloaded; for a torrent that downloaded nothing (it was complete when added), uploaded over
     * its wanted size, as Transmission and qBittorrent count it.
     */
    public double ratio() {
        long base = downloaded > 0 ? downloaded : wantedBytes;
        return base == 0 ? 0 : (double) uploaded / base;
    }
}
