package dev.jtorrent.cli.interop;

import java.nio.file.Path;

/**
 * A BitTorrent client seeding complete data on its own loopback address, for a leecher to download from: a reference
 * client ({@link ReferenceClient}, which holds each one's recipe) or jtorrent itself ({@link JtorrentSeeder}).
 *
 * <p>Every implementation binds both its listening socket and its outgoing connections (tracker announces included)
 * to that address, so the tracker hands leechers the right peer; and turns off everything that finds peers other than
 * the tracker (DHT, local peer discovery, peer exchange) or reaches outside the machine (UPnP, NAT-PMP), and uTP where
 * the client allows it, since jtorrent speaks TCP only for now.
 */
interface Seeder extends AutoCloseable {

    /** The client's name for test reports and failure messages. */
    String name();

    /**
     * Starts the client on {@code ip:port} seeding {@code torrent}, whose content (the torrent's name) is a file or
     * directory in {@code dataParent}. Returns once the client has the torrent, and where the client can tell, once it
     * holds all of it; that it announced itself as a seed is for the tracker to tell ({@link Opentracker#awaitSeeds}).
     * A missing client fails the test under {@code CI=true} and aborts it otherwise ({@link ExternalTool}).
     */
    void start(Path torrent, Path dataParent, String ip, int port);

    /**
     * This seeder with its upload limited to {@code bytesPerSecond}, loopback included, so a test can watch a download
     * in progress; to be called before {@link #start}. Only some clients implement it.
     */
    default Seeder withUploadLimit(long bytesPerSecond) {
        throw new UnsupportedOperationException(name() + " seeder takes no upload limit in this harness");
    }

    /** The client's state and last log lines, for a failure message. */
    String describe();

    /** Kills the client and everything it started; safe to call when it never started. */
    @Override
    void close();
}
