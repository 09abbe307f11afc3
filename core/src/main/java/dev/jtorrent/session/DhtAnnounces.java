package dev.jtorrent.session;

import dev.jtorrent.dht.Dht;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.swarm.DhtContact;

import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The session's torrents on the DHT (BEP 5). A running public torrent is announced when it starts and every
 * {@link #ANNOUNCE_INTERVAL_NANOS 15 minutes}, as libtorrent does (nodes forget an announce after 30): a {@code
 * get_peers} lookup whose peers go to its swarm, then {@code announce_peer} to the closest nodes. A torrent waiting
 * for its metadata is looked up ({@code get_peers} alone) at once and then every {@link #SEARCH_INTERVAL_NANOS
 * minute}, its peers going to its search. Private torrents are never registered (BEP 27).
 *
 * <p>Lookups start at most {@value #STARTS_PER_SECOND} a second, in the order they fall due, and one at a time per
 * torrent: 10,000 torrents added at once are announced over half an hour instead of flooding the node, whose own
 * bound (64 lookups at once) would refuse the rest. The first lookups wait for the node's bootstrap (10 s at most),
 * and an announce that reached no node is made again 30 s later; while the routing table is empty, none starts. Thread-safe; one virtual thread starts the
 * lookups.
 */
final class DhtAnnounces implements AutoCloseable {
    static final long ANNOUNCE_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(15);
    static final long SEARCH_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final int STARTS_PER_SECOND = 5;
    /**
     * A lookup the node refused (64 under way already) or that failed, and an announce no node took (the routing
     * table was empty, as at the start), is tried again this much later.
     */
    static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);
    /**
     * The least time between the start of a torrent's last lookup and one asked for by hand ({@link
     * Registration#announceNow()}), as the trackers' {@link AnnouncePolicy#forcedGap}: a loop of reannounces costs
     * the DHT one lookup a minute.
     */
    static final long FORCED_GAP_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long the first lookups wait for the node's bootstrap, so that they have nodes to ask. */
    static final long BOOTSTRAP_WAIT_SECONDS = 10;
    private static final long START_SPACING_NANOS = TimeUnit.SECONDS.toNanos(1) / STARTS_PER_SECOND;
    private static final System.Logger LOG = System.getLogger(DhtAnnounces.class.getName());

    private final Dht dht;
    private final int port;
    /** Registrations by when they are due, soonest first. Guarded by this. */
    private final PriorityQueue<Registration> due = new PriorityQueue<>(Comparator.comparingLong(r -> r.next));
    private final Thread thread;
    private boolean closed; // guarded by this

    /** A torrent on the DHT, until {@link #close()}. */
    final class Registration implements AutoCloseable {
        private final InfoHash infoHash;
        private final boolean announce;
        private final Consumer<InetSocketAddress> peers;
        private long next; // guarded by DhtAnnounces.this
        private boolean removed; // guarded by DhtAnnounces.this
        /** When its last lookup started; meaningless until {@link #startedOne}. Guarded by DhtAnnounces.this. */
        private long lastStart;
        private boolean startedOne; // guarded by DhtAnnounces.this

        private Registration(InfoHash infoHash, boolean announce, Consumer<InetSocketAddress> peers, long next) {
            this.infoHash = infoHash;
            this.announce = announce;
            this.peers = peers;
            this.next = next;
        }

        /**
         * Looks it up now, by hand: due at once, or {@link #FORCED_GAP_NANOS} after its last lookup started if that
         * is later; nothing while a lookup of it is under way, nor once closed.
         */
        void announceNow() {
            synchronized (DhtAnnounces.this) {
                if (removed || !due.remove(this)) {
                    return; // closed, or its lookup is under way
                }
                next = forcedDue(System.nanoTime(), next, startedOne, lastStart);
                due.add(this);
                DhtAnnounces.this.notifyAll();
            }
        }

        /** No more lookups for it; one under way still reports its peers. */
        @Override
        public void close() {
            synchronized (DhtAnnounces.this) {
                removed = true;
                due.remove(this);
            }
        }
    }

    /**
     * When a lookup asked for by hand at {@code now} is due: at once, or {@link #FORCED_GAP_NANOS} after the last
     * one started if that is later; never later than {@code next}, when it was due anyway.
     */
    static long forcedDue(long now, long next, boolean startedOne, long lastStart) {
        long at = startedOne && lastStart + FORCED_GAP_NANOS - now > 0 ? lastStart + FORCED_GAP_NANOS : now;
        return at - next < 0 ? at : next;
    }

    /** @param port the TCP port announced, where the session takes connections */
    DhtAnnounces(Dht dht, int port) {
        this.dht = dht;
        this.port = port;
        this.thread = Thread.ofVirtual().name("dht-announces").start(this::run);
    }

    /**
     * Announces a running torrent now and every 15 minutes, its swarm taking the peers found.
     *
     * @param peers takes each peer found, on the DHT's callback thread
     */
    Registration announce(InfoHash infoHash, Consumer<InetSocketAddress> peers) {
        return register(new Registration(infoHash, true, peers, System.nanoTime()));
    }

    /** Looks up the peers of a torrent waiting for its metadata now and every minute. */
    Registration search(InfoHash infoHash, Consumer<InetSocketAddress> peers) {
        return register(new Registration(infoHash, false, peers, System.nanoTime()));
    }

    private synchronized Registration register(Registration registration) {
        if (!closed) {
            due.add(registration);
            notifyAll();
        }
        return registration;
    }

    /**
     * The DHT node as a public torrent's swarm tells its peers of it (BEP 5's {@code PORT}), and where the nodes they
     * name go (to the routing table, once they answer a ping), and where the address each sees us at goes (a vote on
     * our external address, BEP 42).
     */
    DhtContact contact() {
        return new DhtContact(dht.localAddress().getPort(), dht::addNode, dht::externalAddressReported);
    }

    /** Torrents registered now; for tests. */
    synchronized int registered() {
        return due.size();
    }

    private void run() {
        try {
            dht.bootstrapped().get(BOOTSTRAP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            return;
        } catch (ExecutionException | TimeoutException e) {
            // Still bootstrapping, or closed: the lookups go ahead, and are tried again if they reach no one.
        }
        try {
            while (true) {
                Registration next;
                synchronized (this) {
                    while (!closed) {
                        if (due.isEmpty()) {
                            wait();
                            continue;
                        }
                        long wait = due.peek().next - System.nanoTime();
                        if (wait <= 0) {
                            break;
                        }
                        TimeUnit.NANOSECONDS.timedWait(this, wait);
                    }
                    if (closed) {
                        return;
                    }
                    if (dht.routingTableSize() == 0) {
                        // No node to ask (no bootstrap node answered yet, or none was given): every lookup would
                        // end at once and reach no one. Look again later; the node keeps bootstrapping meanwhile.
                        TimeUnit.NANOSECONDS.timedWait(this, RETRY_NANOS);
                        continue;
                    }
                    next = due.poll(); // back in the queue once its lookup ends
                    next.lastStart = System.nanoTime();
                    next.startedOne = true;
                }
                start(next);
                Thread.sleep(START_SPACING_NANOS / 1_000_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void start(Registration registration) {
        try {
            (registration.announce
                    ? dht.announce(registration.infoHash, port, false, registration.peers)
                    : dht.getPeers(registration.infoHash, registration.peers).thenApply(done -> 0))
                    .whenComplete((acknowledged, failure) -> ended(registration, failure != null
                            || registration.announce && acknowledged == 0));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "a DHT lookup of " + registration.infoHash + " did not start: " + e);
            ended(registration, true);
        }
    }

    /**
     * A lookup ended: the torrent is due again in its interval; sooner if it failed (the node refused it, or
     * closed) or its announce reached no node.
     */
    private synchronized void ended(Registration registration, boolean failed) {
        if (closed || registration.removed) {
            return;
        }
        registration.next = System.nanoTime() + (failed ? RETRY_NANOS
                : registration.announce ? ANNOUNCE_INTERVAL_NANOS : SEARCH_INTERVAL_NANOS);
        due.add(registration);
        notifyAll();
    }

    /** Stops starting lookups; the DHT itself is the session's to close. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            due.clear();
            notifyAll();
        }
        thread.interrupt();
    }
}
