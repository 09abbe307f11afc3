package dev.jtorrent.cli;

import dev.jtorrent.daemon.Daemon;
import dev.jtorrent.daemon.DaemonConfig;
import dev.jtorrent.daemon.DaemonSettings;
import dev.jtorrent.daemon.DaemonSetup;
import dev.jtorrent.daemon.HttpAccess;
import dev.jtorrent.daemon.SettingsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code jtorrent daemon}: runs jtorrent as a daemon, its torrents kept in its config directory and driven over
 * HTTP (the Transmission RPC, the qBittorrent Web API, a web UI), until SIGTERM.
 *
 * <p>Settings come from {@code settings.json} in the config directory; the options given override them and are
 * written back, as transmission-daemon does, so the next start needs none of them. Without {@code --foreground} it
 * goes into the background as transmission-daemon does, which a Transmission user expects of a command named
 * "daemon": a JVM cannot fork, so it starts itself again with {@code --foreground} in a new session
 * ({@code setsid}), detached from the terminal, its log appended to {@code daemon.log} in the config directory,
 * waits until that process has started (or failed, then its last log lines are printed and the exit code is 1),
 * prints its pid and exits 0. Under systemd, use {@code --foreground} ({@code dist/jtorrent.service}).
 *
 * <p>SIGTERM stops it cleanly within {@link #STOP_TIMEOUT}: the HTTP front first, then the watch dir, then every
 * torrent's state is saved, then the session tells the trackers {@code stopped} and saves the resume data; it exits
 * 0. Ctrl-C stops it as cleanly and exits 130. A second SIGTERM or SIGINT during that stop exits at once.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run jtorrent as a daemon, driven over HTTP (Transmission RPC, qBittorrent Web API, web UI).",
        footer = {"", "Settings are read from CONFIG_DIR/settings.json; the options given override them and are"
                + " written back. The peer port defaults to 51413 there (Transmission's), not to --port's 6881.",
                "Authentication is on: the first start makes a password, prints it once and stores only its hash;"
                        + " set your own with --rpc-password-file.",
                "SIGTERM stops it cleanly (exit code 0); a second SIGTERM or Ctrl-C exits at once.", "",
                "Examples:", "  jtorrent daemon --foreground --download-dir ~/Downloads",
                "  jtorrent daemon --rpc-bind 0.0.0.0 --rpc-whitelist 127.0.0.1,192.168.1.*"
                        + " --rpc-host-whitelist nas.local"})
