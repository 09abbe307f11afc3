package dev.jtorrent.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Dials a peer over the first of several transports that connects, trying them in order of preference, each a head
 * start after the one before ({@link #HEAD_START}): uTP first, as libtorrent prefers it, and TCP too once uTP has not
 * connected within half a second. The first connection made is used and any other closed as it comes.
 *
 * <p>libtorrent dials one transport at a time, uTP first with a 3 s timeout, and falls back to TCP on the next
 * attempt. A peer that does not speak uTP never answers its SYN (and on a UDP socket shared with the DHT no ICMP
 * error tells us that the port is closed), so each new such peer would cost 3 s or a whole retry; racing the two,
 * as happy eyeballs races IPv6 and IPv4 (RFC 8305), costs it half a second, and a peer that speaks both is still
 * reached over uTP, which answers within a round trip.
 *
 * <p>A transport that failed while a later one connected is remembered as not reaching that address (for the last
 * {@link #REMEMBERED} of them), and not tried there again: libtorrent marks such a peer as not speaking uTP. So is a
 * transport that connected but on which every handshake failed, while another may still reach the peer
 * ({@link #ruleOut}): a peer with TCP off (libtorrent without {@code enable_incoming_tcp}) may accept a TCP
 * connection and close it at once, and TCP then wins the race whenever uTP is slower than its head start.
 */
final class DialRace {
    /** How long a transport has to connect before the next one in order is tried as well. */
    static final Duration HEAD_START = Duration.ofMillis(500);
    /** Addresses remembered as out of reach of a transport, at most (the least recently dialled are forgotten). */
    static final int REMEMBERED = 4_096;

    private record Outcome(int index, PeerChannel channel, Exception failure) {
    }

    private record Unreachable(Transport transport, InetSocketAddress address) {
    }

    private final List<Dialer> dialers;
    private final long headStartNanos;
    /** Guarded by itself; in access order, so that the least recently dialled entry goes first. */
    private final Map<Unreachable, Boolean> unreachable = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Unreachable, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    DialRace(List<Dialer> dialers, Duration headStart) {
        if (dialers.isEmpty()) {
            throw new IllegalArgumentException("a handshaker needs a way to dial out");
        }
        this.dialers = List.copyOf(dialers);
        this.headStartNanos = headStart.toNanos();
    }

    /** Whether some transport can reach {@code address} at all (see {@link Dialer#canReach}). */
    boolean canReach(InetSocketAddress address) {
        return dialers.stream().anyMatch(dialer -> dialer.canReach(address));
    }

    /**
     * Connects to {@code address} over the first transport that connects.
     *
     * @throws IOException if none does; its message says why for each ("utp: ...; tcp: ...")
     */
    PeerChannel dial(InetSocketAddress address) throws IOException {
        List<Dialer> candidates = candidates(address);
        try {
            if (candidates.size() == 1) {
                Dialer only = candidates.get(0);
                try {
                    return only.dial(address);
                } catch (IOException | RuntimeException e) {
                    throw new IOException(describe(only, e), e);
                }
            }
            return race(address, candidates);
        } catch (IOException e) {
            // Those left failed too: whatever was ruled out there is no worse than they are, so all race next time.
            forget(address);
            throw e;
        }
    }

    /**
     * Connects to {@code address} over {@code transport} alone, without a race: a connection made again for the
     * next kind of handshake stays on the transport the last one failed over, so that each transport is given
     * every kind before it is ruled out.
     *
     * @throws IOException if it does not connect; its message says over what ("tcp: ...")
     */
    PeerChannel dial(InetSocketAddress address, Transport transport) throws IOException {
        Dialer dialer = dialers.stream().filter(d -> d.transport() == transport).findFirst()
                .orElseThrow(() -> new IOException(transport.name().toLowerCase(Locale.ROOT) + ": not dialled"));
        try {
            return dialer.dial(address);
        } catch (IOException | RuntimeException e) {
            throw new IOException(describe(dialer, e), e);
        }
    }

    /**
     * Rules {@code transport} out at {@code address}, where it connected but every handshake over it failed, if
     * another transport that can reach the address is not ruled out there; returns whether one is, and the next
     * {@link #dial(InetSocketAddress)} uses it. When none is, every transport has failed there: the peer failed, not
     * a transport, so what was ruled out there is forgotten, and the next dial races them all again, as it does when
     * the transports not ruled out fail to connect.
     */
    boolean ruleOut(Transport transport, InetSocketAddress address) {
        synchronized (unreachable) {
            boolean another = dialers.stream().anyMatch(dialer -> dialer.transport() != transport
                    && dialer.canReach(address) && !unreachable.containsKey(new Unreachable(dialer.transport(),
                    address)));
            if (another) {
                unreachable.put(new Unreachable(transport, address), Boolean.TRUE);
            } else {
                forget(address);
            }
            return another;
        }
    }

    /** Forgets every transport ruled out at {@code address}. */
    private void forget(InetSocketAddress address) {
        synchronized (unreachable) {
            dialers.forEach(dialer -> unreachable.remove(new Unreachable(dialer.transport(), address)));
        }
    }

    private List<Dialer> candidates(InetSocketAddress address) {
        List<Dialer> candidates = new ArrayList<>(dialers.size());
        synchronized (unreachable) {
            for (Dialer dialer : dialers) {
                boolean failedThere = unreachable.containsKey(new Unreachable(dialer.transport(), address));
                if (dialer.canReach(address) && !failedThere) {
                    candidates.add(dialer);
                }
            }
        }
        if (candidates.isEmpty()) {
            // Every transport failed there before: try them all again rather than never.
            candidates.addAll(dialers.stream().filter(dialer -> dialer.canReach(address)).toList());
        }
        if (candidates.isEmpty()) {
            candidates.addAll(dialers); // none can: each says why when it fails
        }
        return candidates;
    }

    private PeerChannel race(InetSocketAddress address, List<Dialer> candidates) throws IOException {
        LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        AtomicBoolean decided = new AtomicBoolean();
        int started = 0;
        int ended = 0;
        Exception[] failures = new Exception[candidates.size()];
        start(candidates, started++, address, outcomes, decided);
        try {
            while (true) {
                boolean more = started < candidates.size();
                // Once every transport started has failed, the next starts at once.
                Outcome outcome = more && ended < started ? outcomes.poll(headStartNanos, TimeUnit.NANOSECONDS)
                        : more ? null : outcomes.take();
                if (outcome == null) {
                    start(candidates, started++, address, outcomes, decided);
                } else if (outcome.channel() != null) {
                    rememberFailures(candidates, failures, address);
                    return outcome.channel();
                } else {
                    failures[outcome.index()] = outcome.failure();
                    if (++ended == candidates.size()) {
                        throw new IOException(describe(candidates, failures));
                    }
                }
            }
        } catch (InterruptedException e) {
            decided.set(true); // a connection made from now on is closed as it comes
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting", e);
        }
    }

    /** Dials over {@code candidates.get(index)} on a thread of its own; a connection that comes too late is closed. */
    private static void start(List<Dialer> candidates, int index, InetSocketAddress address,
                              LinkedBlockingQueue<Outcome> outcomes, AtomicBoolean decided) {
        Dialer dialer = candidates.get(index);
        Thread.ofVirtual().name("dial-" + dialer.transport().name().toLowerCase(Locale.ROOT) + "-" + address)
                .start(() -> {
                    PeerChannel channel;
                    try {
                        channel = dialer.dial(address);
                    } catch (IOException | RuntimeException e) {
                        outcomes.add(new Outcome(index, null, e));
                        return;
                    }
                    if (decided.compareAndSet(false, true)) {
                        outcomes.add(new Outcome(index, channel, null));
                    } else {
                        close(channel); // another transport connected first
                    }
                });
    }

    /** Remembers the transports that failed before the one that connected: that peer does not speak them. */
    private void rememberFailures(List<Dialer> candidates, Exception[] failures, InetSocketAddress address) {
        synchronized (unreachable) {
            for (int i = 0; i < candidates.size(); i++) {
                if (failures[i] != null) {
                    unreachable.put(new Unreachable(candidates.get(i).transport(), address), Boolean.TRUE);
                }
            }
        }
    }

    /** Addresses remembered as out of reach of some transport; for tests. */
    int remembered() {
        synchronized (unreachable) {
            return unreachable.size();
        }
    }

    private static String describe(List<Dialer> candidates, Exception[] failures) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < candidates.size(); i++) {
            text.append(i == 0 ? "" : "; ").append(describe(candidates.get(i), failures[i]));
        }
        return text.toString();
    }

    private static String describe(Dialer dialer, Exception failure) {
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        return dialer.transport().name().toLowerCase(Locale.ROOT) + ": " + message;
    }

    private static void close(PeerChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // a connection nobody wants: nothing more to do
        }
    }
}
