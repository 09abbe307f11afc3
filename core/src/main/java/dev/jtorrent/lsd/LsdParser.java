package dev.jtorrent.lsd;

import dev.jtorrent.metainfo.InfoHash;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a BEP 14 announce, strictly: anyone on the LAN can send one, so every datagram is hostile input. It must be
 * at most {@link LsdMessage#MAX_DATAGRAM_BYTES} of printable ASCII in CRLF-ended lines; start with exactly {@code
 * BT-SEARCH * HTTP/1.1}; have one {@code Host} naming an LSD group, one {@code Port} (1..65535, base 10, no sign or
 * leading zero), 1 to {@link LsdMessage#MAX_INFO_HASHES} distinct {@code Infohash} headers of exactly 40 hex digits,
 * at most one {@code cookie}; and end with an empty line, after which only empty lines may follow (the BEP's
 * trailing one). Header names are matched in any case, headers not named here are skipped (the BEP's
 * forward-compatibility rule), and whitespace around a value is dropped. Anything else is an {@link LsdException}.
 */
final class LsdParser {
    private static final String REQUEST_LINE = "BT-SEARCH * HTTP/1.1";
    /** How much of an offending line a message quotes. */
    private static final int QUOTE_LIMIT = 48;

    private LsdParser() {
    }

    static LsdMessage parse(byte[] datagram) throws LsdException {
        if (datagram.length > LsdMessage.MAX_DATAGRAM_BYTES) {
            throw new LsdException("an announce of " + datagram.length + " bytes, more than "
                    + LsdMessage.MAX_DATAGRAM_BYTES);
        }
        List<String> lines = headerLines(datagram);
        if (!lines.getFirst().equals(REQUEST_LINE)) {
            throw new LsdException("not a BT-SEARCH request: " + quote(lines.getFirst()));
        }
        Headers headers = new Headers();
        for (String line : lines.subList(1, lines.size())) {
            headers.read(line);
        }
        return headers.message();
    }

    /**
     * The lines before the first empty one, checking that every byte is printable ASCII or a tab, that lines end in
     * CRLF, and that nothing but CRLFs follows the empty line.
     */
    private static List<String> headerLines(byte[] datagram) throws LsdException {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < datagram.length; i++) {
            byte b = datagram[i];
            if (b == '\r') {
                if (i + 1 >= datagram.length || datagram[i + 1] != '\n') {
                    throw new LsdException("a CR not followed by LF at byte " + i);
                }
                if (i == start) {
                    if (lines.isEmpty()) {
                        throw new LsdException("an empty request line");
                    }
                    requireOnlyEmptyLines(datagram, i + 2);
                    return lines;
                }
                lines.add(new String(datagram, start, i - start, StandardCharsets.US_ASCII));
                start = i + 2;
                i++;
            } else if (b == '\n') {
                throw new LsdException("a line ended by LF alone at byte " + i);
            } else if ((b < ' ' && b != '\t') || b >= 0x7f) {
                throw new LsdException("byte " + i + " (0x" + HexFormat.of().toHexDigits(b)
                        + ") is not printable ASCII");
            }
        }
        throw new LsdException("the headers do not end with an empty line (cut short?)");
    }

    private static void requireOnlyEmptyLines(byte[] datagram, int from) throws LsdException {
        for (int i = from; i < datagram.length; i += 2) {
            if (datagram[i] != '\r' || i + 1 >= datagram.length || datagram[i + 1] != '\n') {
                throw new LsdException("bytes after the headers, at byte " + i + ": an announce has no body");
            }
        }
    }

    /** The headers an announce has been seen to have so far. */
    private static final class Headers {
        private LsdGroup group;
        private Integer port;
        private final List<InfoHash> infoHashes = new ArrayList<>();
        private String cookie;

        void read(String line) throws LsdException {
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new LsdException("a folded header line: " + quote(line));
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new LsdException("a header line without a colon: " + quote(line));
            }
            if (colon == 0) {
                throw new LsdException("a header line without a name: " + quote(line));
            }
            String name = line.substring(0, colon);
            if (!name.chars().allMatch(Headers::isTokenChar)) {
                throw new LsdException("not a header name: " + quote(name));
            }
            String value = line.substring(colon + 1).strip();
            switch (name.toLowerCase(Locale.ROOT)) {
                case "host" -> group = once("Host", group, group(value));
                case "port" -> port = once("Port", port, port(value));
                case "infohash" -> addInfoHash(value);
                case "cookie" -> cookie = once("cookie", cookie, cookie(value));
                default -> { } // unknown headers are for later versions of the protocol
            }
        }

        LsdMessage message() throws LsdException {
            if (group == null) {
                throw new LsdException("no Host header");
            }
            if (port == null) {
                throw new LsdException("no Port header");
            }
            if (infoHashes.isEmpty()) {
                throw new LsdException("no Infohash header");
            }
            return new LsdMessage(group, port, infoHashes, Optional.ofNullable(cookie));
        }

        private void addInfoHash(String value) throws LsdException {
            if (infoHashes.size() == LsdMessage.MAX_INFO_HASHES) {
                throw new LsdException("more than " + LsdMessage.MAX_INFO_HASHES + " Infohash headers");
            }
            if (value.length() != 2 * InfoHash.LENGTH || !value.chars().allMatch(HexFormat::isHexDigit)) {
                throw new LsdException("an Infohash is 40 hex digits, not " + quote(value));
            }
            InfoHash infoHash = InfoHash.fromHex(value);
            if (infoHashes.contains(infoHash)) {
                throw new LsdException("the Infohash " + infoHash.hex() + " twice");
            }
            infoHashes.add(infoHash);
        }

        private static <T> T once(String name, T seen, T value) throws LsdException {
            if (seen != null) {
                throw new LsdException("two " + name + " headers");
            }
            return value;
        }

        private static LsdGroup group(String value) throws LsdException {
            for (LsdGroup group : LsdGroup.values()) {
                if (group.host().equalsIgnoreCase(value)) {
                    return group;
                }
            }
            throw new LsdException("the Host is not an LSD group: " + quote(value));
        }

        private static Integer port(String value) throws LsdException {
            boolean digits = !value.isEmpty() && value.length() <= 5 && value.charAt(0) != '0'
                    && value.chars().allMatch(c -> c >= '0' && c <= '9');
            int port = digits ? Integer.parseInt(value) : 0;
            if (port < 1 || port > 65535) {
                throw new LsdException("the Port is not a number in 1..65535: " + quote(value));
            }
            return port;
        }

        private static String cookie(String value) throws LsdException {
            if (!LsdMessage.isCookie(value)) {
                throw new LsdException("a cookie is 1 to " + LsdMessage.MAX_COOKIE_LENGTH
                        + " visible characters: " + quote(value));
            }
            return value;
        }

        /** RFC 9110's {@code tchar}. */
        private static boolean isTokenChar(int c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }

    private static String quote(String text) {
        return '"' + (text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "...") + '"';
    }
}
