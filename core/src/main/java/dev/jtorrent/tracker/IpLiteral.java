package dev.jtorrent.tracker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses IP address literals without ever asking DNS: a tracker reply or an announce naming a host would otherwise
 * make us resolve names a stranger chose.
 */
final class IpLiteral {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    /**
     * The JDK parses text as an IPv6 literal, never looking it up, only when it starts with a hex digit or a colon;
     * text such as {@code .:} would go to the system resolver.
     */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]{1,44}");

    private IpLiteral() {
    }

    static Optional<InetAddress> parse(String text) {
        String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        var v4 = IPV4.matcher(s);
        try {
            if (v4.matches()) {
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int part = Integer.parseInt(v4.group(i + 1));
                    if (part > 255) {
                        return Optional.empty();
                    }
                    bytes[i] = (byte) part;
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            // Starting with a hex digit or a colon and with a colon in it, getByName parses an IPv6 literal and never
            // looks the name up.
            if (s.indexOf(':') >= 0 && IPV6.matcher(s).matches()) {
                return Optional.of(InetAddress.getByName(s));
            }
        } catch (UnknownHostException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
