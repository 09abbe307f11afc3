package dev.jtorrent.session;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a block list into an {@link IpFilter}, one range a line, in any of the formats in use, told apart line by
 * line:
 *
 * <ul>
 *   <li>P2P (PeerGuardian's, the one Transmission reads): {@code description:1.2.3.0-1.2.3.255}; the range is what
 *       follows the last colon, so the description may hold colons and dashes. IPv4 only, as the format is.</li>
 *   <li>DAT (eMule's, also libtorrent's and qBittorrent's): {@code 001.002.003.000 - 001.002.003.255 , 000 ,
 *       description}, addresses with leading zeros (decimal, not octal). The second field is an access level: a
 *       range above 127 is allowed, not blocked, and is skipped, as qBittorrent and eMule treat it.</li>
 *   <li>A bare range {@code first - last} (IPv4 or IPv6), a CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32})
 *       or a single address.</li>
 * </ul>
 *
 * <p>Blank lines and comments ({@code #} or {@code //} first) are skipped. A gzip'd list (Transmission's are often
 * {@code .gz}) is recognised by its first two bytes. A line that fits no format is skipped and counted, its reason
 * kept for the first {@value #MAX_PROBLEMS}, and never fails the whole list; so is a line longer than {@value
 * #MAX_LINE} characters (read no further than that, so that a file without line ends cannot fill the memory) and
 * every range past {@link IpFilter#MAX_RANGES}. Host names are never resolved: an address is a literal or nothing.
 */
public final class IpFilterParser {
    /** Characters of a line read at most; the longest real lines (P2P with long descriptions) are under 200. */
    public static final int MAX_LINE = 1024;
    /** Reasons kept for lines skipped; the rest are only counted. */
    public static final int MAX_PROBLEMS = 10;
    /** eMule's access levels above this allow a range rather than block it. */
    static final int MAX_BLOCKING_LEVEL = 127;

    /**
     * What came of reading a list.
     *
     * @param filter   the ranges blocked
     * @param blocked  the lines that gave a range blocked
     * @param allowed  the DAT lines whose access level allows their range, skipped as such
     * @param skipped  the lines that fit no format (or came past the bound), skipped
     * @param problems why, for the first {@value #MAX_PROBLEMS} lines skipped: "line 12: ..." each
     */
    public record Result(IpFilter filter, int blocked, int allowed, int skipped, List<String> problems) {
        public Result {
            problems = List.copyOf(problems);
        }
    }

    private final IpFilter.Builder builder = IpFilter.builder();
    private final List<String> problems = new ArrayList<>();
    private int blocked;
    private int allowed;
    private int skipped;

    private IpFilterParser() {
    }

    /** Reads the list in {@code file}, gzip'd or not. */
    public static Result parse(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in);
        }
    }

    /**
     * Reads a list to its end, gzip'd or not; the stream is left open.
     *
     * @throws IOException if it cannot be read, or is gzip'd and corrupt
     */
    public static Result parse(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        InputStream plain = first == 0x1f && second == 0x8b ? new GZIPInputStream(buffered) : buffered;
        IpFilterParser parser = new IpFilterParser();
        // Latin-1 decodes any byte: the descriptions' encoding does not matter, the addresses are ASCII.
        parser.read(new InputStreamReader(plain, StandardCharsets.ISO_8859_1));
        return new Result(parser.builder.build(), parser.blocked, parser.allowed, parser.skipped, parser.problems);
    }

    private void read(Reader reader) throws IOException {
        char[] buffer = new char[8192];
        StringBuilder line = new StringBuilder();
        boolean tooLong = false;
        int number = 1;
        int n;
        while ((n = reader.read(buffer)) >= 0) {
            for (int i = 0; i < n; i++) {
                char c = buffer[i];
                if (c == '\n') {
                    line(number++, line, tooLong);
                    line.setLength(0);
                    tooLong = false;
                } else if (line.length() < MAX_LINE) {
                    line.append(c);
                } else {
                    tooLong = true;
                }
            }
        }
        if (!line.isEmpty() || tooLong) {
            line(number, line, tooLong);
        }
    }

    private void line(int number, CharSequence raw, boolean tooLong) {
        if (tooLong) {
            skip(number, "longer than " + MAX_LINE + " characters");
            return;
        }
        String line = raw.toString().strip();
        if (line.isEmpty() || line.startsWith("#") || line.startsWith("//")) {
            return;
        }
        try {
            if (!rangeOf(line)) {
                allowed++;
                return;
            }
            blocked++;
        } catch (IllegalArgumentException e) {
            skip(number, e.getMessage());
        }
    }

    private void skip(int number, String reason) {
        skipped++;
        if (problems.size() < MAX_PROBLEMS) {
            problems.add("line " + number + ": " + reason);
        }
    }

    /**
     * Blocks the range of one line.
     *
     * @return false for a DAT range whose access level allows it
     * @throws IllegalArgumentException if the line fits no format, or the filter is full
     */
    private boolean rangeOf(String line) {
        if (builder.size() >= IpFilter.MAX_RANGES) {
            throw new IllegalArgumentException("more than " + IpFilter.MAX_RANGES + " ranges");
        }
        if (line.indexOf(',') >= 0) {
            try {
                return dat(line);
            } catch (IllegalArgumentException notDat) {
                if (line.lastIndexOf(':') < 0) {
                    throw notDat;
                }
                p2p(line); // a P2P line whose description has a comma ("Example, Inc:1.2.3.0-1.2.3.255")
                return true;
            }
        }
        if (line.indexOf('-') >= 0) {
            try {
                range(line);
            } catch (IllegalArgumentException bare) {
                if (line.lastIndexOf(':') < 0) {
                    throw bare;
                }
                p2p(line);
            }
            return true;
        }
        int slash = line.indexOf('/');
        if (slash >= 0) {
            block(address(line.substring(0, slash).strip()), prefix(line.substring(slash + 1).strip()));
            return true;
        }
        InetAddress address = address(line);
        builder.block(address);
        return true;
    }

    /** A DAT line, {@code first - last , level , description}: blocks the range unless its level allows it. */
    private boolean dat(String line) {
        String[] fields = line.split(",", 3);
        InetAddress[] range = parseRange(fields[0].strip());
        int level;
        try {
            level = Integer.parseInt(fields[1].strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an access level that is not a number: " + fields[1].strip());
        }
        if (level > MAX_BLOCKING_LEVEL) {
            return false;
        }
        builder.block(range[0], range[1]);
        return true;
    }

    /** A P2P line, {@code description:first-last}: the range is what follows the last colon. */
    private void p2p(String line) {
        range(line.substring(line.lastIndexOf(':') + 1).strip());
    }

    /** Blocks {@code first - last}. */
    private void range(String text) {
        InetAddress[] range = parseRange(text);
        builder.block(range[0], range[1]);
    }

    /** The first and last addresses of {@code first - last}. */
    private static InetAddress[] parseRange(String text) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException("not a range, a block or an address: " + text);
        }
        return new InetAddress[] {address(text.substring(0, dash).strip()), address(text.substring(dash + 1).strip())};
    }

    /** Blocks the CIDR block of {@code bits} bits at {@code base}. */
    private void block(InetAddress base, int bits) {
        byte[] first = base.getAddress();
        if (bits > first.length * 8) {
            throw new IllegalArgumentException("a prefix of " + bits + " bits for an " + first.length * 8
                    + "-bit address");
        }
        byte[] last = first.clone();
        for (int bit = bits; bit < first.length * 8; bit++) {
            first[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            last[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        try {
            builder.block(InetAddress.getByAddress(first), InetAddress.getByAddress(last));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e.getMessage()); // cannot be: 4 or 16 bytes
        }
    }

    private static int prefix(String text) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a prefix length: " + text);
        }
        return Integer.parseInt(text);
    }

    /**
     * An address literal: dotted IPv4, each part decimal from 0 to 255 and up to three digits (DAT's {@code 001}
     * is 1, not octal), or IPv6. Never a host name.
     */
    static InetAddress address(String text) {
        if (text.indexOf(':') >= 0) {
            return ipv6(text);
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            bytes[i] = (byte) value;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e.getMessage()); // cannot be: 4 bytes
        }
    }

    /**
     * An IPv6 literal. Only hex digits, colons and dots reach {@link InetAddress#getByName}, which then never asks
     * the resolver: a host containing a colon that is not a valid literal fails at once as "invalid IPv6 address".
     */
    private static InetAddress ipv6(String text) {
        if (text.length() > 45 || !text.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("not an IPv6 address: " + text);
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 address: " + text);
        }
    }
}
