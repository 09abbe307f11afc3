package dev.jtorrent.budget;

/**
 * The budgets a session shares among its torrents; the session makes one set and hands it to every swarm, which
 * takes from each and gives back. Per-torrent limits stay, and apply within these.
 *
 * @param connections  peer connections, incoming and outgoing, counted from the start of an outgoing attempt
 * @param halfOpen     outgoing connection attempts in progress (connect and handshake)
 * @param inFlight     bytes of memory for the pieces being downloaded
 * @param readCache    bytes of memory for pieces read for uploads (cached, pooled, or held by blocks being sent)
 * @param upload       the rate at which all torrents upload piece data, together
 * @param download     the rate at which all connections receive piece data, together
 */
public record SessionBudgets(FairBudget connections, FairBudget halfOpen, FairBudget inFlight, FairBudget readCache,
                             RateBudget upload, RateBudget download) {

    /** Budgets that never refuse: for a swarm outside a session, as in tests. */
    public static SessionBudgets unlimited() {
        return new SessionBudgets(FairBudget.unlimited("connections"), FairBudget.unlimited("connection attempts"),
                FairBudget.unlimited("bytes of pieces in flight"), FairBudget.unlimited("bytes of read cache"),
                RateBudget.unlimited(), RateBudget.unlimited());
    }
}
