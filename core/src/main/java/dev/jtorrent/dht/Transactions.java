package dev.jtorrent.dht;

import dev.jtorrent.bencode.BString;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Our queries awaiting an answer, by transaction id. Ids are two bytes from a counter that starts at random, so an
 * outsider cannot guess the one in use; at most {@code max} queries are outstanding, each for at most
 * {@link #TIMEOUT_NANOS}. An answer is matched only by its id and only from the address the query went to: an answer
 * from elsewhere leaves the query waiting for the real one.
 *
 * <p>Not thread-safe: the node's thread only.
 */
final class Transactions {
    /** How long a query may go unanswered (libtorrent gives up after 2-5 s). */
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int ID_SPACE = 1 << 16;

    /** What to do with the answer to one query. */
    interface Handler {
        void response(Krpc.Response response, long now);

        /** No answer in time, or an error: the query failed. */
        void failure(long now);
    }

    /**
     * One query awaiting its answer.
     *
     * @param expected the node id we know the queried node by, or null (a router, a node known by address only)
     */
    record Pending(BString transactionId, InetSocketAddress to, NodeId expected, long deadline, Handler handler) {
    }

    /** How an answer matched. */
    enum Match { ANSWERED, UNKNOWN, WRONG_SOURCE }

    private final int max;
    private final Map<BString, Pending> pending = new HashMap<>();
    /** In sending order, hence in deadline order. */
    private final ArrayDeque<Pending> deadlines = new ArrayDeque<>();
    private int next;

    /**
     * @param max   queries outstanding at once, at most 2^16
     * @param first the counter's start, random
     */
    Transactions(int max, int first) {
        if (max > ID_SPACE) {
            throw new IllegalArgumentException("at most " + ID_SPACE + " transactions, not " + max);
        }
        this.max = max;
        this.next = first;
    }

    int size() {
        return pending.size();
    }

    /** Room for how many more queries now. */
    int room() {
        return max - pending.size();
    }

    /** Opens a transaction for a query to {@code to}; empty when {@code max} are outstanding. */
    Optional<BString> open(InetSocketAddress to, NodeId expected, Handler handler, long now) {
        if (pending.size() >= max) {
            return Optional.empty();
        }
        BString id;
        do {
            int n = next++ & (ID_SPACE - 1);
            id = BString.of(new byte[] {(byte) (n >>> 8), (byte) n});
        } while (pending.containsKey(id));
        Pending p = new Pending(id, to, expected, now + TIMEOUT_NANOS, handler);
        pending.put(id, p);
        deadlines.addLast(p);
        return Optional.of(id);
    }

    /** Matches an answer with id {@code transactionId} from {@code from}; an answered query is closed. */
    Match match(BString transactionId, InetSocketAddress from) {
        Pending p = pending.get(transactionId);
        if (p == null) {
            return Match.UNKNOWN;
        }
        if (!p.to().equals(from)) {
            return Match.WRONG_SOURCE;
        }
        return Match.ANSWERED;
    }

    /** Closes the transaction an answer matched ({@link Match#ANSWERED}) and returns it. */
    Pending close(BString transactionId) {
        return pending.remove(transactionId);
    }

    /** Closes and returns the queries whose time is up. */
    List<Pending> expire(long now) {
        List<Pending> expired = new ArrayList<>();
        // Answered queries at the head go too, so that the queue holds little more than the outstanding ones.
        while (!deadlines.isEmpty() && (deadlines.peekFirst().deadline() - now <= 0
                || pending.get(deadlines.peekFirst().transactionId()) != deadlines.peekFirst())) {
            Pending p = deadlines.removeFirst();
            if (pending.remove(p.transactionId(), p)) {
                expired.add(p);
            }
        }
        return expired;
    }
}
