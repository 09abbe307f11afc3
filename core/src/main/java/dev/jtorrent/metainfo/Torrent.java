package dev.jtorrent.metainfo;

import dev.jtorrent.bencode.BList;
import dev.jtorrent.bencode.BString;
import dev.jtorrent.bencode.BValue;
import dev.jtorrent.bencode.BencodeEncoder;

import java.io.ByteArrayOutputStream;
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

    /**
     * The torrent of an info dictionary fetched from peers (BEP 9) with the trackers and web seeds of the magnet
     * link it came from: parsed as the .torrent file {@link #encode()} would write, so that it is checked as any
     * other.
     *
     * @param infoBytes    the info dictionary, as peers sent it
     * @param trackerTiers announce URLs by tier
     * @param webSeeds     BEP 19 web seeds (a magnet link's {@code ws})
     * @throws InvalidTorrentException if the dictionary is not a valid one
     */
    public static Torrent fromInfo(byte[] infoBytes, List<List<String>> trackerTiers, List<String> webSeeds)
            throws InvalidTorrentException {
        return parse(encode(infoBytes, trackerTiers, webSeeds));
    }

    /**
     * The torrent as a metainfo (.torrent) file: its trackers, web seeds and the info dictionary's original bytes, so
     * that its info hash is the same. The creation date, comment and the rest are not kept.
     */
    public byte[] encode() {
        return encode(infoBytes, trackerTiers, webSeeds);
    }

    private static byte[] encode(byte[] infoBytes, List<List<String>> trackerTiers, List<String> webSeeds) {
        // Keys in sorted order, as bencoding requires: announce, announce-list, info, url-list.
        ByteArrayOutputStream out = new ByteArrayOutputStream(infoBytes.length + 256);
        out.write('d');
        List<String> first = trackerTiers.stream().flatMap(List::stream).limit(1).toList();
        if (!first.isEmpty()) {
            entry(out, "announce", BString.of(first.getFirst()));
            entry(out, "announce-list", BList.of(trackerTiers.stream()
                    .map(tier -> BList.of(tier.stream().map(BString::of).toList())).toList()));
        }
        BencodeEncoder.write(BString.of("info"), out);
        out.writeBytes(infoBytes);
        if (!webSeeds.isEmpty()) {
            entry(out, "url-list", BList.of(webSeeds.stream().map(BString::of).toList()));
        }
        out.write('e');
        return out.toByteArray();
    }

    private static void entry(ByteArrayOutputStream out, String key, BValue value) {
        BencodeEncoder.write(BString.of(key), out);
        BencodeEncoder.write(value, out);
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
