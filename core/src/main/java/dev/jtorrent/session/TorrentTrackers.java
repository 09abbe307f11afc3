package dev.jtorrent.session;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A torrent's trackers in BEP 12 tiers, as the torrent (or its magnet link) gave them and as they were edited since
 * ({@link TorrentHandle#addTracker}, {@link TorrentHandle#removeTracker}, {@link TorrentHandle#replaceTracker}):
 * the list its announcer is made from at each start, and that its record keeps across restarts ({@link
 * TorrentRecord}). A tracker is in one tier only, listed once; a tier left empty goes. Thread-safe.
 */
final class TorrentTrackers {
    /** Trackers a torrent may be given by hand, in all: a bound on what a program can make it keep and ask. */
    static final int MAX_TRACKERS = 500;
    /** The longest announce URL taken; real ones are under 200 characters. */
    static final int MAX_URL_LENGTH = 2048;

    private List<List<String>> tiers; // guarded by this; each tier mutable
    /** Whether they were edited by hand (or restored from a record): the metadata's list then does not replace them. */
    private boolean edited; // guarded by this

    /**
     * @param tiers  the trackers at the start
     * @param edited whether they are the result of edits (restored from a record), which metadata does not replace
     */
    TorrentTrackers(List<List<String>> tiers, boolean edited) {
        this.tiers = copy(tiers);
        this.edited = edited;
    }

    /** The tiers now, in their order. */
    synchronized List<List<String>> tiers() {
        return tiers.stream().map(List::copyOf).toList();
    }

    /** Whether they were edited (or restored from a record), so that a record must keep them. */
    synchronized boolean edited() {
        return edited;
    }

    /** A magnet link's torrent got its metadata: its list replaces the link's, unless the list was edited. */
    synchronized void metadataArrived(List<List<String>> fromMetadata) {
        if (!edited) {
            tiers = copy(fromMetadata);
        }
    }

    /**
     * Adds {@code url} at the end of tier {@code tier}; a tier one past the last makes a new last tier.
     *
     * @return the tiers after the change
     * @throws IllegalArgumentException if the URL is not a tracker's (see {@link #check}), is one of the torrent's
     *                                  trackers already, the tier does not exist, or the torrent has {@value
     *                                  #MAX_TRACKERS} trackers already
     */
    synchronized List<List<String>> add(String url, int tier) {
        String checked = check(url);
        if (contains(checked)) {
            throw new IllegalArgumentException("already a tracker of the torrent: " + checked);
        }
        if (tier < 0 || tier > tiers.size()) {
            throw new IllegalArgumentException("no tier " + tier + ": the torrent has " + tiers.size()
                    + " (a new one is tier " + tiers.size() + ")");
        }
        if (count() >= MAX_TRACKERS) {
            throw new IllegalArgumentException("the torrent has " + MAX_TRACKERS + " trackers, the most it may");
        }
        if (tier == tiers.size()) {
            tiers.add(new ArrayList<>());
        }
        tiers.get(tier).add(checked);
        edited = true;
        return tiers();
    }

    /** Adds {@code url} in a tier of its own after the others; as {@link #add}. */
    synchronized List<List<String>> addTier(String url) {
        return add(url, tiers.size());
    }

    /**
     * Removes {@code url}; its tier goes if it is left empty.
     *
     * @return whether it was one of the torrent's trackers
     */
    synchronized boolean remove(String url) {
        for (List<String> tier : tiers) {
            if (tier.remove(url)) {
                tiers.removeIf(List::isEmpty);
                edited = true;
                return true;
            }
        }
        return false;
    }

    /**
     * Puts {@code url} in the place of {@code old}, in the same tier.
     *
     * @throws IllegalArgumentException if {@code old} is not one of the torrent's trackers, or {@code url} is not a
     *                                  tracker's or is one of the torrent's already
     */
    synchronized void replace(String old, String url) {
        String checked = check(url);
        if (contains(checked)) {
            throw new IllegalArgumentException("already a tracker of the torrent: " + checked);
        }
        for (List<String> tier : tiers) {
            int at = tier.indexOf(old);
            if (at >= 0) {
                tier.set(at, checked);
                edited = true;
                return;
            }
        }
        throw new IllegalArgumentException("not a tracker of the torrent: " + old);
    }

    /**
     * {@code url}, without white space around it, if it can be a tracker's announce URL: {@code http}, {@code https}
     * or {@code udp}, with a host, a port for UDP (BEP 15 has no default), no white space or control characters
     * inside, and at most {@value #MAX_URL_LENGTH} characters.
     *
     * @throws IllegalArgumentException saying why not, in one line
     */
    static String check(String url) {
        if (url == null) {
            throw new IllegalArgumentException("no tracker URL");
        }
        String trimmed = url.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("an empty tracker URL");
        }
        if (trimmed.length() > MAX_URL_LENGTH) {
            throw new IllegalArgumentException("a tracker URL of " + trimmed.length() + " characters, more than "
                    + MAX_URL_LENGTH);
        }
        if (trimmed.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("a tracker URL with white space or control characters: "
                    + printable(trimmed));
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + trimmed + " (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("udp")) {
            throw new IllegalArgumentException("not an http, https or udp tracker URL: " + trimmed);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("a tracker URL without a host: " + trimmed);
        }
        if (scheme.equals("udp") && uri.getPort() <= 0) {
            throw new IllegalArgumentException("a UDP tracker URL without a port: " + trimmed);
        }
        return trimmed;
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().limit(200).forEach(c -> out.append(c < ' ' || c == 0x7f ? '?' : (char) c));
        return out.toString();
    }

    private boolean contains(String url) {
        return tiers.stream().anyMatch(tier -> tier.contains(url));
    }

    private int count() {
        return tiers.stream().mapToInt(List::size).sum();
    }

    /** Mutable copies, empty tiers and repeated URLs dropped. */
    private static List<List<String>> copy(List<List<String>> tiers) {
        List<List<String>> copy = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (List<String> tier : tiers) {
            List<String> kept = new ArrayList<>();
            for (String url : tier) {
                if (seen.add(url)) {
                    kept.add(url);
                }
            }
            if (!kept.isEmpty()) {
                copy.add(kept);
            }
        }
        return copy;
    }
}
