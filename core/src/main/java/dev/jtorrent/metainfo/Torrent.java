package dev.jtorrent.metainfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A parsed metainfo (.torrent) file: the info dictionary with its hash, and what surrounds it.
 *
 * @param infoHash     SHA-1 of the info dictionary's original bytes
 * @param info         the info dictionary
 * @param infoBytes    the info dictionary exactly as encoded in the file (what peers exchange for magnet links)
 * @param trackerTiers announce URLs by tier (BEP 12); a lone {@code announce} is one tier of one
 * @param webSeeds     BEP 19 {@code url-list}
 * @param httpSeeds    BEP 17 {@code httpseeds}
 * @param dhtNodes     BEP 5 {@code nodes}, as {@code host:port}
 */
public record Torrent(InfoHash infoHash, InfoDictionary info, byte[] infoBytes, List<List<String>> trackerTiers,
                      List<String> webSeeds, List<String> httpSeeds, List<String> dhtNodes,
                      Optional<Instant> creationDate, Optional<String> comment, Optional<String> createdBy) {

    public Torrent {
        infoBytes = infoBytes.clone();
        trackerTiers = trackerTiers.stream().map(List::copyOf).toList();
        webSeeds = List.copyOf(webSeeds);
        httpSeeds = List.copyOf(httpSeeds);
        dhtNodes = List.copyOf(dhtNodes);
    }

    /** Parses a metainfo file's bytes with the default limits. */
    public static Torrent parse(byte[] bytes) throws InvalidTorrentException {
        return new TorrentParser(MetainfoLimits.DEFAULT, PathSanitizer.forThisPlatform()).parse(bytes);
    }

    /** Reads and parses a metainfo file, refusing one larger than the limit before reading it. */
    public static Torrent load(Path file) throws IOException, InvalidTorrentException {
        return parse(readLimited(file, MetainfoLimits.DEFAULT.maxFileSize()));
    }

    /** Reads at most {@code limit} bytes of {@code file}; a longer file is refused without reading it all. */
    static byte[] readLimited(Path file, int limit) throws IOException, InvalidTorrentException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(limit);
            if (in.read() != -1) {
                throw new InvalidTorrentException(InvalidTorrentException.Reason.TOO_LARGE,
                        "the file is larger than the limit of " + limit + " bytes for a .torrent");
            }
            return bytes;
        }
    }

    /** A copy of the info dictionary's original encoding. */
    @Override
    public byte[] infoBytes() {
        return infoBytes.clone();
    }

    /**
     * The info dictionary's original encoding, read-only and without a copy: for what keeps it as long as the torrent
     * (serving it to peers, BEP 9), so that a session of many torrents holds each dictionary once.
     */
    public ByteBuffer infoBuffer() {
        return ByteBuffer.wrap(infoBytes).asReadOnlyBuffer();
    }

    /** Every tracker URL, tier by tier. */
    public List<String> trackers() {
        return trackerTiers.stream().flatMap(List::stream).toList();
    }

    public String name() {
        return info.name();
    }
}
