package dev.jtorrent.daemon;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The client addresses allowed to use the HTTP front: Transmission's {@code rpc-whitelist}, a comma-separated list
 * of IPv4 addresses whose octets may be {@code *} ({@code 127.0.0.1,192.168.*.*}), IPv6 literals ({@code ::1}) and,
 * beyond Transmission, CIDR blocks of either family ({@code 10.0.0.0/8}, {@code fd00::/8}).
 *
 * <p>An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}), which a dual-stack socket reports for an IPv4 client,
 * is matched as the IPv4 address it carries: otherwise a whitelist of IPv4 entries would shut out every IPv4 client
 * of a socket bound to {@code ::}. Entries are IP literals only, never host names: a whitelist must not depend on
 * what a DNS server answers.
 */
final class ClientWhitelist implements Predicate<InetAddress> {
    /** Entries in one whitelist at most; a list this long is a mistake, not a policy. */
    static final int MAX_ENTRIES = 1_000;

    /** The address bytes an entry matches, and how many leading bits of them count; wildcard octets as masks. */
    private record Entry(byte[] address, byte[] mask) {
        boolean matches(byte[] candidate) {
            if (candidate.length != address.length) {
                return false;
            }
            for (int i = 0; i < address.length; i++) {
                if ((candidate[i] & mask[i]) != (address[i] & mask[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Entry> entries;
    private final String text;

    private ClientWhitelist(List<Entry> entries, String text) {
        this.entries = List.copyOf(entries);
        this.text = text;
    }

    /** Loopback only, of both families: the default, as Transmission's {@code 127.0.0.1,::1}. */
    static ClientWhitelist loopback() {
        return parse("127.0.0.0/8,::1");
    }

    /**
     * Parses a whitelist.
     *
     * @throws IllegalArgumentException naming the entry that is not an address, a wildcard address or a block
     */
    static ClientWhitelist parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            if (entries.size() == MAX_ENTRIES) {
                throw new IllegalArgumentException("more than " + MAX_ENTRIES + " entries");
            }
            entries.add(entry(entry));
        }
        return new ClientWhitelist(entries, text);
    }

    private static Entry entry(String entry) {
        int slash = entry.indexOf('/');
        if (slash >= 0) {
            byte[] address = literal(entry.substring(0, slash), entry);
            int bits;
            try {
                bits = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw notAnEntry(entry);
            }
            if (bits < 0 || bits > address.length * 8) {
                throw notAnEntry(entry);
            }
            byte[] mask = new byte[address.length];
            for (int i = 0; i < bits; i++) {
                mask[i / 8] |= (byte) (0x80 >>> (i % 8));
            }
            return new Entry(address, mask);
        }
        if (entry.indexOf('*') >= 0) {
            String[] octets = entry.split("\\.", -1);
            if (octets.length != 4) {
                throw notAnEntry(entry);
            }
            byte[] address = new byte[4];
            byte[] mask = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (!octets[i].equals("*")) {
                    address[i] = (byte) octet(octets[i], entry);
                    mask[i] = (byte) 0xff;
                }
            }
            return new Entry(address, mask);
        }
        byte[] address = literal(entry, entry);
        byte[] mask = new byte[address.length];
        java.util.Arrays.fill(mask, (byte) 0xff);
        return new Entry(address, mask);
    }

    private static int octet(String text, String entry) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw notAnEntry(entry);
        }
        int value = Integer.parseInt(text);
        if (value > 255) {
            throw notAnEntry(entry);
        }
        return value;
    }

    /** The bytes of an IP literal, never looked up in the DNS; IPv4-mapped IPv6 as IPv4. */
    private static byte[] literal(String text, String entry) {
        boolean ipv4 = text.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
        boolean ipv6 = text.indexOf(':') >= 0
                && text.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        if (ipv4) {
            String[] octets = text.split("\\.", -1);
            if (octets.length != 4) {
                throw notAnEntry(entry);
            }
            byte[] address = new byte[4];
            for (int i = 0; i < 4; i++) {
                address[i] = (byte) octet(octets[i], entry);
            }
            return address;
        }
        if (!ipv6) {
            throw notAnEntry(entry);
        }
        try {
            return normalised(InetAddress.getByName(text)).getAddress();
        } catch (UnknownHostException e) {
            throw notAnEntry(entry);
        }
    }

    private static IllegalArgumentException notAnEntry(String entry) {
        return new IllegalArgumentException("not an IP address, a wildcard address (192.168.*.*) or a CIDR block ("
                + "10.0.0.0/8): '" + entry + "'");
    }

    /** The IPv4 address an IPv4-mapped IPv6 address carries; any other address as it is. */
    static InetAddress normalised(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = bytes[i] == 0;
            }
            if (mapped) {
                try {
                    return Inet4Address.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16));
                } catch (UnknownHostException e) {
                    throw new AssertionError("four bytes are an IPv4 address", e);
                }
            }
        }
        return address;
    }

    @Override
    public boolean test(InetAddress client) {
        byte[] bytes = normalised(client).getAddress();
        for (Entry entry : entries) {
            if (entry.matches(bytes)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
