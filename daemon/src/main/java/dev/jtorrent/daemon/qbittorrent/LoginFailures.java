package dev.jtorrent.daemon.qbittorrent;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Failed logins by client, and the clients banned for them: qBittorrent bans an address for {@code
 * WebUI\BanDuration} (3600 s) after {@code WebUI\MaxAuthenticationFailCount} (5) failures, and answers its logins
 * 403 meanwhile, right or wrong. A success forgets the address's failures.
 *
 * <p>Two departures, both bounds: an IPv6 client is counted by its /64, since a host usually holds a whole /64 and
 * would otherwise get a fresh count from each of its addresses; and the table holds at most {@link #maxEntries}
 * clients, the one least recently seen forgotten first, so a flood of failing addresses costs bounded
 * memory (it can then wash out an older ban, which the flood's own addresses were already free to try).
 */
final class LoginFailures {
    private static final class Entry {
        int failures;
        Instant lastFailure;
        Instant bannedUntil;
    }

    private final Clock clock;
    private final int maxFailures;
    private final Duration banDuration;
    private final int maxEntries;
    /** By client key, the least recently seen first. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    LoginFailures(Clock clock, int maxFailures, Duration banDuration, int maxEntries) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.banDuration = Objects.requireNonNull(banDuration, "banDuration");
        if (maxFailures < 1 || maxEntries < 1 || banDuration.isNegative()) {
            throw new IllegalArgumentException("login failure limits must be positive");
        }
        this.maxFailures = maxFailures;
        this.maxEntries = maxEntries;
    }

    /** Whether {@code client} is banned now. */
    synchronized boolean banned(InetAddress client) {
        String key = key(client);
        Entry entry = entries.get(key);
        if (entry == null || entry.bannedUntil == null) {
            return false;
        }
        if (clock.instant().isBefore(entry.bannedUntil)) {
            return true;
        }
        entries.remove(key); // the ban is over, and with it the count
        return false;
    }

    /** Counts a failed login; the {@link #maxFailures}th bans the client. */
    synchronized void failed(InetAddress client) {
        Instant now = clock.instant();
        String key = key(client);
        Entry entry = entries.get(key);
        if (entry == null || (entry.bannedUntil == null && !entry.lastFailure.plus(banDuration).isAfter(now))) {
            entry = new Entry();
            entries.put(key, entry);
        }
        entry.failures++;
        entry.lastFailure = now;
        if (entry.failures >= maxFailures && entry.bannedUntil == null) {
            entry.bannedUntil = now.plus(banDuration);
        }
        Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
        while (entries.size() > maxEntries) {
            oldest.next();
            oldest.remove();
        }
    }

    /** A successful login: the client's failures are forgotten. */
    synchronized void succeeded(InetAddress client) {
        entries.remove(key(client));
    }

    synchronized int size() {
        return entries.size();
    }

    /** The address, or for IPv6 its /64 prefix. */
    static String key(InetAddress client) {
        if (client instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(client.getAddress(), 8);
            return "v6:" + java.util.HexFormat.of().formatHex(prefix);
        }
        return client.getHostAddress();
    }
}
