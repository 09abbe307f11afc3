package dev.jtorrent.session;

import dev.jtorrent.lsd.LocalDiscovery;
import dev.jtorrent.storage.Storage;
import dev.jtorrent.swarm.DownloadOptions;
import dev.jtorrent.swarm.PieceSet;
import dev.jtorrent.swarm.Swarm;
import dev.jtorrent.swarm.SwarmStats;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A torrent while it runs: its swarm, its announcer, its place in Local Service Discovery and its open storage (files, or an embedder's {@link
 * PieceStore}). Made by {@link TorrentLauncher#launch}, ended by {@link #stop()}; a paused torrent has none, and resuming
 * makes a new one.
 */
final class TorrentRuntime {
    private static final System.Logger LOG = System.getLogger(TorrentRuntime.class.getName());
    private final Swarm swarm;
    private final Announcer announcer;
    private final Storage storage;
    private final Snapshot snapshot;
    /** Which files it was started to download, and in what order. */
    private final DownloadOptions options;
    /** Set by the first call of {@link #stop()}; the others wait for {@link #stopped}. */
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** What the first stop kept, once it has stopped everything. */
    private final CompletableFuture<ResumeData> stopped = new CompletableFuture<>();
    private final Optional<LocalDiscovery> localDiscovery;
    /** The torrent's registration with {@link #localDiscovery} while it runs; null before and after. */
    private final AtomicReference<LocalDiscovery.Registration> local = new AtomicReference<>();
    private final Optional<DhtAnnounces> dht;
    /** The torrent's registration with {@link #dht} while it runs; null before and after. */
    private final AtomicReference<DhtAnnounces.Registration> onDht = new AtomicReference<>();

    /** What a stopped torrent keeps in memory to start again from, as resume data would say it. */
    interface Snapshot {
        /** Kept nowhere: every piece is checked again at the next start (an embedder's store). */
        Snapshot NONE = verified -> null;

        /** @return what to start from with {@code verified}; null to check everything again */
        ResumeData of(PieceSet verified) throws IOException;
    }

    TorrentRuntime(Swarm swarm, Announcer announcer, Storage storage, Snapshot snapshot, DownloadOptions options,
                   Optional<LocalDiscovery> localDiscovery, Optional<DhtAnnounces> dht) {
        this.swarm = swarm;
        this.announcer = announcer;
        this.storage = storage;
        this.snapshot = snapshot;
        this.options = options;
        this.localDiscovery = localDiscovery;
        this.dht = dht;
    }

    /**
     * Announces the torrent on the LAN, and takes the peers found there, until it stops; a private torrent (BEP 27)
     * is left out by {@link LocalDiscovery#register}.
     */
    void announceLocally() {
        localDiscovery.flatMap(discovery -> discovery.register(swarm.infoHash(), swarm.info().isPrivate()))
                .ifPresent(local::set);
    }

    /**
     * Announces the torrent on the DHT, now and every 15 minutes, and gives its swarm the peers found there, until
     * it stops; never a private torrent (BEP 27).
     */
    void announceOnDht() {
        if (!swarm.info().isPrivate()) {
            dht.map(announces -> announces.announce(swarm.infoHash(), peer -> swarm.peersFound(List.of(peer))))
                    .ifPresent(onDht::set);
        }
    }

    /**
     * Announces to every tracker now, and on the DHT if the torrent is on it, each within its gap (see {@link
     * Announcer#reannounce()}, {@link DhtAnnounces.Registration#announceNow()}).
     */
    void reannounce() {
        announcer.reannounce();
        DhtAnnounces.Registration announced = onDht.get();
        if (announced != null) {
            announced.announceNow();
        }
    }

    DownloadOptions options() {
        return options;
    }

    Swarm swarm() {
        return swarm;
    }

    Announcer announcer() {
        return announcer;
    }

    Storage storage() {
        return storage;
    }

    SwarmStats stats() {
        return swarm.stats();
    }

    /**
     * Stops announcing on the LAN, closes every connection, tells the trackers {@code stopped} (2 s at most),
     * forces written data to disk and closes the files. Idempotent: a second call, from any thread, waits for the
     * first to be done and returns what it kept.
     *
     * @return what the torrent had on disk as it stopped, for starting it again (as from resume data); null if
     *         the swarm did not stop in time (a disk that hangs), or its storage is an embedder's store, so that
     *         everything is checked again
     */
    ResumeData stop() {
        if (!stopping.compareAndSet(false, true)) {
            // Another caller stops it (a pause racing a remove or a close): wait for it, and start from what it kept.
            return stopped.join();
        }
        ResumeData kept = null;
        try {
            LocalDiscovery.Registration registration = local.getAndSet(null);
            if (registration != null) {
                registration.close(); // first: no more peers for a swarm that stops
            }
            DhtAnnounces.Registration announced = onDht.getAndSet(null);
            if (announced != null) {
                announced.close();
            }
            swarm.stop();
            announcer.stop();
            kept = snapshot.of(swarm.verifiedPieces());
        } catch (IllegalStateException | IOException e) {
            // Unknown: checked again.
        } finally {
            closeStorage();
            stopped.complete(kept);
        }
        return kept;
    }

    /**
     * For a runtime never started (a recheck that leaves its torrent paused): closes its storage, and returns what
     * the torrent keeps to start again from {@code verified}, as {@link #stop()} does.
     */
    ResumeData closeUnstarted(PieceSet verified) throws IOException {
        try {
            return snapshot.of(verified);
        } finally {
            closeStorage();
        }
    }

    private void closeStorage() {
        try {
            storage.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, swarm.info().name() + ": cannot close its storage: " + e, e);
        }
    }
}
