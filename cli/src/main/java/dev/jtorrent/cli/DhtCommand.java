package dev.jtorrent.cli;

import dev.jtorrent.dht.Dht;
import dev.jtorrent.dht.DhtConfig;
import dev.jtorrent.metainfo.MagnetLink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code jtorrent dht}: a Mainline DHT node on its own, until Ctrl-C or SIGTERM: to serve the DHT, to watch it
 * bootstrap, or as a bootstrap node for a LAN. It prints the routing table's size at start, when the first
 * bootstrap ends, and once a minute, and saves its state on exit when given {@code --state}. SIGTERM is its normal
 * stop, after which it exits 0 ({@link StopSignal}); Ctrl-C exits 130, as for every command.
 */
@Command(name = "dht", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run a DHT node (BEP 5) until stopped (Ctrl-C or SIGTERM), printing its routing table's size.",
        footer = {"", "SIGTERM stops it with the exit code 0, Ctrl-C with 130.", "",
                "Examples:", "  jtorrent dht --state ~/.jtorrent/dht.state",
                "  jtorrent dht --port 6881 --dht-bootstrap router.bittorrent.com:6881",
                "  jtorrent dht --bind 127.0.0.1 --allow-local --dht-bootstrap 127.0.0.2:6881"})
final class DhtCommand implements Callable<Integer> {
    /** How often the routing table's size is printed. */
    private static final long REPORT_INTERVAL_SECONDS = 60;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "6881",
            description = "UDP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "Address to listen on, IPv4 or IPv6 (::1 or [::1]) (default: ${DEFAULT-VALUE}, every IPv4"
                    + " interface).")
    String bind;

    @Option(names = "--dht-bootstrap", paramLabel = "HOST:PORT",
            description = "A node or router to bootstrap from, instead of the public routers; repeatable.")
    List<String> bootstrap = new ArrayList<>();

    @Option(names = "--state", paramLabel = "FILE",
            description = "Load the node id and known nodes from FILE at start, save them there on exit.")
    Path state;

    @Option(names = "--allow-local",
            description = "Accept loopback and private addresses as nodes, for a LAN or a test.")
    boolean allowLocal;

    @Override
    public Integer call() throws IOException {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port must be in 0..65535, not " + port);
        }
        InetAddress address = BindAddresses.parse(bind);
        DhtConfig.Builder config = DhtConfig.builder().bind(new InetSocketAddress(address, port))
                .allowLocalAddresses(allowLocal);
        if (!bootstrap.isEmpty()) {
            List<InetSocketAddress> routers = new ArrayList<>();
            for (String hostPort : bootstrap) {
                routers.add(hostPort(hostPort));
            }
            config.routers(routers);
        }
        if (state != null) {
            config.stateFile(state);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (StopSignal stop = StopSignal.install()) {
            Dht dht = Dht.start(config.build());
            Thread hook = new Thread(dht::close, "dht-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("DHT node listening on " + dht.localAddress().getAddress().getHostAddress() + ":"
                    + dht.localAddress().getPort() + "; routing table: " + dht.routingTableSize() + " nodes");
            out.flush();
            dht.bootstrapped().thenRun(() -> report(out, "bootstrapped", dht));
            try {
                while (!stop.await(REPORT_INTERVAL_SECONDS, TimeUnit.SECONDS)) {
                    report(out, "now", dht);
                }
                dht.close(); // SIGTERM; Ctrl-C and SIGHUP leave it to the hook, and the JVM exits 128 + signal
                return ExitCode.OK;
            } catch (InterruptedException e) {
                // Embedded use (and tests) stop the command by interrupting it rather than by a signal.
                Runtime.getRuntime().removeShutdownHook(hook);
                dht.close();
                return ExitCode.INTERRUPTED;
            }
        }
    }

    private static void report(PrintWriter out, String when, Dht dht) {
        synchronized (out) {
            out.println("routing table (" + when + "): " + dht.routingTableSize() + " nodes"
                    + dht.externalAddress().map(a -> "; external address " + a.getHostAddress()).orElse(""));
            out.flush();
        }
    }

    /** Reads HOST:PORT or [IPV6]:PORT; the host is resolved when the node bootstraps. */
    static InetSocketAddress hostPort(String text) {
        try {
            return MagnetLink.PeerAddress.parse(text).unresolved();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--dht-bootstrap must be HOST:PORT with a port in 1..65535, not '" + text + "'");
        }
    }
}
