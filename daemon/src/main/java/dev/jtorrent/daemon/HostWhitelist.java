package dev.jtorrent.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The names a request's {@code Host} header may carry: Transmission's {@code rpc-host-whitelist}, against DNS
 * rebinding (a web page whose name an attacker points at 127.0.0.1 reaches the daemon from the victim's browser
 * with its own name in {@code Host}). IP literals, {@code localhost} and {@code localhost.} always pass, as in
 * Transmission; so do the configured names, compared without case, where {@code *.example.com} stands for any
 * name under {@code example.com}. Transmission 3.00 checks the header only when no password is set; the daemon
 * checks it always, as the issue asks.
 *
 * <p>The predicate takes the header's host without its port ({@link #hostOf} takes it off).
 */
final class HostWhitelist implements Predicate<String> {
    /** Names in one whitelist at most. */
    static final int MAX_ENTRIES = 1_000;

    private final List<String> names;

    private HostWhitelist(List<String> names) {
        this.names = List.copyOf(names);
    }

    /**
     * Parses a comma-separated list of names.
     *
     * @throws IllegalArgumentException naming an entry that is not a host name or {@code *.} and a host name
     */
    static HostWhitelist parse(String text) {
        List<String> names = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String name = raw.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            String plain = name.startsWith("*.") ? name.substring(2) : name;
            if (plain.isEmpty() || plain.length() > 253
                    || !plain.chars().allMatch(c -> c == '.' || c == '-' || c == '_' || c >= 'a' && c <= 'z'
                    || c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("not a host name: '" + raw.strip() + "'");
            }
            if (names.size() == MAX_ENTRIES) {
                throw new IllegalArgumentException("more than " + MAX_ENTRIES + " entries");
            }
            names.add(name);
        }
        return new HostWhitelist(names);
    }

    /**
     * The host of a {@code Host} header, without its port and an IPv6 literal's brackets kept; empty when the
     * header is malformed.
     */
    static String hostOf(String header) {
        String value = header.strip();
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || close + 1 < value.length() && value.charAt(close + 1) != ':') {
                return "";
            }
            return value.substring(0, close + 1);
        }
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    @Override
    public boolean test(String host) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
            return false;
        }
        if (name.equals("localhost") || name.equals("localhost.") || isIpLiteral(name)) {
            return true;
        }
        for (String allowed : names) {
            if (allowed.startsWith("*.") ? name.endsWith(allowed.substring(1)) : name.equals(allowed)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code host} is an IPv4 literal (four decimal octets) or a bracketed IPv6 literal. */
    static boolean isIpLiteral(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            String inner = host.substring(1, host.length() - 1);
            return inner.indexOf(':') >= 0
                    && inner.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        }
        String[] octets = host.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return String.join(",", names);
    }
}
