package dev.jtorrent.swarm;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every peer address we have heard of for a torrent, with what happened when we tried it: which to connect to
 * next, which to leave alone for a while after a failure (30 s, doubling, given up after 5 failures) and which
 * are banned. Bounded: at most {@link #MAX_KNOWN} addresses, as libtorrent's peer list. Swarm thread only.
 *
 * <p>A ban is on the IP address, not the socket address, as in libtorrent: a peer that connects to us comes from a
 * new ephemeral port each time, so a ban on its address and port would let a banned liar straight back in. At most
 * {@link #MAX_KNOWN} IPs are banned; past that the oldest ban is lifted.
 */
final class KnownPeers {
    static final int MAX_KNOWN = 3000;
    private static final int MAX_FAILURES = 5;
    private static final long BASE_BACKOFF_NANOS = 30_000_000_000L;

    private enum State { IDLE, CONNECTING, CONNECTED, BANNED }

    private static final class Candidate {
        State state = State.IDLE;
        int failures;
        long notBefore;
    }

    private final Map<InetSocketAddress, Candidate> peers = new LinkedHashMap<>();
    private final Set<InetAddress> bannedIps = new LinkedHashSet<>();

    /**
     * Adds addresses we may connect to; returns how many were new. When the list is full, a new address takes the
     * place of one not worth keeping, as libtorrent's list does: one given up on first, then the one that failed
     * most, then the oldest never tried. Addresses connected, being connected or banned are never dropped, so a
     * tracker that lists thousands of dead peers cannot lock good ones out for good: the dead ones fail and make room.
     */
    int add(List<InetSocketAddress> addresses) {
        int added = 0;
        Iterator<InetSocketAddress> evictable = null;
        for (InetSocketAddress address : addresses) {
            if (peers.containsKey(address)) {
                continue;
            }
            if (peers.size() >= MAX_KNOWN) {
                if (evictable == null) {
                    evictable = evictionOrder().iterator();
                }
                if (!evictable.hasNext()) {
                    break;
                }
                peers.remove(evictable.next());
            }
            peers.put(address, new Candidate());
            added++;
        }
        return added;
    }

    /** The idle addresses, those least worth keeping first. */
    private List<InetSocketAddress> evictionOrder() {
        List<InetSocketAddress> idle = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Candidate> e : peers.entrySet()) {
            if (e.getValue().state == State.IDLE) {
                idle.add(e.getKey());
            }
        }
        // Stable: among equals, the oldest (first added) goes first.
        idle.sort(Comparator.comparingInt((InetSocketAddress a) -> -peers.get(a).failures));
        return idle;
    }

    /** Up to {@code count} addresses to connect to now; they are marked connecting. */
    List<InetSocketAddress> takeForConnecting(int count, long now) {
        List<InetSocketAddress> chosen = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Candidate> e : peers.entrySet()) {
            if (chosen.size() >= count) {
                break;
            }
            Candidate c = e.getValue();
            if (c.notBefore <= now && worthTrying(e.getKey(), c)) {
                c.state = State.CONNECTING;
                chosen.add(e.getKey());
            }
        }
        return chosen;
    }

    /**
     * When {@link #takeForConnecting} has an address to give next: at once for one never tried, else when the first
     * back-off ends; {@link Long#MAX_VALUE} if every address is connected, being connected, given up on or banned.
     */
    long nextAttempt() {
        long first = Long.MAX_VALUE;
        for (Map.Entry<InetSocketAddress, Candidate> e : peers.entrySet()) {
            if (worthTrying(e.getKey(), e.getValue())) {
                first = Math.min(first, e.getValue().notBefore);
            }
        }
        return first;
    }

    /** Idle, not given up on and not banned: to be tried once its back-off, if any, is over. */
    private boolean worthTrying(InetSocketAddress address, Candidate c) {
        return c.state == State.IDLE && c.failures < MAX_FAILURES && !bannedIps.contains(address.getAddress());
    }

    /**
     * Whether a connection we dialled to {@code address} may be kept: neither its IP banned nor the address ours. The
     * address stays as it is until the connection joins ({@link #connected}) or is refused ({@link #disconnected}).
     */
    boolean mayConnect(InetSocketAddress address) {
        Candidate c = peers.get(address);
        return !isBanned(address) && (c == null || c.state != State.BANNED);
    }

    /** A connection (either way) is up. Returns false if the address is banned. */
    boolean connected(InetSocketAddress address) {
        if (isBanned(address)) {
            return false;
        }
        Candidate c = peers.computeIfAbsent(address, a -> new Candidate());
        if (c.state == State.BANNED) {
            return false;
        }
        c.state = State.CONNECTED;
        c.failures = 0;
        return true;
    }

    /** A connection attempt failed or a connection ended badly: back off from the address. */
    void failed(InetSocketAddress address, long now) {
        Candidate c = peers.get(address);
        if (c != null && c.state != State.BANNED) {
            c.state = State.IDLE;
            c.failures++;
            c.notBefore = now + (BASE_BACKOFF_NANOS << Math.min(c.failures - 1, 10));
        }
    }

    /** A connection ended normally: the address may be tried again later. */
    void disconnected(InetSocketAddress address, long now) {
        Candidate c = peers.get(address);
        if (c != null && c.state != State.BANNED) {
            c.state = State.IDLE;
            c.notBefore = now + BASE_BACKOFF_NANOS;
        }
    }

    /**
     * Addresses whose connection ended normally may be tried again at once: a peer dropped because it had nothing we
     * wanted (two seeds) may have what we want now that we want more.
     */
    void retryDisconnected(long now) {
        for (Candidate c : peers.values()) {
            if (c.state == State.IDLE && c.failures == 0) {
                c.notBefore = Math.min(c.notBefore, now);
            }
        }
    }

    /**
     * Never connects to {@code address} again, without banning its IP: it is our own listen address as seen from
     * outside, and others may share the IP (every session of a test on loopback, or peers behind our NAT).
     */
    void ownAddress(InetSocketAddress address) {
        peers.computeIfAbsent(address, a -> new Candidate()).state = State.BANNED;
    }

    /** Bans the IP of {@code address}: no connection to or from it is kept again. */
    void ban(InetSocketAddress address) {
        Candidate c = peers.get(address);
        if (c != null) {
            c.state = State.BANNED;
        }
        if (bannedIps.add(address.getAddress()) && bannedIps.size() > MAX_KNOWN) {
            Iterator<InetAddress> oldest = bannedIps.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** Whether the IP of {@code address} is banned, whatever the port. */
    boolean isBanned(InetSocketAddress address) {
        return bannedIps.contains(address.getAddress());
    }

    int size() {
        return peers.size();
    }

    int connecting() {
        return (int) peers.values().stream().filter(c -> c.state == State.CONNECTING).count();
    }
}
