package dev.jtorrent.session;

import dev.jtorrent.lsd.LocalDiscovery;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.InvalidTorrentException;
import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.swarm.MetadataFetch;
import dev.jtorrent.swarm.SwarmState;
import dev.jtorrent.swarm.SwarmStats;
import dev.jtorrent.wire.PeerId;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A torrent added by magnet link or info hash, while it waits for its metadata: the {@link MetadataFetch} that gets
 * the info dictionary from peers, fed by the link's peers ({@code x.pe}, host names resolved in the background) and
 * by an {@link Announcer} for its trackers ({@code tr}), which announces the info hash alone, and by local service
 * discovery (BEP 14), where it is announced too, and by DHT lookups (BEP 5) every minute. Once the dictionary is
 * in, it becomes the torrent (with the link's trackers), saved beside the resume data so that the next run of the
 * session need not fetch it again, and its handle moves on to check and run it; subscribers hear {@link
 * SessionEvent.MetadataReceived}. A search is started once and stopped once; a paused torrent resumed gets a new one.
 */
final class MetadataSearch {
    private static final System.Logger LOG = System.getLogger(MetadataSearch.class.getName());
    /**
     * What a search tells trackers is left: not 0, which would make it a seed that trackers give no seeds to. The
     * size is unknown; one metadata piece stands for it.
     */
    private static final long LEFT_UNKNOWN = 16 * 1024;

    private final Session session;
    private final TorrentHandle handle;
    private final MetadataFetch fetch;
    private final Announcer announcer;
    /** The trackers the torrent gets: the link's, one tier each. */
    private final List<List<String>> trackerTiers;
    private final AtomicBoolean started = new AtomicBoolean();
    /** Its announce on the LAN (BEP 14) while it runs, if LSD is on. */
    private final AtomicReference<LocalDiscovery.Registration> local = new AtomicReference<>();
    /** Its lookups on the DHT while it runs, if the DHT is on. */
    private final AtomicReference<DhtAnnounces.Registration> onDht = new AtomicReference<>();
    private final AtomicBoolean stopped = new AtomicBoolean();

    /**
     * @param announcer    announces to {@code trackerTiers}, its peers going to {@code fetch}: see {@link
     *                     #announced}
     * @param trackerTiers the trackers of the link, one tier each
     */
    MetadataSearch(Session session, TorrentHandle handle, MetadataFetch fetch, Announcer announcer,
                   List<List<String>> trackerTiers) {
        this.session = session;
        this.handle = handle;
        this.fetch = fetch;
        this.announcer = announcer;
        this.trackerTiers = trackerTiers;
    }

    /** The torrent as its search's announcer sees it: nothing moved, an unknown size left, peers to the fetch. */
    static AnnouncedTorrent announced(TorrentHandle handle, MetadataFetch fetch, PeerId ourId) {
        return new AnnouncedTorrent() {
            @Override
            public String name() {
                return handle.name();
            }

            @Override
            public InfoHash infoHash() {
                return handle.infoHash();
            }

            @Override
            public PeerId ourId() {
                return ourId;
            }

            @Override
            public SwarmStats stats() {
                return new SwarmStats(0, 0, 0, 0, 0, fetch.peers(), fetch.knownPeers(), 0, 1, LEFT_UNKNOWN, false,
                        SwarmState.RUNNING);
            }

            @Override
            public void peersFound(List<InetSocketAddress> peers) {
                fetch.peersFound(peers);
            }
        };
    }

    /** Starts it: only starts threads, so it may be called holding the lifecycle's lock. */
    void start() {
        if (!started.compareAndSet(false, true) || stopped.get()) {
            return;
        }
        session.searchStarted(fetch);
        fetch.start();
        announcer.start();
        session.announceLocally(handle.infoHash()).ifPresent(local::set);
        session.searchOnDht(handle.infoHash(), fetch).ifPresent(onDht::set);
        if (stopped.get()) { // stopped meanwhile: its stop may have missed the registrations
            closeRegistrations();
        }
        List<MagnetLink.PeerAddress> peers = handle.magnet().map(MagnetLink::peers).orElse(List.of());
        if (!peers.isEmpty()) {
            Thread.ofVirtual().name("magnet-peers-" + handle.infoHash().hex()).start(() -> resolve(peers));
        }
        fetch.result().thenAccept(found -> Thread.ofVirtual().name("metadata-found-" + handle.infoHash().hex())
                .start(() -> found(found)));
    }

    /** The link's {@code x.pe} peers, host names resolved; one that does not resolve is logged and left out. */
    private void resolve(List<MagnetLink.PeerAddress> peers) {
        for (MagnetLink.PeerAddress peer : peers) {
            try {
                fetch.peersFound(List.of(new InetSocketAddress(InetAddress.getByName(peer.host()), peer.port())));
            } catch (UnknownHostException e) {
                LOG.log(System.Logger.Level.WARNING, handle.name() + ": the magnet link's peer " + peer
                        + " does not resolve: " + e.getMessage());
            }
        }
    }

    private void found(MetadataFetch.Found found) {
        Torrent torrent;
        try {
            torrent = Torrent.fromInfo(found.info(), trackerTiers,
                    handle.magnet().map(MagnetLink::webSeeds).orElse(List.of()));
        } catch (InvalidTorrentException e) {
            // Its SHA-1 is the info hash: every peer would give the same bytes, so there is nothing better to fetch.
            handle.lifecycle().searchFailed(this, "its metadata is not a valid torrent: " + e.getMessage());
            stop();
            return;
        }
        session.saveMetadata(torrent);
        // The trackers hear it stopped before the swarm announces it started: the other way round, a tracker would
        // drop the swarm's announce for the search's stop.
        stop();
        if (handle.lifecycle().metadataFound(this, torrent, found.peers())) {
            session.events().publish(new SessionEvent.MetadataReceived(handle));
        }
    }

    /**
     * Stops it: its connections are closed at once, and its trackers are told it stopped (2 s at most, waited for).
     * Idempotent; never call it holding the lifecycle's lock.
     */
    void stop() {
        if (stopped.compareAndSet(false, true)) {
            closeRegistrations();
            fetch.stop();
            session.searchStopped(fetch);
            announcer.stop();
        }
    }

    private void closeRegistrations() {
        LocalDiscovery.Registration registration = local.getAndSet(null);
        if (registration != null) {
            registration.close();
        }
        DhtAnnounces.Registration lookups = onDht.getAndSet(null);
        if (lookups != null) {
            lookups.close();
        }
    }

    /** The torrent's trackers were edited while it searches: see {@link Announcer#setTrackers}. */
    void setTrackers(List<List<String>> tiers) {
        announcer.setTrackers(tiers);
    }

    /** Asks the link's trackers for peers now, within their gap (see {@link Announcer#reannounce()}). */
    void reannounce() {
        announcer.reannounce();
    }

    /** Peers to get the metadata from, found some other way. */
    void peersFound(List<InetSocketAddress> peers) {
        fetch.peersFound(peers);
    }

    /** The link's trackers, each with its last result. */
    List<TrackerStatus> trackers() {
        return announcer.trackers();
    }

    /** Peers connected now. */
    int peers() {
        return fetch.peers();
    }

    /** Addresses known and not connected now. */
    int knownPeers() {
        return fetch.knownPeers();
    }
}
