package dev.jtorrent.cli;

import dev.jtorrent.tracker.TrackerServer;
import dev.jtorrent.tracker.TrackerServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jtorrent tracker}: an open HTTP and UDP tracker for a LAN, a test or a demo, until Ctrl-C or SIGTERM.
 * SIGTERM is its normal stop, after which it exits 0 ({@link StopSignal}); Ctrl-C exits 130, as for every command.
 */
@Command(name = "tracker", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run an open BitTorrent tracker (HTTP and UDP on one port) until stopped (Ctrl-C or SIGTERM).",
        footer = {"", "SIGTERM stops it with the exit code 0, Ctrl-C with 130.", "",
                "Examples:", "  jtorrent tracker", "  jtorrent tracker --port 8000 --bind 192.168.1.10",
                "  jtorrent tracker --bind 127.0.0.1 --bind ::1 --interval 30s"})
final class TrackerCommand implements Callable<Integer> {
    private static final Pattern SHORT_DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "6969",
            description = "Port for both HTTP and UDP (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR",
            description = "Address to listen on, IPv4 or IPv6 (::1 or [::1]); repeatable, all on one --port."
                    + " Default: every address of both families (IPv6 peers are listed in peers6).")
    List<String> bind = new ArrayList<>();

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "30m",
            description = "Announce interval told to clients, e.g. 30m, 90s, 1h (default: ${DEFAULT-VALUE}).")
    String interval;

    @Override
    public Integer call() throws IOException {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port must be in 0..65535, not " + port);
        }
        Duration every = parseInterval(interval);
        List<InetAddress> addresses = bind.isEmpty() ? Collections.singletonList(null) : BindAddresses.parse(bind);
        PrintWriter out = spec.commandLine().getOut();
        try (StopSignal stop = StopSignal.install()) {
            TrackerServer server;
            try {
                server = TrackerServer.start(addresses, port, TrackerServerConfig.DEFAULTS.withInterval(every));
            } catch (java.net.BindException e) {
                throw new IOException("cannot listen on " + String.join(", ", bind) + " port " + port + ": "
                        + e.getMessage(), e);
            }
            Thread hook = new Thread(server::close, "tracker-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("Tracker listening on " + server.httpAnnounceUrl() + " and " + server.udpAnnounceUrl());
            for (InetSocketAddress other : server.addresses().subList(1, server.addresses().size())) {
                out.println("  and on " + TrackerServer.hostPort(other));
            }
            out.flush();
            try {
                stop.await(); // SIGTERM; Ctrl-C and SIGHUP leave it to the hook, and the JVM exits 128 + signal
                server.close();
                return ExitCode.OK;
            } catch (InterruptedException e) {
                // Embedded use (and tests) stop the command by interrupting it rather than by a signal.
                Runtime.getRuntime().removeShutdownHook(hook);
                server.close();
                return ExitCode.INTERRUPTED;
            }
        }
    }

    /** Accepts 90s, 30m, 1h, 1h30m, a plain number of seconds, or ISO-8601 (PT30M); at least one second. */
    static Duration parseInterval(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        Duration d = null;
        try {
            if (s.matches("\\d{1,9}")) {
                d = Duration.ofSeconds(Long.parseLong(s));
            } else if (s.startsWith("pt")) {
                d = Duration.parse(s);
            } else {
                Matcher m = SHORT_DURATION.matcher(s);
                if (!s.isEmpty() && m.matches()) {
                    d = Duration.ofHours(number(m.group(1))).plusMinutes(number(m.group(2)))
                            .plusSeconds(number(m.group(3)));
                }
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            d = null;
        }
        if (d == null || d.toSeconds() < 1 || d.toSeconds() > Integer.MAX_VALUE) {
            throw new UsageException("--interval must be a duration of at least 1s such as 30s, 30m or 1h, not '"
                    + text + "'");
        }
        return d;
    }

    private static long number(String group) {
        return group == null ? 0 : Long.parseLong(group);
    }
}
