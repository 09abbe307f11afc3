package dev.jtorrent.tracker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * A torrent's trackers in BEP 12 tiers, and a client for each. Every tracker is announced to (see the session's
 * {@code Announcer}); the tiers give the order of preference: which trackers go first when not all can be asked at
 * once, and in which order they are reported. Each tier is shuffled once, when the tiers are made, as BEP 12 asks so
 * that load spreads over a tier's trackers, and a tracker that answers moves to the front of its tier, as BEP 12
 * asks, so that it is preferred from then on. A URL listed twice counts once, where it first appears.
 *
 * <p>Clients are opened on first use and kept, so a UDP connection id is reused; opening one does no I/O. Safe to
 * use from several threads: an announce through one client does not hold up another.
 */
public final class TrackerTiers implements AutoCloseable {
    private final List<List<String>> tiers; // guarded by lock
    private final TrackerOpener opener;
    private final Map<String, Tracker> open = new HashMap<>(); // guarded by lock
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed; // guarded by lock

    /**
     * @param tiers  the announce-list (or a single-tracker tier from {@code announce}); empty tiers are dropped
     * @param random shuffles each tier
     */
    public TrackerTiers(List<List<String>> tiers, TrackerOpener opener, RandomGenerator random) {
        this.opener = opener;
        this.tiers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (List<String> tier : tiers) {
            List<String> shuffled = new ArrayList<>(tier.stream().filter(seen::add).toList());
            if (!shuffled.isEmpty()) {
                Collections.shuffle(shuffled, random);
                this.tiers.add(shuffled);
            }
        }
    }

    /** Tiers over real clients made with {@code config}. */
    public static TrackerTiers of(List<List<String>> tiers, TrackerConfig config, RandomGenerator random) {
        return new TrackerTiers(tiers, url -> Tracker.open(url, config), random);
    }

    /** The tiers in their current order. */
    public List<List<String>> tiers() {
        lock.lock();
        try {
            return tiers.stream().map(List::copyOf).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Every tracker, most preferred first: the first tier in its current order, then the second, and so on. */
    public List<String> urls() {
        lock.lock();
        try {
            return tiers.stream().flatMap(List::stream).toList();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replaces the tiers, for trackers added or removed while the torrent runs. A tracker in both keeps its client
     * and, within its tier, its place relative to the others kept (those that answered stay in front); a new one
     * goes after them, in the order given. The clients of the trackers removed are closed, failing any announce
     * under way through them. Empty tiers are dropped, and a URL listed twice counts once, as at the start.
     */
    public void replace(List<List<String>> newTiers) {
        List<Tracker> removed = new ArrayList<>();
        lock.lock();
        try {
            List<String> before = tiers.stream().flatMap(List::stream).toList();
            tiers.clear();
            Set<String> seen = new HashSet<>();
            for (List<String> tier : newTiers) {
                List<String> kept = new ArrayList<>(tier.stream().filter(seen::add).toList());
                if (kept.isEmpty()) {
                    continue;
                }
                List<String> ordered = new ArrayList<>(kept.stream().filter(before::contains)
                        .sorted(Comparator.comparingInt(before::indexOf)).toList());
                kept.stream().filter(url -> !before.contains(url)).forEach(ordered::add);
                tiers.add(ordered);
            }
            open.entrySet().removeIf(entry -> {
                if (seen.contains(entry.getKey())) {
                    return false;
                }
                removed.add(entry.getValue());
                return true;
            });
        } finally {
            lock.unlock();
        }
        removed.forEach(Tracker::close);
    }

    /** {@code url} answered an announce: it moves to the front of its tier. */
    public void answered(String url) {
        lock.lock();
        try {
            for (List<String> tier : tiers) {
                if (tier.remove(url)) {
                    tier.addFirst(url);
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The client for {@code url}, opened on first use.
     *
     * @throws TrackerException if the URL is not one of these tiers', cannot be a tracker's (an unsupported scheme,
     *                          a UDP URL without a port), or the tiers are closed
     */
    public Tracker client(String url) throws TrackerException {
        lock.lock();
        try {
            if (closed) {
                throw new TrackerException("tracker client is closed");
            }
            Tracker tracker = open.get(url);
            if (tracker == null) {
                if (tiers.stream().noneMatch(tier -> tier.contains(url))) {
                    throw new TrackerException("not one of the torrent's trackers: " + url);
                }
                tracker = opener.open(url);
                open.put(url, tracker);
            }
            return tracker;
        } finally {
            lock.unlock();
        }
    }

    /** Closes every client; an announce still under way fails. */
    @Override
    public void close() {
        List<Tracker> clients;
        lock.lock();
        try {
            closed = true;
            clients = List.copyOf(open.values());
            open.clear();
        } finally {
            lock.unlock();
        }
        clients.forEach(Tracker::close);
    }
}
