package dev.jtorrent.swarm;

/**
 * Whether we choke one peer, and what it did while choked: a peer that goes on requesting while choked is closed
 * after {@link #MAX_CHOKED_REQUESTS} requests (libtorrent's {@code max_rejects}), not counting those that were on their
 * way when we choked it ({@link #CHOKE_GRACE_NANOS}). Every peer starts choked. Swarm thread only.
 */
final class Choking {
    /** Requests a choked peer may send (after {@link #CHOKE_GRACE_NANOS}) before it is closed; libtorrent's 50. */
    static final int MAX_CHOKED_REQUESTS = 50;
    /** After we choke a peer, its requests already on the way are not held against it; libtorrent allows 2 s. */
    static final long CHOKE_GRACE_NANOS = 2_000_000_000L;

    private boolean choking = true;
    /** When we last choked the peer, if we ever unchoked it. */
    private long chokedNanos;
    private boolean wasUnchoked;
    /** Requests it sent while choked, past the grace after our choke, since we last unchoked it. */
    private int chokedRequests;

    boolean isChoking() {
        return choking;
    }

    void unchoke() {
        choking = false;
        wasUnchoked = true;
        chokedRequests = 0;
    }

    void choke(long now) {
        choking = true;
        chokedNanos = now;
    }

    /**
     * Counts a request the peer sent while choked, past the grace after our choke (none if we never unchoked it);
     * true once there were too many, and the peer is to go.
     */
    boolean tooManyRequestsWhileChoked(long now) {
        if (wasUnchoked && now - chokedNanos <= CHOKE_GRACE_NANOS) {
            return false;
        }
        return ++chokedRequests > MAX_CHOKED_REQUESTS;
    }
}
