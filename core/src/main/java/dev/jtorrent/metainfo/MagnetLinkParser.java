package dev.jtorrent.metainfo;

import dev.jtorrent.metainfo.MagnetLink.FileRange;
import dev.jtorrent.metainfo.MagnetLink.PeerAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Reads the query of a {@code magnet:?} link into a {@link MagnetLink}; one instance per link. */
final class MagnetLinkParser {
    private static final String SCHEME = "magnet:?";
    private static final String BTIH = "urn:btih:";
    private static final String BTMH = "urn:btmh:";

    private InfoHash infoHash;
    private InfoHashV2 infoHashV2;
    private String displayName;
    private final List<String> trackers = new ArrayList<>();
    private final List<PeerAddress> peers = new ArrayList<>();
    private final List<String> webSeeds = new ArrayList<>();
    private List<FileRange> selectOnly;

    private MagnetLinkParser() {
    }

    static MagnetLink parse(String link) throws InvalidMagnetLinkException {
        if (link.length() > MagnetLink.MAX_LENGTH) {
            throw new InvalidMagnetLinkException("magnet link is " + link.length() + " characters long, more than "
                    + MagnetLink.MAX_LENGTH);
        }
        if (!link.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new InvalidMagnetLinkException("magnet link does not start with magnet:?");
        }
        if (!isWellFormedText(link)) {
            throw new InvalidMagnetLinkException("magnet link contains a lone UTF-16 surrogate");
        }
        int fragment = link.indexOf('#');
        String query = link.substring(SCHEME.length(), fragment < 0 ? link.length() : fragment);
        MagnetLinkParser parser = new MagnetLinkParser();
        for (String parameter : query.split("&", -1)) {
            if (!parameter.isEmpty()) {
                parser.parameter(parameter);
            }
        }
        if (parser.infoHash == null && parser.infoHashV2 == null) {
            throw new InvalidMagnetLinkException("magnet link has no xt=urn:btih: or urn:btmh: topic");
        }
        return new MagnetLink(Optional.ofNullable(parser.infoHash), Optional.ofNullable(parser.infoHashV2),
                Optional.ofNullable(parser.displayName), parser.trackers, parser.peers, parser.webSeeds,
                parser.selectOnly == null ? List.of() : parser.selectOnly);
    }

    private void parameter(String parameter) throws InvalidMagnetLinkException {
        int equals = parameter.indexOf('=');
        if (equals <= 0) {
            throw new InvalidMagnetLinkException("magnet link has a parameter without a name and value: "
                    + abbreviated(parameter));
        }
        String key = parameter.substring(0, equals);
        String raw = parameter.substring(equals + 1);
        switch (key) {
            case "xt" -> topic(PercentEncoding.decode(raw, key));
            case "dn" -> {
                if (displayName != null) {
                    throw new InvalidMagnetLinkException("magnet link has more than one dn parameter");
                }
                displayName = PercentEncoding.decode(raw, key);
            }
            case "tr" -> add(trackers, url(raw, key), key);
            case "ws" -> add(webSeeds, url(raw, key), key);
            case "x.pe" -> add(peers, peer(PercentEncoding.decode(raw, key)), key);
            case "so" -> {
                if (selectOnly != null) {
                    throw new InvalidMagnetLinkException("magnet link has more than one so parameter");
                }
                selectOnly = fileRanges(PercentEncoding.decode(raw, key));
            }
            default -> {
                // BEP 9: other parameters (xl, as, kt, tr.1 ...) are not for us to judge.
            }
        }
    }

    private void topic(String topic) throws InvalidMagnetLinkException {
        if (topic.regionMatches(true, 0, BTIH, 0, BTIH.length())) {
            InfoHash hash = v1Hash(topic.substring(BTIH.length()));
            if (infoHash != null && !infoHash.equals(hash)) {
                throw new InvalidMagnetLinkException("magnet link has two different urn:btih: topics");
            }
            infoHash = hash;
        } else if (topic.regionMatches(true, 0, BTMH, 0, BTMH.length())) {
            InfoHashV2 hash = v2Hash(topic.substring(BTMH.length()));
            if (infoHashV2 != null && !infoHashV2.equals(hash)) {
                throw new InvalidMagnetLinkException("magnet link has two different urn:btmh: topics");
            }
            infoHashV2 = hash;
        }
        // Other topics (urn:sha1:, urn:ed2k: ...) name the content on other networks.
    }

    private static InfoHash v1Hash(String text) throws InvalidMagnetLinkException {
        if (text.length() == 2 * InfoHash.LENGTH && isHex(text)) {
            return InfoHash.fromHex(text);
        }
        if (text.length() == 32) {
            Optional<byte[]> bytes = Base32.decode(text);
            if (bytes.isPresent()) {
                return InfoHash.of(bytes.get());
            }
        }
        throw new InvalidMagnetLinkException("magnet link's urn:btih: is neither 40 hex digits nor 32 base32 characters");
    }

    private static InfoHashV2 v2Hash(String text) throws InvalidMagnetLinkException {
        String prefix = InfoHashV2.MULTIHASH_PREFIX;
        if (text.length() == prefix.length() + 2 * InfoHashV2.LENGTH && text.startsWith(prefix) && isHex(text)) {
            return InfoHashV2.fromHex(text.substring(prefix.length()));
        }
        throw new InvalidMagnetLinkException("magnet link's urn:btmh: is not 1220 followed by 64 hex digits");
    }

    private static String url(String raw, String key) throws InvalidMagnetLinkException {
        String url = PercentEncoding.decode(raw, key);
        if (url.isEmpty()) {
            throw new InvalidMagnetLinkException("magnet link has an empty " + key + " parameter");
        }
        return url;
    }

    private static <T> void add(List<T> list, T value, String key) throws InvalidMagnetLinkException {
        if (list.size() == MagnetLink.MAX_ENTRIES) {
            throw new InvalidMagnetLinkException("magnet link has more than " + MagnetLink.MAX_ENTRIES + " " + key
                    + " parameters");
        }
        list.add(value);
    }

    /** {@code host:port}, {@code ipv4:port} or {@code [ipv6]:port} (BEP 9). */
    private static PeerAddress peer(String text) throws InvalidMagnetLinkException {
        try {
            return PeerAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidMagnetLinkException("magnet link's x.pe peer " + e.getMessage());
        }
    }

    /** BEP 53's comma-separated indices and inclusive ranges, such as {@code 0,2,4-6}. */
    private static List<FileRange> fileRanges(String text) throws InvalidMagnetLinkException {
        List<FileRange> ranges = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            int dash = item.indexOf('-');
            int first = number(dash < 0 ? item : item.substring(0, dash), 10);
            int last = dash < 0 ? first : number(item.substring(dash + 1), 10);
            if (first < 0 || last < 0) {
                throw new InvalidMagnetLinkException("magnet link's so is not a list of file indices and ranges");
            }
            if (last < first) {
                throw new InvalidMagnetLinkException("magnet link's so has a range that ends before it starts");
            }
            ranges.add(new FileRange(first, last));
        }
        return ranges;
    }

    /** A decimal number of 1 to {@code maxDigits} ASCII digits that fits in an int, or -1. */
    private static int number(String text, int maxDigits) {
        if (text.isEmpty() || text.length() > maxDigits || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        long value = Long.parseLong(text);
        return value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    private static boolean isHex(String text) {
        return text.chars().allMatch(HexFormat::isHexDigit);
    }

    private static boolean isWellFormedText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
