package dev.jtorrent.tracker;

import dev.jtorrent.metainfo.InfoHash;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Builds HTTP tracker URLs (BEP 3, BEP 48). Binary values such as the info hash are percent-encoded byte by byte,
 * never decoded as text first; a query already in the announce URL (a private tracker's passkey) is kept.
 */
final class HttpQuery {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private HttpQuery() {
    }

    static URI announce(URI announceUrl, AnnounceRequest r) {
        return announce(announceUrl, r, Optional.empty());
    }

    /**
     * The announce URL, with BEP 7's {@code ipv6} parameter when {@code ipv6} is given: our IPv6 address, so that a
     * tracker reached over IPv4 can list us to IPv6 peers as well (Transmission sends its global IPv6 address so).
     */
    static URI announce(URI announceUrl, AnnounceRequest r, Optional<InetAddress> ipv6) {
        StringBuilder q = new StringBuilder();
        param(q, "info_hash", r.infoHash().bytes());
        param(q, "peer_id", r.peerId());
        param(q, "port", r.port());
        param(q, "uploaded", r.uploaded());
        param(q, "downloaded", r.downloaded());
        param(q, "left", r.left());
        param(q, "compact", 1);
        if (r.numWant() >= 0) {
            param(q, "numwant", r.numWant());
        }
        param(q, "key", Integer.toHexString(r.key()).getBytes(StandardCharsets.US_ASCII));
        if (r.event() != AnnounceEvent.NONE) {
            param(q, "event", r.event().httpName().getBytes(StandardCharsets.US_ASCII));
        }
        r.trackerId().ifPresent(id -> param(q, "trackerid", id.getBytes(StandardCharsets.UTF_8)));
        ipv6.ifPresent(address -> param(q, "ipv6", address.getHostAddress().replaceFirst("%.*", "")
                .getBytes(StandardCharsets.US_ASCII)));
        return withQuery(announceUrl, q);
    }

    static URI scrape(URI scrapeUrl, List<InfoHash> infoHashes) {
        StringBuilder q = new StringBuilder();
        for (InfoHash h : infoHashes) {
            param(q, "info_hash", h.bytes());
        }
        return withQuery(scrapeUrl, q);
    }

    /**
     * BEP 48: the scrape URL is the announce URL with the "announce" that follows its last '/' replaced by
     * "scrape"; a tracker whose URL has no such segment does not support scrape.
     */
    static Optional<URI> scrapeUrl(URI announceUrl) {
        String s = withoutFragment(announceUrl.toString());
        int queryStart = s.indexOf('?');
        String path = queryStart < 0 ? s : s.substring(0, queryStart);
        int slash = path.lastIndexOf('/');
        if (slash < 0 || !path.startsWith("announce", slash + 1) || slash < path.indexOf("//") + 2) {
            return Optional.empty();
        }
        return Optional.of(URI.create(s.substring(0, slash + 1) + "scrape" + s.substring(slash + 1 + 8)));
    }

    private static URI withQuery(URI base, StringBuilder query) {
        String s = withoutFragment(base.toString());
        char joiner = s.indexOf('?') < 0 ? '?' : (s.endsWith("?") || s.endsWith("&") ? 0 : '&');
        return URI.create(joiner == 0 ? s + query : s + joiner + query);
    }

    private static String withoutFragment(String url) {
        int hash = url.indexOf('#');
        return hash < 0 ? url : url.substring(0, hash);
    }

    private static void param(StringBuilder q, String name, long value) {
        param(q, name, Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }

    private static void param(StringBuilder q, String name, byte[] value) {
        if (!q.isEmpty()) {
            q.append('&');
        }
        q.append(name).append('=');
        encode(q, value);
    }

    /** RFC 3986 percent-encoding of raw bytes: unreserved characters as they are, everything else as %XX. */
    static void encode(StringBuilder out, byte[] bytes) {
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
    }
}
