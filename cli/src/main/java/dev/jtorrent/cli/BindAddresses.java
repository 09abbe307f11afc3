package dev.jtorrent.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The values of a repeatable {@code --bind}: IPv4 or IPv6 addresses, an IPv6 literal with or without its brackets
 * ({@code ::1} or {@code [::1]}, as it is written in a URL), or a host name of this machine.
 */
final class BindAddresses {
    private BindAddresses() {
    }

    /**
     * Each value as an address, in the order given, repeats dropped.
     *
     * @throws UsageException naming the value that is not an address
     */
    static List<InetAddress> parse(List<String> values) {
        List<InetAddress> addresses = new ArrayList<>();
        for (String value : values) {
            InetAddress address = parse(value);
            if (!addresses.contains(address)) {
                addresses.add(address);
            }
        }
        return addresses;
    }

    static InetAddress parse(String value) {
        String text = value.strip();
        boolean bracketed = text.startsWith("[") && text.endsWith("]");
        String host = bracketed ? text.substring(1, text.length() - 1) : text;
        if (host.isEmpty() || bracketed && host.indexOf(':') < 0 || host.indexOf('[') >= 0 || host.indexOf(']') >= 0
                || host.indexOf('%') >= 0 && host.indexOf(':') < 0) {
            throw notAnAddress(value);
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw notAnAddress(value);
        }
    }

    private static UsageException notAnAddress(String value) {
        return new UsageException("--bind: not an address of this machine: '" + value + "'");
    }
}
