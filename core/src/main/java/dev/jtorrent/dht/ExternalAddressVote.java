package dev.jtorrent.dht;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Learns our external address from the {@code ip} that nodes put in their responses (BEP 42), to derive our node id
 * from it. One node could lie, so each source address has one vote (its latest), the last
 * {@value #MAX_VOTERS} voters count, and an address is adopted once at least {@value #MIN_VOTES} voters name it and
 * they are more than half of all voters. This follows libtorrent, which changes its DHT node id when the external
 * address it settles on changes; its own threshold is similar (a handful of agreeing sources). An address set by the
 * session ({@link #set}, from a peer's BEP 10 {@code yourip} or a configured address) is adopted at once.
 */
final class ExternalAddressVote {
    /** Voters that must agree before an address is adopted. */
    static final int MIN_VOTES = 3;
    /** Voters remembered; older votes are forgotten. */
    static final int MAX_VOTERS = 64;

    private final Map<InetAddress, InetAddress> votes = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, InetAddress> eldest) {
            return size() > MAX_VOTERS;
        }
    };
    private InetAddress adopted;

    /** Records that {@code voter} saw us as {@code reported}; returns the address if this vote made it adopted. */
    Optional<InetAddress> vote(InetAddress voter, InetAddress reported) {
        votes.put(voter, reported);
        Map<InetAddress, Integer> counts = new HashMap<>();
        for (InetAddress a : votes.values()) {
            counts.merge(a, 1, Integer::sum);
        }
        int count = counts.getOrDefault(reported, 0);
        if (!reported.equals(adopted) && count >= MIN_VOTES && 2 * count > votes.size()) {
            adopted = reported;
            return Optional.of(reported);
        }
        return Optional.empty();
    }

    /** Adopts {@code address}; returns whether it was a change. */
    boolean set(InetAddress address) {
        boolean changed = !address.equals(adopted);
        adopted = address;
        return changed;
    }

    Optional<InetAddress> adopted() {
        return Optional.ofNullable(adopted);
    }
}
