/**
 * jtorrent as a daemon: a session whose torrents are kept in a config directory across restarts, driven over HTTP
 * through the Transmission RPC, the qBittorrent Web API and a web UI of its own, with metrics. It reaches the
 * session through the library's public API alone, as any embedder would.
 */
// The Prometheus client's jars are automatic modules (each names itself in its manifest): warned about, and fine.
@SuppressWarnings("requires-automatic")
module dev.jtorrent.daemon {
    requires transitive dev.jtorrent;
    requires org.eclipse.jetty.server;
    requires tools.jackson.databind;
    requires java.net.http;
    requires io.prometheus.metrics.model;
    requires io.prometheus.metrics.config;
    requires io.prometheus.writer.text;
    requires io.prometheus.metrics.instrumentation.jvm;

    exports dev.jtorrent.daemon;
}
