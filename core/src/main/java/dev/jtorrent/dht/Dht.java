package dev.jtorrent.dht;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.net.UdpPort;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A running Mainline DHT node: the I/O shell around {@link DhtNode}. It runs on a {@link UdpPort}, its own or a
 * session's (shared with uTP and UDP tracker replies, the KRPC messages told apart by their first byte, {@code d}),
 * with a timer thread ticking the node once a second, and one thread that runs the callers' callbacks in order, so
 * that a slow callback never holds up the node. Every call into the node holds one lock; datagrams arrive on the
 * port's readers, which hold it only while the node takes one.
 *
 * <p>Datagrams longer than {@link KrpcCodec#MAX_PACKET} are dropped. On a session's port the node speaks each family
 * the port carries: IPv4 and IPv6 (BEP 32) on a dual-stack wildcard socket.
 *
 * <p>Start with {@link #start}: it binds (or joins the port), loads the saved state if {@link DhtConfig#stateFile} is
 * set, and bootstraps in the background (router names are resolved then, one failed name skipped). {@link #close}
 * saves the state to that file too.
 */
public final class Dht implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Dht.class.getName());
    private static final long TICK_MILLIS = 1000;

    private final DhtConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final UdpPort port;
    /** Whether {@link #close} closes {@link #port}: it does when the node opened it. */
    private final boolean ownsPort;
    private final UdpPort.Handler handler = new Krpcs();
    private final ScheduledExecutorService timer;
    private final ExecutorService callbacks;
    private final DhtNode node;
    /** The families the node speaks: those of {@link DhtConfig#bind} and {@code bind6}, or those the port carries. */
    private final Set<Family> families;
    private final CompletableFuture<Void> bootstrapped = new CompletableFuture<>();
    /** The futures of searches under way, failed by {@link #close} so that no caller waits forever. */
    private final Set<CompletableFuture<Integer>> searching = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private Dht(DhtConfig config, UdpPort port, boolean ownsPort, Set<Family> families) {
        this.config = config;
        this.port = port;
        this.ownsPort = ownsPort;
        this.families = Set.copyOf(families);
        Optional<DhtState> saved = config.stateFile().flatMap(DhtState::load);
        this.node = new DhtNode(config, families, port.localAddresses(), this::send, new SecureRandom(), saved,
                System.nanoTime());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dht-timer"));
        this.callbacks = Executors.newSingleThreadExecutor(r -> daemon(r, "dht-callbacks"));
    }

    /**
     * Binds a port of its own at {@link DhtConfig#bind} (and {@link DhtConfig#bind6}) and starts the node there;
     * bootstrapping goes on in the background.
     */
    public static Dht start(DhtConfig config) throws IOException {
        List<InetSocketAddress> endpoints = new ArrayList<>();
        endpoints.add(config.bind());
        config.bind6().ifPresent(endpoints::add);
        Set<Family> families = EnumSet.of(Family.of(config.bind().getAddress()));
        config.bind6().ifPresent(b -> families.add(Family.IPV6));
        UdpPort port;
        try {
            port = UdpPort.bind(endpoints);
        } catch (IOException e) {
            throw new IOException("cannot bind the DHT: " + e.getMessage(), e);
        }
        return start(config, port, true, families);
    }

    /**
     * Starts the node on {@code port}, which it shares and does not close; {@link DhtConfig#bind} and
     * {@link DhtConfig#bind6} are not used. The node speaks each family the port carries.
     */
    public static Dht start(DhtConfig config, UdpPort port) {
        Set<Family> families = EnumSet.noneOf(Family.class);
        if (port.carriesIpv4()) {
            families.add(Family.IPV4);
        }
        if (port.carriesIpv6()) {
            families.add(Family.IPV6);
        }
        return start(config, port, false, families);
    }

    private static Dht start(DhtConfig config, UdpPort port, boolean ownsPort, Set<Family> families) {
        Dht dht;
        try {
            dht = new Dht(config, port, ownsPort, families);
        } catch (RuntimeException e) {
            if (ownsPort) {
                port.close();
            }
            throw e;
        }
        port.register(dht.handler);
        dht.run();
        return dht;
    }

    private void run() {
        timer.scheduleAtFixedRate(() -> locked(() -> node.tick(System.nanoTime())), TICK_MILLIS, TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        Thread.ofVirtual().name("dht-bootstrap").start(() -> {
            List<InetSocketAddress> routers = resolve(config.routers());
            locked(() -> node.bootstrap(routers, new DhtNode.SearchListener() {
                @Override
                public void peer(InetSocketAddress peer) {
                }

                @Override
                public void done(int announced) {
                    callbacks.execute(() -> bootstrapped.complete(null));
                }
            }, System.nanoTime()));
        });
    }

    /**
     * Completes when the first bootstrap lookup has ended, whether or not it found nodes
     * ({@link #routingTableSize} tells); the node keeps bootstrapping in the background while its table is
     * nearly empty.
     */
    public CompletableFuture<Void> bootstrapped() {
        return bootstrapped.copy();
    }

    /** Looks up the peers of {@code infoHash}; the future completes when the lookup ends. */
    public CompletableFuture<Void> getPeers(InfoHash infoHash, Consumer<InetSocketAddress> peers) {
        return search(infoHash, 0, false, peers).thenApply(n -> null);
    }

    /**
     * Announces that we have {@code infoHash} on TCP {@code port}: a {@code get_peers} lookup, then
     * {@code announce_peer} to the closest nodes that gave a token. The future completes with the number of nodes
     * that acknowledged the announce. Nodes forget an announce after 30 minutes ({@link PeerStore#PEER_TTL_NANOS},
     * as libtorrent), so a torrent is announced again every 15 to 30 minutes by the caller.
     */
    public CompletableFuture<Integer> announce(InfoHash infoHash, int port) {
        return announce(infoHash, port, false, peer -> { });
    }

    /**
     * As {@link #announce(InfoHash, int)}, reporting the peers the lookup finds; with {@code impliedPort} the nodes
     * take our UDP source port as our port (BEP 5), for a client behind a NAT whose TCP and uTP ports are the same.
     */
    public CompletableFuture<Integer> announce(InfoHash infoHash, int port, boolean impliedPort,
                                               Consumer<InetSocketAddress> peers) {
        if (!impliedPort && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port must be in 1..65535: " + port);
        }
        return search(infoHash, port, impliedPort, peers);
    }

    private CompletableFuture<Integer> search(InfoHash infoHash, int port, boolean impliedPort,
                                              Consumer<InetSocketAddress> peers) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        searching.add(done);
        done.whenComplete((n, e) -> searching.remove(done));
        DhtNode.SearchListener listener = new DhtNode.SearchListener() {
            @Override
            public void peer(InetSocketAddress peer) {
                callbacks.execute(() -> peers.accept(peer));
            }

            @Override
            public void done(int announced) {
                callbacks.execute(() -> done.complete(announced));
            }
        };
        locked(() -> node.search(NodeId.of(infoHash.bytes()), port, impliedPort, listener, System.nanoTime()));
        if (closed) {
            done.completeExceptionally(new IllegalStateException("the DHT is closed"));
        }
        return done;
    }

    /**
     * Pings a node heard of from a torrent's {@code nodes} or a peer's PORT message; it joins the table if it
     * answers. An unresolved address (a host name from a torrent) is resolved here, on the caller's thread.
     */
    public void addNode(InetSocketAddress address) {
        InetSocketAddress resolved = address.isUnresolved()
                ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
        if (!resolved.isUnresolved()) {
            locked(() -> node.addNode(resolved, System.nanoTime()));
        }
    }

    /** Nodes in the routing tables. */
    public int routingTableSize() {
        lock.lock();
        try {
            return node.routingTableSize();
        } finally {
            lock.unlock();
        }
    }

    /** Our external address as the DHT reported it (BEP 42), or as set; empty until known. */
    public Optional<InetAddress> externalAddress() {
        lock.lock();
        try {
            return node.externalAddress();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A vote on our external address: {@code by} sees us at {@code address} (a peer's BEP 10 {@code yourip}). Counted
     * with the {@code ip} of the nodes' answers (BEP 42): once enough voters agree, our node id follows it.
     */
    public void externalAddressReported(InetAddress by, InetAddress address) {
        locked(() -> node.externalAddressReported(by, address, System.nanoTime()));
    }

    /** Tells the node our external address, for certain; our node id follows it. */
    public void setExternalAddress(InetAddress address) {
        locked(() -> node.setExternalAddress(address, System.nanoTime()));
    }

    /** The bound address of the port's first socket. */
    public InetSocketAddress localAddress() {
        return port.localAddresses().getFirst();
    }

    /**
     * The bound address of the port's first IPv6 socket (a dual-stack wildcard one included), for a node that speaks
     * IPv6; empty for one that does not.
     */
    public Optional<InetSocketAddress> localAddress6() {
        if (!port.carriesIpv6() || !families.contains(Family.IPV6)) {
            return Optional.empty();
        }
        return port.localAddresses().stream().filter(a -> a.getAddress() instanceof Inet6Address).findFirst();
    }

    /** Saves our node id and good nodes to {@code file}, atomically. */
    public void save(Path file) throws IOException {
        DhtState state;
        lock.lock();
        try {
            state = node.state();
        } finally {
            lock.unlock();
        }
        state.save(file);
    }

    /**
     * Stops the node and closes its sockets; saves the state if {@link DhtConfig#stateFile} is set. Searches under
     * way and a bootstrap not yet ended fail with an {@link IllegalStateException}, after the callbacks already due.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        lock.lock();
        try {
            closed = true; // under the lock: an event being handled ends first, and no other starts
        } finally {
            lock.unlock();
        }
        timer.shutdownNow();
        port.unregister(handler);
        if (ownsPort) {
            port.close();
        }
        IllegalStateException closing = new IllegalStateException("the DHT was closed");
        callbacks.execute(() -> {
            bootstrapped.completeExceptionally(closing);
            searching.forEach(f -> f.completeExceptionally(closing));
        });
        callbacks.shutdown();
        if (config.stateFile().isPresent()) {
            try {
                save(config.stateFile().get());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot save the DHT state to {0}: {1}",
                        config.stateFile().get(), e.getMessage());
            }
        }
    }

    /** KRPC messages off the port: bencoded dictionaries, {@code d...e}, as libtorrent tells them apart. */
    private final class Krpcs implements UdpPort.Handler {
        @Override
        public boolean accepts(ByteBuffer datagram) {
            return datagram.remaining() >= 2 && datagram.get(datagram.position()) == 'd'
                    && datagram.get(datagram.limit() - 1) == 'e';
        }

        @Override
        public void receive(ByteBuffer datagram, InetSocketAddress from) {
            lock.lock();
            try {
                if (!closed) {
                    node.receive(from, datagram, System.nanoTime());
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "DHT node failed on a datagram; it goes on", e);
            } finally {
                lock.unlock();
            }
        }
    }

    private void send(InetSocketAddress to, byte[] packet) {
        if (closed) {
            return;
        }
        try {
            port.send(ByteBuffer.wrap(packet), to);
        } catch (IOException e) {
            // An unreachable node, a full send buffer, a closed port: the query times out like any lost datagram.
            LOG.log(System.Logger.Level.DEBUG, "DHT send to {0}: {1}", to, e.getMessage());
        }
    }

    private void locked(Runnable action) {
        lock.lock();
        try {
            if (!closed) {
                action.run();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "DHT node failed on an event; it goes on", e);
        } finally {
            lock.unlock();
        }
    }

    private static List<InetSocketAddress> resolve(List<InetSocketAddress> routers) {
        List<InetSocketAddress> resolved = new ArrayList<>();
        for (InetSocketAddress r : routers) {
            if (!r.isUnresolved()) {
                resolved.add(r);
                continue;
            }
            try {
                for (InetAddress a : InetAddress.getAllByName(r.getHostString())) {
                    resolved.add(new InetSocketAddress(a, r.getPort()));
                }
            } catch (UnknownHostException e) {
                LOG.log(System.Logger.Level.DEBUG, "DHT router {0} does not resolve; skipped", r.getHostString());
            }
        }
        return resolved;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
