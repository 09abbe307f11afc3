package dev.jtorrent.dht;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Token buckets for incoming queries: one for all sources and one per source IP address, each refilled at its rate
 * per second up to one second's worth. A query that finds either bucket empty is dropped unanswered, so a flood
 * from one address (or from many) costs us at most the rates' worth of replies. Per-address buckets are kept for at
 * most {@value #MAX_SOURCES} addresses, the least recently seen forgotten first: an attacker cycling addresses gets a
 * full bucket each time, but then the global bucket holds.
 */
final class RateLimiter {
    /** Source addresses whose buckets are remembered. */
    static final int MAX_SOURCES = 4096;

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static final class Bucket {
        double tokens;
        long filledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.filledAt = now;
        }

        boolean take(double rate, long now) {
            tokens = Math.min(rate, tokens + rate * Math.max(0, now - filledAt) / SECOND);
            filledAt = now;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }

    private final int perSecond;
    private final int perSecondPerIp;
    private final Bucket global;
    private final Map<InetAddress, Bucket> sources = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
            return size() > MAX_SOURCES;
        }
    };
    private long dropped;

    RateLimiter(int perSecond, int perSecondPerIp, long now) {
        this.perSecond = perSecond;
        this.perSecondPerIp = perSecondPerIp;
        this.global = new Bucket(perSecond, now);
    }

    /** Whether a query from {@code source} may be answered now; it uses up a token of both buckets if so. */
    boolean allow(InetAddress source, long now) {
        Bucket own = sources.computeIfAbsent(source, ip -> new Bucket(perSecondPerIp, now));
        if (!own.take(perSecondPerIp, now) || !global.take(perSecond, now)) {
            dropped++;
            return false;
        }
        return true;
    }

    /** Queries dropped so far. */
    long dropped() {
        return dropped;
    }

    int trackedSources() {
        return sources.size();
    }
}
