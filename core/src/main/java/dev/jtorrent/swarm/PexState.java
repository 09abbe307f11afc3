package dev.jtorrent.swarm;

import dev.jtorrent.wire.PexMessage;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link PeerExchange} keeps for one connected peer: the id it gave {@code ut_pex}, the addresses we have told it
 * of and not yet dropped, when it may next hear from us, and how much of its allowance of messages to us it has
 * used. Swarm thread only.
 *
 * <p>What we told it is bounded by the swarm's peer limit: a message adds at most
 * {@value PeerExchange#MAX_ADDED_PER_MESSAGE} and drops as many of those we lost first, so the set only grows while it
 * holds fewer stale addresses than that, that is while it is smaller than the peers we are connected to.
 */
final class PexState {
    /** The id it gave {@code ut_pex} in its extension handshake; 0 while it offers none. */
    int id;
    /** When it may be sent its next message; what is due is looked at each tick from then on. */
    long nextSend;
    /** The swarm's {@link PeerExchange#changes()} when we last found it nothing more to say; -1 before. */
    long caughtUpAt = -1;
    /** The addresses it was told of as added and not since as dropped, in the order they were told. */
    private final Set<InetSocketAddress> told = new LinkedHashSet<>();
    /**
     * Its messages to us as a theoretical arrival time (the generic cell rate algorithm): each message moves it on
     * by the allowed interval, never from further back than a burst's worth before now; past now, it sends too fast.
     */
    private long allowanceUsedUntil = Long.MIN_VALUE;

    /**
     * The message that brings it from what it was told to {@code connected} (our peers' addresses with their flags)
     * less {@code itself}, its own address there (null if it has none): at most {@code maxEach} added and
     * {@code maxEach} dropped, the rest for later messages; null if it is up to date. What the message says is taken
     * as told.
     */
    PexMessage next(Map<InetSocketAddress, Integer> connected, InetSocketAddress itself, int maxEach) {
        List<InetSocketAddress> dropped = new ArrayList<>();
        for (Iterator<InetSocketAddress> it = told.iterator(); it.hasNext() && dropped.size() < maxEach; ) {
            InetSocketAddress address = it.next();
            if (!connected.containsKey(address)) {
                dropped.add(address);
                it.remove();
            }
        }
        List<PexMessage.Added> added = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Integer> peer : connected.entrySet()) {
            if (added.size() >= maxEach) {
                break;
            }
            if (!peer.getKey().equals(itself) && told.add(peer.getKey())) {
                added.add(new PexMessage.Added(peer.getKey(), peer.getValue()));
            }
        }
        return added.isEmpty() && dropped.isEmpty() ? null : new PexMessage(added, dropped);
    }

    /**
     * Counts a message from it against its allowance: {@code burst} at once, then one per {@code intervalNanos};
     * returns false, counting nothing, if it has none left.
     */
    boolean allow(long now, long intervalNanos, int burst) {
        long earliest = now - burst * intervalNanos;
        long usedUntil = Math.max(allowanceUsedUntil, earliest) + intervalNanos;
        if (usedUntil > now) {
            return false;
        }
        allowanceUsedUntil = usedUntil;
        return true;
    }

    /** How many addresses it holds as told; for tests. */
    int toldCount() {
        return told.size();
    }
}
