/**
 * jtorrent as a daemon: a session whose torrents are kept in a config directory across restarts, driven over HTTP
 * through the Transmission RPC, the qBittorrent Web API and a web UI of its own, with metrics. It reaches the
 * session through the library's public API alone, as any embedder would.
 */
module dev.jtorrent.daemon {
    requires transitive dev.jtorrent;
    requires org.eclipse.jetty.server;
    requires tools.jackson.databind;
    requires java.net.http;

    exports dev.jtorrent.daemon;
}
