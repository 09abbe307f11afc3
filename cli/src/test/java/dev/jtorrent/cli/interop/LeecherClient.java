package dev.jtorrent.cli.interop;

import java.util.Locale;
import java.util.function.Supplier;

/** The reference clients that download from a jtorrent seed, each with the loopback address it always gets. */
enum LeecherClient {
    LIBTORRENT("127.0.0.11", true, () -> new LibtorrentClient(ReferenceClient.Role.LEECH)),
    ARIA2("127.0.0.12", true, () -> new Aria2Client(ReferenceClient.Role.LEECH)),
    /**
     * Transmission 3.00 drops every peer a tracker lists on 127.0.0.0/8 (its {@code tr_address_is_martian}), so it
     * never dials the seed: the seed has to dial it, and learns of it only from an announce made after Transmission
     * announced.
     */
    TRANSMISSION("127.0.0.13", false, () -> new TransmissionClient(ReferenceClient.Role.LEECH)),
    QBITTORRENT("127.0.0.14", true, () -> new QbittorrentClient(ReferenceClient.Role.LEECH)),
    RTORRENT("127.0.0.15", true, () -> new RtorrentClient(ReferenceClient.Role.LEECH));

    private final String ip;
    private final boolean dialsLoopbackPeers;
    private final Supplier<ReferenceLeecher> factory;

    LeecherClient(String ip, boolean dialsLoopbackPeers, Supplier<ReferenceLeecher> factory) {
        this.ip = ip;
        this.dialsLoopbackPeers = dialsLoopbackPeers;
        this.factory = factory;
    }

    String ip() {
        return ip;
    }

    /**
     * Whether the client connects to loopback peers the tracker hands it; when not, the leecher has to be on the
     * tracker before the seed announces, so the seed's first announce lists it and the seed dials it.
     */
    boolean dialsLoopbackPeers() {
        return dialsLoopbackPeers;
    }

    ReferenceLeecher create() {
        return factory.get();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
