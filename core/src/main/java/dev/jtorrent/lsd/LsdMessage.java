package dev.jtorrent.lsd;

import dev.jtorrent.metainfo.InfoHash;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Local Service Discovery announce (BEP 14): "I take part in these torrents and listen on this port", multicast
 * to a {@link LsdGroup}. The peer's address is not in it: it is the datagram's source address.
 *
 * <pre>
 * BT-SEARCH * HTTP/1.1\r\n
 * Host: 239.192.152.143:6771\r\n
 * Port: &lt;listen port, base 10&gt;\r\n
 * Infohash: &lt;40 hex digits&gt;\r\n        (1 to {@value #MAX_INFO_HASHES} of them)
 * cookie: &lt;opaque&gt;\r\n                (optional)
 * \r\n
 * \r\n
 * </pre>
 *
 * <p>{@link #encode()} writes the headers as libtorrent does ({@code Host}, {@code Port}, {@code Infohash}, then a
 * lower-case {@code cookie}, and the BEP's two empty lines); {@link #parse} reads header names in any case and
 * ignores headers it does not know, as the BEP asks, and is otherwise strict (see {@link LsdParser}).
 *
 * @param group      the group it is sent to, named in its {@code Host} header
 * @param port       the TCP port the announcing client listens on, 1..65535
 * @param infoHashes the torrents announced: 1 to {@value #MAX_INFO_HASHES}, no two alike
 * @param cookie     the sender's token for recognising its own announces when multicast loops them back to it:
 *                   1 to {@value #MAX_COOKIE_LENGTH} visible ASCII characters
 */
public record LsdMessage(LsdGroup group, int port, List<InfoHash> infoHashes, Optional<String> cookie) {
    /**
     * The most bytes a datagram we send may have: the BEP's bound for announces of several info hashes, which keeps
     * them under a LAN's MTU (no fragments to lose).
     */
    public static final int MAX_SENT_BYTES = 1400;
    /**
     * The most bytes a datagram we read may have: an Ethernet MTU's worth, what libtorrent reads. A longer one is
     * not from a client that follows the BEP.
     */
    public static final int MAX_DATAGRAM_BYTES = 1500;
    /** The longest cookie; libtorrent's is at most 8 hex digits. */
    public static final int MAX_COOKIE_LENGTH = 32;
    /**
     * The most info hashes in one announce: as many as fit in {@link #MAX_SENT_BYTES} with the longer {@code Host},
     * the longest port and the longest cookie (132 bytes of the rest, 52 a hash). It also bounds the peers one
     * datagram can hand over.
     */
    public static final int MAX_INFO_HASHES = 24;

    private static final String CRLF = "\r\n";

    public LsdMessage {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(cookie, "cookie");
        infoHashes = List.copyOf(infoHashes);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("an announced port is in 1..65535, not " + port);
        }
        if (infoHashes.isEmpty() || infoHashes.size() > MAX_INFO_HASHES) {
            throw new IllegalArgumentException("an announce has 1 to " + MAX_INFO_HASHES + " info hashes, not "
                    + infoHashes.size());
        }
        if (new HashSet<>(infoHashes).size() != infoHashes.size()) {
            throw new IllegalArgumentException("an announce names each info hash once");
        }
        cookie.ifPresent(value -> {
            if (!isCookie(value)) {
                throw new IllegalArgumentException("a cookie is 1 to " + MAX_COOKIE_LENGTH
                        + " visible ASCII characters: " + value);
            }
        });
    }

    /** The same announce, to {@code other}: what goes to the IPv6 group when the IPv4 one gets this. */
    public LsdMessage withGroup(LsdGroup other) {
        return new LsdMessage(other, port, infoHashes, cookie);
    }

    /**
     * Reads an announce.
     *
     * @throws LsdException if {@code datagram} is not a well-formed announce within the bounds above
     */
    public static LsdMessage parse(byte[] datagram) throws LsdException {
        return LsdParser.parse(datagram);
    }

    /** The datagram, at most {@link #MAX_SENT_BYTES} long. */
    public byte[] encode() {
        StringBuilder text = new StringBuilder(MAX_SENT_BYTES);
        text.append("BT-SEARCH * HTTP/1.1").append(CRLF);
        text.append("Host: ").append(group.host()).append(CRLF);
        text.append("Port: ").append(port).append(CRLF);
        for (InfoHash infoHash : infoHashes) {
            text.append("Infohash: ").append(infoHash.hex()).append(CRLF);
        }
        cookie.ifPresent(value -> text.append("cookie: ").append(value).append(CRLF));
        text.append(CRLF).append(CRLF);
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static boolean isCookie(String value) {
        return !value.isEmpty() && value.length() <= MAX_COOKIE_LENGTH
                && value.chars().allMatch(c -> c > ' ' && c < 0x7f);
    }
}
