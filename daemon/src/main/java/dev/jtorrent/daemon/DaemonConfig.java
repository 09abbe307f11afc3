package dev.jtorrent.daemon;

import dev.jtorrent.session.SessionConfig;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a {@link Daemon} starts with: its session's configuration, the directory that holds its state, and where its
 * HTTP front listens.
 *
 * @param session   the configuration of the daemon's session (listen port, download directory, limits...)
 * @param configDir the directory of the daemon's settings and of its torrents' state; made when absent
 * @param rpcBind   the address the HTTP front listens on (the RPC, the Web API, the web UI and the metrics)
 * @param rpcPort   the HTTP front's port, 0 for any free one
 * @param access    who may use the HTTP front
 */
public record DaemonConfig(SessionConfig session, Path configDir, InetAddress rpcBind, int rpcPort,
                           HttpAccess access) {
    /** Transmission's RPC port, which the clients that drive a Transmission daemon try first. */
    public static final int DEFAULT_RPC_PORT = 9091;

    public DaemonConfig {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(configDir, "configDir");
        Objects.requireNonNull(rpcBind, "rpcBind");
        Objects.requireNonNull(access, "access");
        if (rpcPort < 0 || rpcPort > 65_535) {
            throw new IllegalArgumentException("the RPC port must be 0 to 65535, not " + rpcPort);
        }
    }
}
