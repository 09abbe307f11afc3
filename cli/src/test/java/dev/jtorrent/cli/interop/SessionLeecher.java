package dev.jtorrent.cli.interop;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.PeerStatus;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import dev.jtorrent.session.TorrentHandle;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A jtorrent session, in the test's JVM, on one loopback address and with no discovery, downloading one torrent
 * from the one peer it is told of, at {@link #LIMIT}: slowly enough that the connection can be looked at (its
 * transport, its encryption) while it lasts, as the CLI does not show it.
 */
final class SessionLeecher implements AutoCloseable {
    /** 2 MiB/s: 8 MiB take 4 s. */
    static final long LIMIT = 2 * 1024 * 1024;

    private final Session session;
    private final TorrentHandle handle;
    private final Path downloads;

    private SessionLeecher(Session session, TorrentHandle handle, Path downloads) {
        this.session = session;
        this.handle = handle;
        this.downloads = downloads;
    }

    /**
     * Starts a session as {@code config} says, bound to {@code ip}, adds {@code torrentFile} to download into
     * {@code downloads}, waits for its check and tells it of {@code peer}.
     */
    static SessionLeecher start(SessionConfig.Builder config, String ip, Path torrentFile, Path downloads,
                                InetSocketAddress peer) throws Exception {
        Session session = Session.start(config.bindAddress(Loopback.address(ip)).port(0).dht(false).lsd(false)
                .build());
        try {
            Files.createDirectories(downloads);
            TorrentHandle handle = session.add(Torrent.load(torrentFile), AddOptions.builder()
                    .downloadDirectory(downloads).downloadLimit(LIMIT).build());
            handle.checked().get(30, TimeUnit.SECONDS);
            handle.addPeer(peer);
            return new SessionLeecher(session, handle, downloads);
        } catch (Exception | Error e) {
            session.close();
            throw e;
        }
    }

    /** Its connection to the peer at {@code ip}, once made; {@code describe} says what the peer did meanwhile. */
    PeerStatus awaitPeer(String ip, Duration timeout, Supplier<String> describe) {
        return Await.until("jtorrent to connect to " + ip, timeout,
                () -> handle.peers().stream().filter(p -> p.address().getAddress().getHostAddress().equals(ip))
                        .findFirst(), () -> describe.get() + "\njtorrent: " + handle.status());
    }

    /** Waits for the download to complete. */
    void awaitComplete(Duration timeout) throws Exception {
        handle.completion().get(timeout.toSeconds(), TimeUnit.SECONDS);
    }

    /** Where it downloads to. */
    Path downloads() {
        return downloads;
    }

    @Override
    public void close() {
        session.close();
    }
}