final class DaemonCommand implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger("dev.jtorrent.daemon");
    /** How long a stop may take: the HTTP front, the state, the trackers told, the resume data saved. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** How long the command waits for the daemon it started in the background to be up. */
    static final Duration DETACH_TIMEOUT = Duration.ofSeconds(60);
    /** A password file larger than this is not a password file. */
    static final int MAX_PASSWORD_FILE = 1024;
    static final String PID_FILE = "daemon.pid";
    static final String LOG_FILE = "daemon.log";

    @Spec
    CommandSpec spec;

    @Option(names = "--config-dir", paramLabel = "DIR",
            description = "Where the settings and the torrents' state are kept (default: $XDG_CONFIG_HOME/jtorrent,"
                    + " or ~/.config/jtorrent).")
    Path configDir;

    @Option(names = "--download-dir", paramLabel = "DIR",
            description = "Where torrents are downloaded unless added with a directory of their own (default:"
                    + " ~/Downloads).")
    Path downloadDir;

    @Mixin
    NetworkOptions network;

    @Option(names = "--rpc-bind", paramLabel = "ADDR",
            description = "The address the HTTP front (RPC, Web API, web UI) listens on (default: 127.0.0.1).")
    String rpcBind;

    @Option(names = "--rpc-port", paramLabel = "N",
            description = "The HTTP front's port (default: 9091, Transmission's).")
    Integer rpcPort;

    @Option(names = "--rpc-username", paramLabel = "NAME", description = "The account's user name (default: admin).")
    String rpcUsername;

    @Option(names = "--rpc-password-file", paramLabel = "FILE",
            description = "Set the account's password to the first line of FILE (only its hash is stored).")
    Path rpcPasswordFile;

    @Option(names = "--rpc-whitelist", paramLabel = "ADDR,...",
            description = "Client addresses allowed: 127.0.0.1,::1,192.168.*.* or CIDR blocks such as 10.0.0.0/8"
                    + " (default: 127.0.0.1,::1).")
    String rpcWhitelist;

    @Option(names = "--rpc-host-whitelist", paramLabel = "NAME,...",
            description = "Names allowed in requests' Host header besides IP addresses and localhost, against DNS"
                    + " rebinding; *.example.com for any name under it.")
    String rpcHostWhitelist;

    @Option(names = "--no-rpc-auth", description = "Turn authentication off (warned about at every start).")
    boolean noRpcAuth;

    @Option(names = "--watch-dir", paramLabel = "DIR",
            description = "Add the .torrent and .magnet files dropped in DIR; each is renamed .added (or .invalid).")
    Path watchDir;

    @Option(names = "--web-home", paramLabel = "DIR",
            description = "Serve another web client from DIR at /transmission/web/ (default: $TRANSMISSION_WEB_HOME).")
    Path webHome;

    @Option(names = "--foreground", description = "Stay in the foreground, logging to stderr (for systemd).")
    boolean foreground;

    @Override
    public Integer call() throws Exception {
        ParseResult parsed = spec.commandLine().getParseResult();
        boolean verbose = parsed.hasMatchedOption("--verbose")
                || spec.commandLine().getParent() != null
                && spec.commandLine().getParent().getParseResult().hasMatchedOption("--verbose");
        Path config = configDir != null ? configDir.toAbsolutePath() : defaultConfigDir(System.getenv());
        Optional<String> password = rpcPasswordFile == null ? Optional.empty() : Optional.of(password(rpcPasswordFile));
        network.sessionConfig(); // every usage error of the shared options before anything is read or written
        checkOwnOptions();
        // A settings file that cannot be read or holds a bad value fails with its SettingsException: exit code 1,
        // its one line naming the file and the line and column, or the key.
        DaemonSettings settings = DaemonSettings.read(config.resolve(DaemonSetup.SETTINGS_FILE));
        overlay(settings, parsed);
        Files.createDirectories(config);
        DaemonSetup.Prepared prepared = DaemonSetup.prepare(settings, config, defaultDownloadDir(), password,
                new SecureRandom());
        if (!foreground) {
            return Detached.start(spec.commandLine().getOut(), config, prepared, userOf(settings));
        }
        DaemonLog.configure(verbose);
        prepared.warnings().forEach(line -> LOG.log(System.Logger.Level.WARNING, line));
        prepared.generatedPassword().ifPresent(generated -> LOG.log(System.Logger.Level.WARNING,
                "made a password for the RPC and the web UI, shown this once (only its hash is kept in "
                        + settings.file() + "): user " + userOf(settings) + ", password " + generated));
        return run(prepared.config());
    }

    private static String userOf(DaemonSettings settings) {
        try {
            return settings.text(DaemonSettings.RPC_USERNAME, DaemonSettings.DEFAULT_USERNAME);
        } catch (SettingsException e) {
            return DaemonSettings.DEFAULT_USERNAME;
        }
    }

    /** Runs the daemon until a stop is asked for, then stops it within {@link #STOP_TIMEOUT}. */
    private int run(DaemonConfig config) throws Exception {
        try (StopSignal stop = StopSignal.install()) {
            Daemon daemon = Daemon.start(config);
            Path pidFile = config.configDir().resolve(PID_FILE);
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                // Ctrl-C or SIGHUP: the JVM exits once the hooks return, so wait here for the stop.
                stop.request();
                try {
                    stopped.await(STOP_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stop-on-exit");
            Runtime.getRuntime().addShutdownHook(hook);
            // A client may close the daemon too (the Transmission RPC's session-close): the process then ends.
            daemon.closed().thenRun(stop::request);
            try {
                Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
                LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT,
                        "jtorrent daemon running: RPC and web UI on http://%s:%d/, peers on port %d, %d torrent(s),"
                                + " config in %s", hostInUrl(config), daemon.rpcPort(), daemon.session().port(),
                        daemon.torrents().size(), config.configDir()));
                stop.await();
                StopSignal.haltOnNextSignal();
                LOG.log(System.Logger.Level.INFO, "stopping: telling the trackers, saving the state and resume data");
                Thread closing = Thread.ofPlatform().name("daemon-stop").start(daemon::close);
                if (!closing.join(STOP_TIMEOUT)) {
                    LOG.log(System.Logger.Level.ERROR, "the stop took more than " + STOP_TIMEOUT.toSeconds()
                            + " s; exiting without waiting for the rest");
                    return ExitCode.FAILURE;
                }
                LOG.log(System.Logger.Level.INFO, "stopped");
                return ExitCode.OK;
            } finally {
                Files.deleteIfExists(pidFile);
                stopped.countDown();
            }
        }
    }

    private static String hostInUrl(DaemonConfig config) {
        String host = config.rpcBind().getHostAddress();
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    private void checkOwnOptions() {
        if (rpcPort != null && (rpcPort < 0 || rpcPort > 65_535)) {
            throw new UsageException("--rpc-port must be from 0 to 65535, not " + rpcPort);
        }
        if (rpcBind != null) {
            BindAddresses.parse(rpcBind);
        }
        if (rpcUsername != null && (rpcUsername.isEmpty() || rpcUsername.indexOf(':') >= 0)) {
            throw new UsageException("--rpc-username must be a name without ':', not '" + rpcUsername + "'");
        }
        try {
            HttpAccess.of(rpcWhitelist == null ? DaemonSettings.DEFAULT_WHITELIST : rpcWhitelist, "",
                    Optional.empty());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--rpc-whitelist: " + e.getMessage());
        }
        try {
            HttpAccess.of(DaemonSettings.DEFAULT_WHITELIST, rpcHostWhitelist == null ? "" : rpcHostWhitelist,
                    Optional.empty());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--rpc-host-whitelist: " + e.getMessage());
        }
    }

    /** Puts the options given over the settings read; those not given leave the settings as they are. */
    private void overlay(DaemonSettings settings, ParseResult parsed) {
        if (downloadDir != null) {
            settings.put(DaemonSettings.DOWNLOAD_DIR, downloadDir.toAbsolutePath().toString());
        }
        if (parsed.hasMatchedOption("--port")) {
            settings.put(DaemonSettings.PEER_PORT, network.port);
        }
        if (parsed.hasMatchedOption("--bind")) {
            settings.put(DaemonSettings.BIND_ADDRESSES, network.bind);
        }
        if (parsed.hasMatchedOption("--max-peers")) {
            settings.put(DaemonSettings.PEER_LIMIT_PER_TORRENT, network.maxPeers);
        }
        if (parsed.hasMatchedOption("--upload-slots")) {
            settings.put(DaemonSettings.UPLOAD_SLOTS_PER_TORRENT, network.uploadSlots);
        }
        if (network.uploadLimit != null) {
            settings.put(DaemonSettings.UPLOAD_LIMIT, DataSize.parseRate("--upload-limit", network.uploadLimit));
        }
        if (network.noPex) {
            settings.put(DaemonSettings.PEX_ENABLED, false);
        }
        if (network.noLsd) {
            settings.put(DaemonSettings.LSD_ENABLED, false);
        }
        if (network.noDht) {
            settings.put(DaemonSettings.DHT_ENABLED, false);
        }
        if (!network.dhtBootstrap.isEmpty()) {
            settings.put(DaemonSettings.DHT_BOOTSTRAP, network.dhtBootstrap);
        }
        if (parsed.hasMatchedOption("--encryption")) {
            settings.put(DaemonSettings.ENCRYPTION, network.encryption.toLowerCase(Locale.ROOT));
        }
        if (parsed.hasMatchedOption("--transports")) {
            settings.put(DaemonSettings.TRANSPORTS, network.transports.toLowerCase(Locale.ROOT));
        }
        if (rpcBind != null) {
            settings.put(DaemonSettings.RPC_BIND_ADDRESS, rpcBind);
        }
        if (rpcPort != null) {
            settings.put(DaemonSettings.RPC_PORT, rpcPort);
        }
        if (rpcUsername != null) {
            settings.put(DaemonSettings.RPC_USERNAME, rpcUsername);
        }
        if (rpcWhitelist != null) {
            settings.put(DaemonSettings.RPC_WHITELIST, rpcWhitelist);
        }
        if (rpcHostWhitelist != null) {
            settings.put(DaemonSettings.RPC_HOST_WHITELIST, rpcHostWhitelist);
        }
        if (noRpcAuth) {
            settings.put(DaemonSettings.RPC_AUTHENTICATION_REQUIRED, false);
        }
        if (watchDir != null) {
            settings.put(DaemonSettings.WATCH_DIR, watchDir.toAbsolutePath().toString());
        }
        String webHomeFromEnvironment = System.getenv("TRANSMISSION_WEB_HOME");
        if (webHome != null) {
            settings.put(DaemonSettings.WEB_HOME, webHome.toAbsolutePath().toString());
        } else if (webHomeFromEnvironment != null && !webHomeFromEnvironment.isBlank()) {
            settings.put(DaemonSettings.WEB_HOME, Path.of(webHomeFromEnvironment).toAbsolutePath().toString());
        }
    }

    /** The first line of a password file. */
    static String password(Path file) throws IOException {
        if (Files.size(file) > MAX_PASSWORD_FILE) {
            throw new UsageException("--rpc-password-file: " + file + " is larger than " + MAX_PASSWORD_FILE
                    + " bytes; it should hold the password alone");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String line = (newline < 0 ? text : text.substring(0, newline)).replace("\r", "");
        if (line.isEmpty()) {
            throw new UsageException("--rpc-password-file: " + file + " holds no password on its first line");
        }
        return line;
    }

    /** The XDG Base Directory rule for configuration; a relative XDG_CONFIG_HOME is ignored, as it says. */
    static Path defaultConfigDir(Map<String, String> environment) {
        String config = environment.get("XDG_CONFIG_HOME");
        Path base = config != null && !config.isEmpty() && Path.of(config).isAbsolute()
                ? Path.of(config)
                : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("jtorrent");
    }

    private static Path defaultDownloadDir() {
        return Path.of(System.getProperty("user.home"), "Downloads");
    }

    /** The command line of this process, for {@link Detached} to start again. */
    static List<String> ownCommand(List<String> extra) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> command = new ArrayList<>();
        command.add(info.command().orElseThrow(() -> new IllegalStateException(
                "cannot tell how this JVM was started; run the daemon with --foreground")));
        command.addAll(List.of(info.arguments().orElse(new String[0])));
        command.addAll(extra);
        return command;
    }

    /** Prints a line to the command's standard output. */
    static void print(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
