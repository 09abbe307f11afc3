package dev.jtorrent.dht;

import dev.jtorrent.bencode.BString;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One iterative lookup (BEP 5) in one address family, as a state machine without I/O: it says whom to ask next
 * ({@link #next}) and is told the answers ({@link #answered}) and silences ({@link #failed}); the node sends the
 * queries. Candidates are kept in order of distance to the target. At most {@link #ALPHA} queries are in flight, each
 * to one of the {@link RoutingTable#K} closest candidates not known to have failed; the lookup ends when all of those
 * have answered (or no candidate is left), when nothing is in flight, or after {@link #MAX_QUERIES} queries.
 *
 * <p><b>Bounds.</b> At most {@value #MAX_CANDIDATES} candidates are kept, the farthest unasked ones dropped first, so
 * a reply listing thousands of nodes costs nothing lasting; at most {@value #MAX_QUERIES} queries in all; at most
 * {@value #MAX_PEERS} distinct peers reported, each once.
 */
final class Lookup {
    /** Queries in flight at once (libtorrent's search branching is 3-5). */
    static final int ALPHA = 4;
    /** Queries sent by one lookup in all. */
    static final int MAX_QUERIES = 128;
    /** Candidates remembered. */
    static final int MAX_CANDIDATES = 200;
    /** Distinct peers reported by one lookup. */
    static final int MAX_PEERS = 1000;

    private enum State { FRESH, ASKED, ANSWERED, FAILED }

    private static final class Candidate {
        final Contact contact;
        State state = State.FRESH;
        BString token;

        Candidate(Contact contact) {
            this.contact = contact;
        }
    }

    private final NodeId target;
    private final Family family;
    private final List<Candidate> candidates = new ArrayList<>();
    private final Map<InetSocketAddress, Candidate> byAddress = new HashMap<>();
    private final Set<NodeId> ids = new HashSet<>();
    /** The subnets of the candidates, when a lookup takes one node of each ({@link Subnet}). */
    private final Set<Subnet> subnets = new HashSet<>();
    private final boolean onePerSubnet;
    private final Set<InetSocketAddress> peers = new HashSet<>();
    private final Comparator<Candidate> byDistance;
    private int inFlight;
    private int queries;
    private int outside;

    /**
     * @param onePerSubnet take at most one candidate of each /24 (IPv6: /64), as libtorrent's
     *                     {@code dht_restrict_search_ips}: a host with many addresses cannot fill a lookup
     */
    Lookup(NodeId target, Family family, boolean onePerSubnet) {
        this.target = target;
        this.family = family;
        this.onePerSubnet = onePerSubnet;
        this.byDistance = Comparator.comparing(c -> c.contact.id(), target::compareDistance);
    }

    NodeId target() {
        return target;
    }

    Family family() {
        return family;
    }

    int queries() {
        return queries;
    }

    int candidates() {
        return candidates.size();
    }

    /** Adds candidates of this lookup's family; known addresses and ids are skipped. */
    void addCandidates(List<Contact> contacts) {
        for (Contact c : contacts) {
            Subnet subnet = Subnet.of(c.address().getAddress());
            if (c.family() != family || byAddress.containsKey(c.address()) || ids.contains(c.id())
                    || onePerSubnet && subnets.contains(subnet)) {
                continue;
            }
            Candidate candidate = new Candidate(c);
            int at = insertionPoint(candidate);
            if (at >= MAX_CANDIDATES) {
                continue;
            }
            candidates.add(at, candidate);
            byAddress.put(c.address(), candidate);
            ids.add(c.id());
            subnets.add(subnet);
            trim();
        }
    }

    /** Contacts to query now, at most {@code budget} of them; each is then in flight until answered or failed. */
    List<Contact> next(int budget) {
        List<Contact> ask = new ArrayList<>();
        int closest = 0;
        for (Candidate c : candidates) {
            if (closest >= RoutingTable.K || inFlight >= ALPHA || ask.size() >= budget || queries >= MAX_QUERIES) {
                break;
            }
            if (c.state == State.FAILED) {
                continue;
            }
            closest++;
            if (c.state == State.FRESH) {
                c.state = State.ASKED;
                inFlight++;
                queries++;
                ask.add(c.contact);
            }
        }
        return ask;
    }

    /** Records an answer from {@code from}: its token, and the nodes it gave as new candidates. */
    void answered(InetSocketAddress from, Optional<BString> token, List<Contact> nodes) {
        Candidate c = byAddress.get(from);
        if (c != null && c.state == State.ASKED) {
            c.state = State.ANSWERED;
            c.token = token.orElse(null);
            inFlight--;
        }
        addCandidates(nodes);
    }

    void failed(InetSocketAddress from) {
        Candidate c = byAddress.get(from);
        if (c != null && c.state == State.ASKED) {
            c.state = State.FAILED;
            inFlight--;
        }
    }

    /** The peers among {@code values} not reported before, up to {@link #MAX_PEERS} in all. */
    List<InetSocketAddress> newPeers(List<InetSocketAddress> values) {
        List<InetSocketAddress> fresh = new ArrayList<>();
        for (InetSocketAddress p : values) {
            if (peers.size() >= MAX_PEERS) {
                break;
            }
            if (p.getPort() != 0 && peers.add(p)) {
                fresh.add(p);
            }
        }
        return fresh;
    }

    /** A query outside the candidate list (to a bootstrap router) began; the lookup waits for it. */
    void outsideQuerySent() {
        outside++;
    }

    /** A query outside the candidate list ended, answered or not. */
    void outsideQueryEnded() {
        outside--;
    }

    /** Whether the lookup is over: nothing in flight and nothing more worth asking. */
    boolean done() {
        if (inFlight > 0 || outside > 0) {
            return false;
        }
        if (queries >= MAX_QUERIES) {
            return true;
        }
        int closest = 0;
        for (Candidate c : candidates) {
            if (closest >= RoutingTable.K) {
                break;
            }
            if (c.state == State.FAILED) {
                continue;
            }
            closest++;
            if (c.state == State.FRESH) {
                return false;
            }
        }
        return true;
    }

    /** Up to K of the closest nodes that answered with a token, closest first: where to announce. */
    List<Announceable> closestWithTokens() {
        List<Announceable> out = new ArrayList<>();
        for (Candidate c : candidates) {
            if (out.size() >= RoutingTable.K) {
                break;
            }
            if (c.state == State.ANSWERED && c.token != null) {
                out.add(new Announceable(c.contact, c.token));
            }
        }
        return out;
    }

    /** A node to send {@code announce_peer} to, with the token it gave. */
    record Announceable(Contact contact, BString token) {
    }

    private int insertionPoint(Candidate candidate) {
        int lo = 0;
        int hi = candidates.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (byDistance.compare(candidates.get(mid), candidate) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Drops the farthest candidates not asked, past {@link #MAX_CANDIDATES}. */
    private void trim() {
        for (int i = candidates.size() - 1; candidates.size() > MAX_CANDIDATES && i >= 0; i--) {
            if (candidates.get(i).state != State.ASKED) {
                Contact dropped = candidates.remove(i).contact;
                byAddress.remove(dropped.address());
                ids.remove(dropped.id());
                subnets.remove(Subnet.of(dropped.address().getAddress()));
            }
        }
    }
}
