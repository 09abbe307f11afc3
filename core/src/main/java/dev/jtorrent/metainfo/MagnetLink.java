package dev.jtorrent.metainfo;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A magnet link (BEP 9): enough to join a swarm and fetch the metadata from peers.
 *
 * <p>At least one of the info hashes is present: {@code xt=urn:btih:} gives the v1 hash, {@code xt=urn:btmh:} the v2
 * hash; a hybrid torrent's link has both. {@code selectOnly} holds the BEP 53 {@code so} ranges of file indices,
 * sorted and merged; empty means every file.
 *
 * @param infoHash    the v1 info hash ({@code xt=urn:btih:})
 * @param infoHashV2  the v2 info hash ({@code xt=urn:btmh:})
 * @param displayName the name to show until the metadata arrives ({@code dn})
 * @param trackers    tracker URLs in link order ({@code tr})
 * @param peers       peers to fetch the metadata from directly ({@code x.pe})
 * @param webSeeds    web seed URLs ({@code ws})
 * @param selectOnly  the files to download ({@code so}); empty for all
 */
public record MagnetLink(
        Optional<InfoHash> infoHash,
        Optional<InfoHashV2> infoHashV2,
        Optional<String> displayName,
        List<String> trackers,
        List<PeerAddress> peers,
        List<String> webSeeds,
        List<FileRange> selectOnly) {

    /** Longest link {@link #parse} accepts, in characters. */
    public static final int MAX_LENGTH = 8 * 1024;
    /** Most trackers, most peers and most web seeds {@link #parse} accepts, each. */
    public static final int MAX_ENTRIES = 100;

    public MagnetLink {
        Objects.requireNonNull(infoHash, "infoHash");
        Objects.requireNonNull(infoHashV2, "infoHashV2");
        displayName = displayName.filter(name -> !name.isEmpty());
        if (infoHash.isEmpty() && infoHashV2.isEmpty()) {
            throw new IllegalArgumentException("a magnet link needs a v1 or a v2 info hash");
        }
        trackers = List.copyOf(trackers);
        peers = List.copyOf(peers);
        webSeeds = List.copyOf(webSeeds);
        selectOnly = FileRange.normalize(selectOnly);
    }

    /**
     * Parses a {@code magnet:?} link. Parameters other than those above, and topics other than btih and btmh, are
     * ignored, as BEP 9 asks.
     */
    public static MagnetLink parse(String link) throws InvalidMagnetLinkException {
        return MagnetLinkParser.parse(link);
    }

    /** Whether the link asks for file {@code index}: true for every file when there is no {@code so}. */
    public boolean selects(int index) {
        return selectOnly.isEmpty() || selectOnly.stream().anyMatch(range -> range.contains(index));
    }

    /** The link in canonical form: parameters in a fixed order, values percent-encoded the same way every time. */
    public URI toUri() {
        StringBuilder link = new StringBuilder("magnet:?");
        List<String> parameters = new ArrayList<>();
        infoHash.ifPresent(hash -> parameters.add("xt=urn:btih:" + hash.hex()));
        infoHashV2.ifPresent(hash -> parameters.add("xt=urn:btmh:" + hash.multihashHex()));
        displayName.ifPresent(name -> parameters.add("dn=" + PercentEncoding.encode(name)));
        trackers.forEach(tracker -> parameters.add("tr=" + PercentEncoding.encode(tracker)));
        peers.forEach(peer -> parameters.add("x.pe=" + PercentEncoding.encode(peer.toString())));
        webSeeds.forEach(seed -> parameters.add("ws=" + PercentEncoding.encode(seed)));
        if (!selectOnly.isEmpty()) {
            parameters.add("so=" + String.join(",", selectOnly.stream().map(FileRange::toString).toList()));
        }
        link.append(String.join("&", parameters));
        return URI.create(link.toString());
    }

    @Override
    public String toString() {
        return toUri().toString();
    }

    /**
     * A peer's address as {@code x.pe} gives it: a host name or IPv4 literal, or an IPv6 literal (held without its
     * brackets), and a port. Nothing is resolved.
     */
    public record PeerAddress(String host, int port) {
        public PeerAddress {
            Objects.requireNonNull(host, "host");
            if (host.isEmpty()) {
                throw new IllegalArgumentException("a peer address needs a host");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be in 1..65535: " + port);
            }
        }

        /**
         * Reads {@code host:port}, {@code ipv4:port} or {@code [ipv6]:port}: a magnet link's {@code x.pe} (BEP 9),
         * and a DHT node's address. Strict: a host name of letters, digits, '.', '-' and '_', an IPv6 literal of hex
         * digits, ':' and '.', a port of at most 5 digits in 1..65535.
         *
         * @throws IllegalArgumentException if it is not one, with the reason ("is not host:port", ...)
         */
        public static PeerAddress parse(String text) {
            String host;
            String port;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("is not [ipv6-address]:port");
                }
                host = text.substring(1, close);
                port = text.substring(close + 2);
                if (host.indexOf(':') < 0
                        || !host.chars().allMatch(c -> HexFormat.isHexDigit(c) || c == ':' || c == '.')) {
                    throw new IllegalArgumentException("has a malformed IPv6 address");
                }
            } else {
                int colon = text.indexOf(':');
                if (colon <= 0 || text.indexOf(':', colon + 1) >= 0) {
                    throw new IllegalArgumentException("is not host:port");
                }
                host = text.substring(0, colon);
                port = text.substring(colon + 1);
                if (!host.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                        || c == '.' || c == '-' || c == '_')) {
                    throw new IllegalArgumentException("has a malformed host name");
                }
            }
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new IllegalArgumentException("has a port outside 1..65535");
            }
            return new PeerAddress(host, Integer.parseInt(port));
        }

        /** The address, not resolved: {@link InetSocketAddress#createUnresolved}. */
        public InetSocketAddress unresolved() {
            return InetSocketAddress.createUnresolved(host, port);
        }

        /** {@code host:port}, with an IPv6 literal in brackets. */
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** The file indices {@code first} to {@code last}, both included (BEP 53 writes {@code 4-6}, or {@code 4}). */
    public record FileRange(int first, int last) {
        public FileRange {
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("not a range of file indices: " + first + "-" + last);
            }
        }

        public boolean contains(int index) {
            return index >= first && index <= last;
        }

        /** Sorts {@code ranges} and merges those that overlap or touch, so that equal selections are equal. */
        static List<FileRange> normalize(List<FileRange> ranges) {
            List<FileRange> sorted = new ArrayList<>(ranges);
            sorted.sort(Comparator.comparingInt(FileRange::first));
            List<FileRange> merged = new ArrayList<>();
            for (FileRange range : sorted) {
                FileRange last = merged.isEmpty() ? null : merged.getLast();
                if (last != null && (long) range.first <= (long) last.last + 1) {
                    merged.set(merged.size() - 1, new FileRange(last.first, Math.max(last.last, range.last)));
                } else {
                    merged.add(range);
                }
            }
            return List.copyOf(merged);
        }

        @Override
        public String toString() {
            return first == last ? Integer.toString(first) : first + "-" + last;
        }
    }
}
