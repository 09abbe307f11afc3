package dev.jtorrent.daemon;

import dev.jtorrent.session.SessionConfig;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Daemon} starts with: its session's configuration, the directory that holds its state, and where its
 * HTTP front listens.
 *
 * @param session   the configuration of the daemon's session (listen port, download directory, limits...)
 * @param configDir the directory of the daemon's settings and of its torrents' state; made when absent
 * @param rpcBind   the address the HTTP front listens on (the RPC, the Web API, the web UI and the metrics)
 * @param rpcPort   the HTTP front's port, 0 for any free one
 * @param access    who may use the HTTP front
 * @param watchDir  the directory watched for {@code .torrent} and {@code .magnet} files to add, if any
 * @param webHome   the directory of another web client to serve at {@code /transmission/web/} (Transmission's
 *                  {@code TRANSMISSION_WEB_HOME}), if any
 */
public record DaemonConfig(SessionConfig session, Path configDir, InetAddress rpcBind, int rpcPort,
                           HttpAccess access, Optional<Path> watchDir, Optional<Path> webHome) {
    /** Transmission's RPC port, which the clients that drive a Transmission daemon try first. */
    public static final int DEFAULT_RPC_PORT = 9091;

    public DaemonConfig {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(configDir, "configDir");
        Objects.requireNonNull(rpcBind, "rpcBind");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(watchDir, "watchDir");
        Objects.requireNonNull(webHome, "webHome");
        if (rpcPort < 0 || rpcPort > 65_535) {
            throw new IllegalArgumentException("the RPC port must be 0 to 65535, not " + rpcPort);
        }
    }

    /** A daemon without a watch dir nor a web home. */
    public DaemonConfig(SessionConfig session, Path configDir, InetAddress rpcBind, int rpcPort, HttpAccess access) {
        this(session, configDir, rpcBind, rpcPort, access, Optional.empty(), Optional.empty());
    }

    public DaemonConfig withWatchDir(Path directory) {
        return new DaemonConfig(session, configDir, rpcBind, rpcPort, access, Optional.of(directory), webHome);
    }

    /** The directories requests may name ({@link AllowedPaths}): the download dir, the watch dir, the web home. */
    public AllowedPaths allowedPaths() {
        java.util.List<Path> roots = new java.util.ArrayList<>();
        roots.add(session.downloadDirectory());
        watchDir.ifPresent(roots::add);
        webHome.ifPresent(roots::add);
        return new AllowedPaths(roots);
    }

    /** Where the session keeps its resume data: in the config dir, beside the daemon's own state. */
    public static Path resumeDirectory(Path configDir) {
        return configDir.resolve("resume");
    }
}
