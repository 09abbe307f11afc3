package dev.jtorrent.daemon;

import dev.jtorrent.session.SessionConfig;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * @param webHome   the directory of a web client to serve at {@code /transmission/web/} (Transmission's
 *                  {@code TRANSMISSION_WEB_HOME}); empty for none
 * @param dataDirs  the directories, with all below them, that requests may download into, move data to or read
 *                  .torrent files from; nothing outside them is touched at a client's request
 * @param watchDir  the directory watched for {@code .torrent} and {@code .magnet} files to add, if any
 */
public record DaemonConfig(SessionConfig session, Path configDir, InetAddress rpcBind, int rpcPort,
                           HttpAccess access, Optional<Path> webHome, List<Path> dataDirs, Optional<Path> watchDir) {
    /** Transmission's RPC port, which the clients that drive a Transmission daemon try first. */
    public static final int DEFAULT_RPC_PORT = 9091;

    public DaemonConfig {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(configDir, "configDir");
        Objects.requireNonNull(rpcBind, "rpcBind");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(webHome, "webHome");
        dataDirs = List.copyOf(dataDirs);
        Objects.requireNonNull(watchDir, "watchDir");
        if (rpcPort < 0 || rpcPort > 65_535) {
            throw new IllegalArgumentException("the RPC port must be 0 to 65535, not " + rpcPort);
        }
    }

    /** A daemon without a watch dir. */
    public DaemonConfig(SessionConfig session, Path configDir, InetAddress rpcBind, int rpcPort, HttpAccess access,
                        Optional<Path> webHome, List<Path> dataDirs) {
        this(session, configDir, rpcBind, rpcPort, access, webHome, dataDirs, Optional.empty());
    }

    /** A daemon with no web client, whose clients may use its session's download directory and all below it. */
    public DaemonConfig(SessionConfig session, Path configDir, InetAddress rpcBind, int rpcPort, HttpAccess access) {
        this(session, configDir, rpcBind, rpcPort, access, Optional.empty(), List.of(session.downloadDirectory()));
    }

    /** This config with a watch dir. */
    public DaemonConfig withWatchDir(Path directory) {
        return new DaemonConfig(session, configDir, rpcBind, rpcPort, access, webHome, dataDirs,
                Optional.of(directory));
    }

    /** The directories requests may name ({@link AllowedPaths}): the data dirs, the watch dir, the web home. */
    public AllowedPaths allowedPaths() {
        List<Path> roots = new ArrayList<>(dataDirs);
        watchDir.ifPresent(roots::add);
        webHome.ifPresent(roots::add);
        return new AllowedPaths(roots);
    }

    /** Where the session keeps its resume data: in the config dir, beside the daemon's own state. */
    public static Path resumeDirectory(Path configDir) {
        return configDir.resolve("resume");
    }
}
