package dev.jtorrent.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The k-buckets of one address family (BEP 5). Bucket {@code i} holds the nodes whose ids share exactly {@code i}
 * leading bits with ours; the last bucket holds every node at least as close, and is the only one that splits when
 * full, so the table knows many nodes near us and a few far away.
 *
 * <p>Only nodes that answered one of our queries are put in: an id in someone's {@code nodes} list is a rumour, and
 * the node that sends it could list anyone. A node that has not been heard from for
 * {@link #QUESTIONABLE_AFTER_NANOS} is questionable and is pinged; one that fails {@link #BAD_AFTER_FAILURES} queries
 * in a row is bad and gives its place to the freshest node of its bucket's replacement cache.
 *
 * <p><b>Bounds.</b> At most {@link #K} nodes a bucket and {@code maxNodes} in all, at most
 * {@link #REPLACEMENTS} waiting per bucket; at most {@code maxPerIp} entries with one IP address in the table (one by
 * default, as libtorrent), and at most {@code maxPerSubnet} in one bucket from one /24 (IPv4) or /64 (IPv6), which is
 * libtorrent's {@code dht_restrict_routing_ips}; both stop one host from filling the table. Contacts refused by the
 * {@link AddressFilter} and our own id never enter.
 *
 * <p>Not thread-safe: the node's logic thread only.
 */
final class RoutingTable {
    /** Nodes per bucket (BEP 5). */
    static final int K = 8;
    /** Nodes waiting per bucket for a place to free. */
    static final int REPLACEMENTS = 8;
    /** A node not heard from for this long is questionable (BEP 5: 15 minutes). */
    static final long QUESTIONABLE_AFTER_NANOS = TimeUnit.MINUTES.toNanos(15);
    /** A bucket none of whose nodes changed or answered for this long is refreshed by a lookup (BEP 5). */
    static final long REFRESH_AFTER_NANOS = TimeUnit.MINUTES.toNanos(15);
    /** Consecutive unanswered queries that make a node bad. */
    static final int BAD_AFTER_FAILURES = 3;
    /** A questionable node is not pinged again sooner than this. */
    static final long PING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** What became of a node heard from. */
    enum Outcome { ADDED, UPDATED, CACHED, REFUSED }

    private static final class Entry {
        Contact contact;
        long lastSeen;
        long lastPinged;
        int failures;

        Entry(Contact contact, long now) {
            this.contact = contact;
            this.lastSeen = now;
            this.lastPinged = now - PING_INTERVAL_NANOS;
        }
    }

    private static final class Bucket {
        final List<Entry> nodes = new ArrayList<>(K);
        final ArrayDeque<Entry> replacements = new ArrayDeque<>(REPLACEMENTS);
        long lastChanged;

        Bucket(long now) {
            lastChanged = now;
        }
    }

    private final NodeId own;
    private final AddressFilter filter;
    private final int maxNodes;
    private final int maxPerIp;
    private final int maxPerSubnet;
    private final List<Bucket> buckets = new ArrayList<>();
    private final Map<InetSocketAddress, Entry> byAddress = new HashMap<>();
    private final Map<InetAddress, Integer> perIp = new HashMap<>();
    private int size;

    RoutingTable(NodeId own, AddressFilter filter, int maxNodes, int maxPerIp, int maxPerSubnet, long now) {
        this.own = own;
        this.filter = filter;
        this.maxNodes = maxNodes;
        this.maxPerIp = maxPerIp;
        this.maxPerSubnet = maxPerSubnet;
        buckets.add(new Bucket(now));
    }

    NodeId own() {
        return own;
    }

    /** Nodes in the table, not counting replacements. */
    int size() {
        return size;
    }

    /** Nodes in the table and waiting in replacement caches: what the table holds in memory. */
    int held() {
        return byAddress.size();
    }

    int buckets() {
        return buckets.size();
    }

    boolean contains(InetSocketAddress address) {
        Entry e = byAddress.get(address);
        return e != null && buckets.get(index(e.contact.id())).nodes.contains(e);
    }

    /**
     * Records that {@code contact} answered one of our queries: it is added, refreshed, cached as a replacement or
     * refused.
     */
    Outcome heardFrom(Contact contact, long now) {
        if (contact.id().equals(own) || !filter.allowed(contact.address())) {
            return Outcome.REFUSED;
        }
        Entry known = byAddress.get(contact.address());
        if (known != null && !known.contact.id().equals(contact.id())) {
            // The node at this address answered our query under another id: it took a new one (BEP 42 nodes do
            // when they learn their external address). The answer proves the address, so the old entry goes.
            Bucket old = buckets.get(index(known.contact.id()));
            if (old.nodes.contains(known)) {
                remove(old, known);
            } else {
                old.replacements.remove(known);
                forget(known);
            }
            known = null;
        }
        if (known != null) {
            known.lastSeen = now;
            known.failures = 0;
            Bucket bucket = buckets.get(index(contact.id()));
            if (bucket.nodes.contains(known)) {
                bucket.lastChanged = now;
                return Outcome.UPDATED;
            }
            if (bucket.nodes.size() < K && size < maxNodes) {
                bucket.replacements.remove(known);
                bucket.nodes.add(known);
                bucket.lastChanged = now;
                size++;
                return Outcome.ADDED;
            }
            return Outcome.CACHED;
        }
        if (perIp.getOrDefault(contact.address().getAddress(), 0) >= maxPerIp || findById(contact.id()) != null) {
            return Outcome.REFUSED;
        }
        while (true) {
            int i = index(contact.id());
            Bucket bucket = buckets.get(i);
            if (sameSubnet(bucket, contact.address().getAddress()) >= maxPerSubnet) {
                return Outcome.REFUSED;
            }
            if (bucket.nodes.size() < K && size < maxNodes) {
                add(bucket, new Entry(contact, now));
                return Outcome.ADDED;
            }
            Optional<Entry> bad = bucket.nodes.stream().filter(e -> e.failures >= BAD_AFTER_FAILURES).findFirst();
            if (bad.isPresent()) {
                remove(bucket, bad.get());
                add(bucket, new Entry(contact, now));
                return Outcome.ADDED;
            }
            if (i == buckets.size() - 1 && i < NodeId.BITS - 1 && bucket.nodes.size() >= K && size < maxNodes) {
                split(now);
                continue;
            }
            if (bucket.replacements.size() >= REPLACEMENTS) {
                forget(bucket.replacements.removeFirst());
            }
            Entry waiting = new Entry(contact, now);
            bucket.replacements.addLast(waiting);
            index(waiting);
            return Outcome.CACHED;
        }
    }

    /** Whether a node at {@code address} with this id would find a place now: worth pinging when it queries us. */
    boolean wouldAccept(Contact contact) {
        if (contact.id().equals(own) || !filter.allowed(contact.address()) || byAddress.containsKey(contact.address())
                || perIp.getOrDefault(contact.address().getAddress(), 0) >= maxPerIp || size >= maxNodes) {
            return false;
        }
        int i = index(contact.id());
        Bucket bucket = buckets.get(i);
        return sameSubnet(bucket, contact.address().getAddress()) < maxPerSubnet
                && (bucket.nodes.size() < K || i == buckets.size() - 1 && i < NodeId.BITS - 1);
    }

    /** Records that a node in the table queried us, which keeps it good (BEP 5). */
    void queriedBy(Contact contact, long now) {
        Entry e = byAddress.get(contact.address());
        if (e != null && e.contact.id().equals(contact.id())) {
            e.lastSeen = now;
        }
    }

    /**
     * Records that the node at {@code address} did not answer a query. A bad node gives its place to the freshest
     * replacement, if there is one.
     */
    void failed(InetSocketAddress address) {
        Entry e = byAddress.get(address);
        if (e == null) {
            return;
        }
        e.failures++;
        Bucket bucket = buckets.get(index(e.contact.id()));
        if (!bucket.nodes.contains(e)) {
            bucket.replacements.remove(e);
            forget(e);
            return;
        }
        if (e.failures >= BAD_AFTER_FAILURES && !bucket.replacements.isEmpty()) {
            remove(bucket, e);
            Entry next = bucket.replacements.removeLast();
            bucket.nodes.add(next);
            size++;
        }
    }

    /** The up to {@code n} nodes closest to {@code target} that are not bad, closest first. */
    List<Contact> closest(NodeId target, int n) {
        List<Contact> all = new ArrayList<>(size);
        for (Bucket b : buckets) {
            for (Entry e : b.nodes) {
                if (e.failures < BAD_AFTER_FAILURES) {
                    all.add(e.contact);
                }
            }
        }
        all.sort(Comparator.comparing(Contact::id, target::compareDistance));
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }

    /** Every node that is not bad, for saving the table. */
    List<Contact> goodNodes() {
        return closest(own, size);
    }

    /**
     * Questionable nodes to ping now, at most {@code max}; each is not offered again for
     * {@link #PING_INTERVAL_NANOS}.
     */
    List<Contact> toPing(long now, int max) {
        List<Contact> out = new ArrayList<>();
        for (Bucket b : buckets) {
            for (Entry e : b.nodes) {
                if (out.size() < max && now - e.lastSeen > QUESTIONABLE_AFTER_NANOS
                        && now - e.lastPinged >= PING_INTERVAL_NANOS) {
                    e.lastPinged = now;
                    out.add(e.contact);
                }
            }
        }
        return out;
    }

    /**
     * The least recently seen node of {@code contact}'s bucket if it is questionable and may be pinged: the check
     * BEP 5 makes before a newcomer is turned away from a full bucket.
     */
    Optional<Contact> questionableBeside(NodeId id, long now) {
        Bucket bucket = buckets.get(index(id));
        return bucket.nodes.stream()
                .filter(e -> now - e.lastSeen > QUESTIONABLE_AFTER_NANOS && now - e.lastPinged >= PING_INTERVAL_NANOS)
                .min(Comparator.comparingLong(e -> e.lastSeen))
                .map(e -> {
                    e.lastPinged = now;
                    return e.contact;
                });
    }

    /**
     * Targets for lookups that refresh the buckets untouched for {@link #REFRESH_AFTER_NANOS}, one random id in each
     * such bucket's range; each bucket counts as touched once offered.
     */
    List<NodeId> refreshTargets(long now, RandomGenerator random) {
        List<NodeId> targets = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            if (now - b.lastChanged > REFRESH_AFTER_NANOS) {
                b.lastChanged = now;
                boolean last = i == buckets.size() - 1;
                targets.add(last ? own.randomWithPrefix(i, random) : own.flip(i).randomWithPrefix(i + 1, random));
            }
        }
        return targets;
    }

    private int index(NodeId id) {
        return Math.min(own.commonPrefix(id), buckets.size() - 1);
    }

    private Entry findById(NodeId id) {
        Bucket b = buckets.get(index(id));
        for (Entry e : b.nodes) {
            if (e.contact.id().equals(id)) {
                return e;
            }
        }
        for (Entry e : b.replacements) {
            if (e.contact.id().equals(id)) {
                return e;
            }
        }
        return null;
    }

    private void add(Bucket bucket, Entry e) {
        bucket.nodes.add(e);
        bucket.lastChanged = e.lastSeen;
        size++;
        index(e);
    }

    private void remove(Bucket bucket, Entry e) {
        bucket.nodes.remove(e);
        size--;
        forget(e);
    }

    private void index(Entry e) {
        byAddress.put(e.contact.address(), e);
        perIp.merge(e.contact.address().getAddress(), 1, Integer::sum);
    }

    private void forget(Entry e) {
        byAddress.remove(e.contact.address());
        perIp.computeIfPresent(e.contact.address().getAddress(), (ip, n) -> n == 1 ? null : n - 1);
    }

    /** Splits the last bucket: the nodes sharing one more bit with our id move to a new last bucket. */
    private void split(long now) {
        int i = buckets.size() - 1;
        Bucket old = buckets.get(i);
        Bucket next = new Bucket(now);
        next.lastChanged = old.lastChanged;
        buckets.add(next);
        for (Iterator<Entry> it = old.nodes.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (own.commonPrefix(e.contact.id()) > i) {
                it.remove();
                next.nodes.add(e);
            }
        }
        for (Iterator<Entry> it = old.replacements.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (own.commonPrefix(e.contact.id()) > i) {
                it.remove();
                next.replacements.add(e);
            }
        }
        // Room freed in the old bucket goes to its freshest waiting nodes.
        while (old.nodes.size() < K && size < maxNodes && !old.replacements.isEmpty()) {
            old.nodes.add(old.replacements.removeLast());
            size++;
        }
    }

    private static int sameSubnet(Bucket bucket, InetAddress ip) {
        Subnet subnet = Subnet.of(ip);
        int count = 0;
        for (Entry e : bucket.nodes) {
            if (Subnet.of(e.contact.address().getAddress()).equals(subnet)) {
                count++;
            }
        }
        return count;
    }
}
