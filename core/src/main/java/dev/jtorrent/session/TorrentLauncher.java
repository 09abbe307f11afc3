package dev.jtorrent.session;

import dev.jtorrent.budget.SessionBudgets;
import dev.jtorrent.lsd.LocalDiscovery;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.peer.ConnectionTarget;
import dev.jtorrent.peer.Handshaker;
import dev.jtorrent.storage.Storage;
import dev.jtorrent.swarm.Connector;
import dev.jtorrent.swarm.DownloadOptions;
import dev.jtorrent.swarm.MetadataFetch;
import dev.jtorrent.swarm.PieceRecorder;
import dev.jtorrent.swarm.PieceSet;
import dev.jtorrent.swarm.Swarm;
import dev.jtorrent.swarm.SwarmConfig;
import dev.jtorrent.swarm.TorrentMetadata;
import dev.jtorrent.tracker.TrackerOpener;
import dev.jtorrent.tracker.TrackerTiers;
import dev.jtorrent.wire.PeerId;

import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;

/**
 * Makes the runtime of a torrent whose storage is open and whose pieces are known: its swarm, which shares the
 * session's peer id, disk pool, budgets and dialer, and its announcer, whose failures become session events. Neither
 * is started: the caller does that once it knows the torrent is still to run.
 */
final class TorrentLauncher {
    private final SessionConfig config;
    private final PeerId peerId;
    /** Where the session listens, one port at every address; the port announced, and addresses never to dial. */
    private final List<InetSocketAddress> listening;
    private final ExecutorService diskPool;
    /** Dials and handshakes the peers a swarm asks for. */
    private final Handshaker handshaker;
    private final SessionBudgets budgets;
    private final EventHub events;
    /** Where a runtime registers its torrent for Local Service Discovery, if the session runs it. */
    private final Optional<LocalDiscovery> localDiscovery;
    /** Where a runtime registers its torrent on the DHT, if the session runs one. */
    private final Optional<DhtAnnounces> dht;
    /** Opens the clients of the torrents' trackers: the UDP ones on the session's port, if it has one. */
    private final TrackerOpener trackers;
    /** The session's block list: a blocked peer is neither kept nor dialled. */
    private final PeerBlocking blocking;
    private final SplittableRandom random = new SplittableRandom();

    TorrentLauncher(SessionConfig config, PeerId peerId, List<InetSocketAddress> listening, ExecutorService diskPool,
                    Handshaker handshaker, SessionBudgets budgets, EventHub events,
                    Optional<LocalDiscovery> localDiscovery, Optional<DhtAnnounces> dht, TrackerOpener trackers,
                    PeerBlocking blocking) {
        this.config = config;
        this.peerId = peerId;
        this.listening = List.copyOf(listening);
        this.diskPool = diskPool;
        this.handshaker = handshaker;
        this.budgets = budgets;
        this.events = events;
        this.localDiscovery = localDiscovery;
        this.dht = dht;
        this.trackers = trackers;
        this.blocking = blocking;
    }

    /**
     * The swarm and announcer of a torrent whose data is in {@code storage}, not started yet.
     *
     * @param onComplete what to do once every wanted piece is ours
     * @param snapshot   what the torrent keeps when it stops, to start again from
     */
    TorrentRuntime launch(TorrentHandle handle, Torrent torrent, Storage storage, PieceSet verified,
                          PieceSet unchecked, PieceRecorder recorder, Runnable onComplete, DownloadOptions wanted,
                          TorrentRuntime.Snapshot snapshot) {
        int port = listening.getFirst().getPort();
        SwarmConfig swarmConfig = config.swarm().withListenPort(port).withUploadLimit(handle.settings().uploadLimit())
                .withDownloadLimit(handle.settings().downloadLimit())
                .withMetadata(TorrentMetadata.of(torrent.infoBuffer()));
        Swarm swarm = new Swarm(torrent.infoHash(), torrent.info(), peerId, swarmConfig, storage, verified,
                unchecked, diskPool, connector, onComplete, recorder, random.split(), wanted, budgets);
        ownAddresses().forEach(swarm::addOwnAddress);
        if (!torrent.info().isPrivate()) { // BEP 27: a private torrent's peers hear nothing of a DHT
            dht.ifPresent(announces -> swarm.useDht(announces.contact()));
        }
        Announcer announcer = new Announcer(new TrackerTiers(handle.trackerTiers(), trackers, random.split()),
                AnnouncedTorrent.of(swarm, (url, message) ->
                        events.publish(new SessionEvent.TrackerFailed(handle, url, message))),
                AnnouncePolicy.DEFAULT, port, random.nextInt(), config.bindAddresses());
        return new TorrentRuntime(swarm, announcer, storage, snapshot, wanted, localDiscovery, dht);
    }

    /**
     * The search for the metadata of {@code handle}'s torrent, which has none: a {@link MetadataFetch} that dials
     * through the session's handshaker, and an announcer for the magnet link's trackers, one tier each. Not started.
     */
    MetadataSearch search(Session session, TorrentHandle handle) {
        int port = listening.getFirst().getPort();
        MetadataFetch fetch = new MetadataFetch(handle.infoHash(), peerId, port, connector);
        ownAddresses().forEach(fetch::addOwnAddress);
        List<List<String>> tiers = handle.trackerTiers();
        Announcer announcer = new Announcer(new TrackerTiers(tiers, trackers, random.split()),
                MetadataSearch.announced(handle, fetch, peerId), AnnouncePolicy.DEFAULT, port, random.nextInt(),
                config.bindAddresses());
        return new MetadataSearch(session, handle, fetch, announcer, tiers);
    }

    /**
     * The addresses trackers may list us at, which the swarm never dials: the listen addresses, and when one is a
     * wildcard, every address of this machine's interfaces too, since a tracker lists us at whichever one our
     * announce came from. (A connection to ourselves at an address not here, behind a NAT, ends at the handshake,
     * which carries our own peer id.)
     */
    private List<InetSocketAddress> ownAddresses() {
        List<InetSocketAddress> own = new ArrayList<>(listening);
        if (listening.stream().anyMatch(address -> address.getAddress().isAnyLocalAddress())) {
            int port = listening.getFirst().getPort();
            try {
                NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                        .forEach(address -> own.add(new InetSocketAddress(address, port)));
            } catch (SocketException e) {
                // No interfaces to list: the handshake still ends a connection to ourselves.
            }
        }
        return own;
    }

    /**
     * Dials for the swarms: connecting and the handshake block for seconds, so never on a swarm's thread; and only
     * addresses of a family the session is bound to (see {@link Handshaker#canReach}) that the session's block list
     * does not block. A peer the list blocks is not even kept (a swarm asks {@code canReach} of every peer it is
     * given); one kept before the list blocked it fails its dial at once.
     */
    private final Connector connector = new Connector() {
        @Override
        public void connect(InetSocketAddress address, ConnectionTarget swarm) {
            if (blocking.blocks(address)) {
                swarm.connectFailed(address, "blocked by the IP filter");
                return;
            }
            Thread.ofVirtual().name("connect-" + address).start(() -> handshaker.connect(address, swarm));
        }

        @Override
        public boolean canReach(InetSocketAddress address) {
            return handshaker.canReach(address) && !blocking.blocks(address);
        }
    };
}
