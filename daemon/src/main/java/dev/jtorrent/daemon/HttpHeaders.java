package dev.jtorrent.daemon;

import java.util.Locale;

/** What the daemon's HTTP handlers read of a request's headers the same way: the Host's name, and gzip's acceptance. */
public final class HttpHeaders {
    private HttpHeaders() {
    }

    /** The name in a Host header, in lower case, without its port; an IPv6 literal keeps its brackets. */
    public static String hostName(String host) {
        String value = host.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? value : value.substring(0, end + 1);
        }
        int colon = value.lastIndexOf(':');
        return colon >= 0 && value.indexOf(':') == colon ? value.substring(0, colon) : value;
    }

    /** Whether {@code name} is a dotted-quad IPv4 address or a bracketed IPv6 one. */
    public static boolean isIpLiteral(String name) {
        if (name.startsWith("[") && name.endsWith("]")) {
            return name.length() > 2 && name.substring(1, name.length() - 1).chars()
                    .allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Whether an Accept-Encoding value allows gzip: listed, and not with a quality of 0. */
    public static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.strip().split(";");
            if (pieces[0].strip().equalsIgnoreCase("gzip")) {
                for (int i = 1; i < pieces.length; i++) {
                    String parameter = pieces[i].strip().replace(" ", "");
                    if (parameter.matches("(?i)q=0(\\.0{0,3})?")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }
}
