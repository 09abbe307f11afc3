package dev.jtorrent.cli.interop;

import java.util.Locale;
import java.util.function.Supplier;

/** The reference clients the swarm tests seed from, each with the loopback address it always gets. */
enum SeederClient {
    LIBTORRENT("127.0.0.2", () -> new LibtorrentClient(ReferenceClient.Role.SEED)),
    ARIA2("127.0.0.3", () -> new Aria2Client(ReferenceClient.Role.SEED)),
    TRANSMISSION("127.0.0.4", () -> new TransmissionClient(ReferenceClient.Role.SEED)),
    QBITTORRENT("127.0.0.5", () -> new QbittorrentClient(ReferenceClient.Role.SEED)),
    RTORRENT("127.0.0.6", () -> new RtorrentClient(ReferenceClient.Role.SEED));

    private final String ip;
    private final Supplier<Seeder> factory;

    SeederClient(String ip, Supplier<Seeder> factory) {
        this.ip = ip;
        this.factory = factory;
    }

    String ip() {
        return ip;
    }

    /** A seeder that keeps its configuration, state and logs beside the data it seeds. */
    Seeder create() {
        return factory.get();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
