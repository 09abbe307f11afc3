package dev.jtorrent.tracker;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;

/**
 * An embedded open tracker for LANs, tests and demos: HTTP (BEP 3, 7, 23, 48) and UDP (BEP 15) on the same port
 * number, any info hash accepted, swarms kept in memory. Announce URLs are {@code http://ADDR:PORT/announce} and
 * {@code udp://ADDR:PORT/announce}.
 *
 * <p>It listens on one address or several, all on the same port number and sharing one memory of swarms: peers of
 * both families that announce at any of them are listed to each other, IPv6 peers in {@code peers6} (BEP 7) and in
 * 18-byte entries of UDP replies that come over IPv6 (BEP 15). Bound to the wildcard ({@code null}) it listens on
 * IPv6's {@code ::} with dual-stack sockets, so that both families reach it at one address.
 */
public final class TrackerServer implements AutoCloseable {
    private static final int EPHEMERAL_ATTEMPTS = 20;

    /** The HTTP and UDP sides on one address. */
    private record Endpoint(HttpServer http, DatagramChannel udp, Thread udpThread) {
        void close() {
            http.stop(0);
            try {
                udp.close();
            } catch (IOException e) {
                // Closing is best effort; the thread stops with the channel either way.
            }
            udpThread.interrupt();
        }
    }

    private final List<Endpoint> endpoints;
    private final ExecutorService httpThreads;
    private final InetSocketAddress address;

    private TrackerServer(List<Endpoint> endpoints, ExecutorService httpThreads) {
        this.endpoints = endpoints;
        this.httpThreads = httpThreads;
        this.address = endpoints.getFirst().http().getAddress();
    }

    /** Starts a tracker with a 30-minute interval; port 0 picks a free port number for both protocols. */
    public static TrackerServer start(InetSocketAddress bind) throws IOException {
        return start(bind, TrackerServerConfig.DEFAULTS);
    }

    public static TrackerServer start(InetSocketAddress bind, Duration interval) throws IOException {
        return start(bind, TrackerServerConfig.DEFAULTS.withInterval(interval));
    }

    public static TrackerServer start(InetSocketAddress bind, TrackerServerConfig config) throws IOException {
        return start(Collections.singletonList(bind.getAddress()), bind.getPort(), config);
    }

    /**
     * Starts a tracker listening on each of {@code addresses} (a {@code null} one for the wildcard, dual-stack where
     * the system allows it), all on the same port: {@code port}, or with 0 one the system picks for the first.
     *
     * @throws IOException if one of them cannot be listened on (the message says which); none is left listening
     */
    public static TrackerServer start(List<InetAddress> addresses, int port, TrackerServerConfig config)
            throws IOException {
        return start(addresses, port, config, InstantSource.system(), RandomGenerator.getDefault());
    }

    static TrackerServer start(InetSocketAddress bind, TrackerServerConfig config, InstantSource clock,
                               RandomGenerator random) throws IOException {
        return start(Collections.singletonList(bind.getAddress()), bind.getPort(), config, clock, random);
    }

    static TrackerServer start(List<InetAddress> addresses, int port, TrackerServerConfig config,
                               InstantSource clock, RandomGenerator random) throws IOException {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address to listen on");
        }
        SwarmRegistry registry = new SwarmRegistry(config, clock, random);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        List<Endpoint> endpoints = new ArrayList<>();
        try {
            endpoints.add(first(addresses.getFirst(), port, registry, config, clock, threads));
            int chosen = endpoints.getFirst().http().getAddress().getPort();
            for (InetAddress address : addresses.subList(1, addresses.size())) {
                InetSocketAddress bind = new InetSocketAddress(address, chosen);
                try {
                    endpoints.add(open(bind, registry, config, clock, threads));
                } catch (IOException e) {
                    throw new IOException("cannot listen on " + bind + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException | RuntimeException e) {
            endpoints.forEach(Endpoint::close);
            threads.shutdownNow();
            throw e;
        }
        return new TrackerServer(List.copyOf(endpoints), threads);
    }

    /** The first endpoint: on port 0, an ephemeral TCP port may be taken for UDP; then it tries another pair. */
    private static Endpoint first(InetAddress address, int port, SwarmRegistry registry, TrackerServerConfig config,
                                  InstantSource clock, ExecutorService threads) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return open(new InetSocketAddress(address, port), registry, config, clock, threads);
            } catch (BindException e) {
                if (port != 0 || attempt == EPHEMERAL_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static Endpoint open(InetSocketAddress bind, SwarmRegistry registry, TrackerServerConfig config,
                                 InstantSource clock, ExecutorService threads) throws IOException {
        HttpServer http = HttpServer.create(bind, 128);
        int port = http.getAddress().getPort();
        DatagramChannel udp;
        try {
            udp = openUdp(new InetSocketAddress(bind.getAddress(), port));
        } catch (IOException e) {
            http.stop(0);
            throw e;
        }
        http.setExecutor(threads);
        http.createContext("/", new HttpTrackerService(registry, config));
        http.start();
        Thread udpThread = Thread.ofVirtual().name("tracker-udp-" + port)
                .start(new UdpTrackerService(udp, registry, config, clock));
        return new Endpoint(http, udp, udpThread);
    }

    private static DatagramChannel openUdp(InetSocketAddress bind) throws IOException {
        InetAddress a = bind.getAddress();
        DatagramChannel channel = a == null || a.isAnyLocalAddress() ? DatagramChannel.open()
                : DatagramChannel.open(a instanceof java.net.Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            return channel.bind(bind);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    public int port() {
        return address.getPort();
    }

    /** The address both protocols listen on; the first of them when it listens on several. */
    public InetSocketAddress address() {
        return address;
    }

    public String httpAnnounceUrl() {
        return "http://" + host() + ":" + port() + "/announce";
    }

    public String udpAnnounceUrl() {
        return "udp://" + host() + ":" + port() + "/announce";
    }

    private String host() {
        return hostPort(address).substring(0, hostPort(address).lastIndexOf(':'));
    }

    /** {@code host:port} as a URL has it, an IPv6 host in brackets. */
    public static String hostPort(InetSocketAddress address) {
        String h = address.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + address.getPort();
    }

    /** Every address it listens on, both protocols on each. */
    public List<InetSocketAddress> addresses() {
        return endpoints.stream().map(endpoint -> endpoint.http().getAddress()).toList();
    }

    @Override
    public void close() {
        endpoints.forEach(Endpoint::close);
        httpThreads.shutdownNow();
    }
}
