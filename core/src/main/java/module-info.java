/**
 * jtorrent's library: a BitTorrent session to embed in a Java program, and the formats it reads and writes.
 *
 * <p>The API is {@link dev.jtorrent.session.Session} and the types of its package; {@code dev.jtorrent.metainfo}
 * reads, writes and makes {@code .torrent} files and magnet links, and {@code dev.jtorrent.bencode} is their
 * encoding. Every other package is internal: its types may change in any release, and a program on the module path
 * cannot reach them. The command-line client, {@code dev.jtorrent.cli}, is also given the embedded tracker, the
 * DHT node (for {@code jtorrent dht}), the SHA-1 implementation's description, and uTP (for its interop tests
 * against libtorrent, until the session dials over it).
 */
module dev.jtorrent {
    requires java.net.http;
    requires jdk.httpserver;
    requires jdk.unsupported;

    exports dev.jtorrent.session;
    exports dev.jtorrent.metainfo;
    exports dev.jtorrent.bencode;

    exports dev.jtorrent.tracker to dev.jtorrent.cli;
    exports dev.jtorrent.digest to dev.jtorrent.cli;
    exports dev.jtorrent.swarm to dev.jtorrent.cli;
    exports dev.jtorrent.dht to dev.jtorrent.cli;
    exports dev.jtorrent.utp to dev.jtorrent.cli;
}
