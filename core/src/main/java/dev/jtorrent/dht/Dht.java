package dev.jtorrent.dht;

import dev.jtorrent.metainfo.InfoHash;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
 * A running Mainline DHT node: the I/O shell around {@link DhtNode}. It owns one UDP socket per family (IPv4, and
 * IPv6 when {@link DhtConfig#bind6} is set), a virtual thread reading each, a timer thread ticking the node once a
 * second, and one thread that runs the callers' callbacks in order, so that a slow callback never holds up the node.
 * Every call into the node holds one lock.
 *
 * <p>Datagrams longer than {@link KrpcCodec#MAX_PACKET} are dropped unread. {@link DhtNode#receive} takes a datagram
 * from whoever owns the socket, so that the socket can later be shared with uTP, which would then own it.
 *
 * <p>Start with {@link #start}: it binds, loads the saved state if {@link DhtConfig#stateFile} is set, and
 * bootstraps in the background (router names are resolved then, one failed name skipped). {@link #close} saves the
 * state to that file too.
 */
public final class Dht implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Dht.class.getName());
    private static final long TICK_MILLIS = 1000;

    private final DhtConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Family, DatagramChannel> channels;
    private final ScheduledExecutorService timer;
    private final ExecutorService callbacks;
    private final List<Thread> readers = new ArrayList<>();
    private final DhtNode node;
    private final CompletableFuture<Void> bootstrapped = new CompletableFuture<>();
    /** The futures of searches under way, failed by {@link #close} so that no caller waits forever. */
    private final Set<CompletableFuture<Integer>> searching = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private Dht(DhtConfig config, Map<Family, DatagramChannel> channels) throws IOException {
        this.config = config;
        this.channels = channels;
        List<InetSocketAddress> local = new ArrayList<>();
        for (DatagramChannel channel : channels.values()) {
            local.add((InetSocketAddress) channel.getLocalAddress());
        }
        Optional<DhtState> saved = config.stateFile().flatMap(DhtState::load);
        this.node = new DhtNode(config, channels.keySet(), local, this::send, new SecureRandom(), saved,
                System.nanoTime());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dht-timer"));
        this.callbacks = Executors.newSingleThreadExecutor(r -> daemon(r, "dht-callbacks"));
    }

    /** Binds the sockets and starts the node; bootstrapping goes on in the background. */
    public static Dht start(DhtConfig config) throws IOException {
        Map<Family, DatagramChannel> channels = new EnumMap<>(Family.class);
        try {
            channels.put(Family.of(config.bind().getAddress()), open(config.bind()));
            if (config.bind6().isPresent()) {
                channels.put(Family.IPV6, open(config.bind6().get()));
            }
        } catch (IOException | RuntimeException e) {
            for (DatagramChannel c : channels.values()) {
                c.close();
            }
            throw e;
        }
        Dht dht = new Dht(config, channels);
        dht.run();
        return dht;
    }

    private static DatagramChannel open(InetSocketAddress address) throws IOException {
        DatagramChannel channel = DatagramChannel.open(Family.of(address.getAddress()) == Family.IPV4
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        try {
            channel.bind(address);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot bind the DHT to " + address + ": " + e.getMessage(), e);
        }
        return channel;
    }

    private void run() {
        for (Map.Entry<Family, DatagramChannel> e : channels.entrySet()) {
            readers.add(Thread.ofVirtual().name("dht-read-" + e.getKey()).start(() -> read(e.getValue())));
        }
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

    /** The bound address of the first socket (the IPv4 one, unless the node is IPv6 only). */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channels.get(Family.of(config.bind().getAddress())).getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the DHT is closed", e);
        }
    }

    /** The bound address of the IPv6 socket of a node on both families ({@link DhtConfig#bind6}). */
    public Optional<InetSocketAddress> localAddress6() {
        if (config.bind6().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of((InetSocketAddress) channels.get(Family.IPV6).getLocalAddress());
        } catch (IOException e) {
            throw new IllegalStateException("the DHT is closed", e);
        }
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
        for (DatagramChannel c : channels.values()) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing a DHT socket: {0}", e.getMessage());
            }
        }
        for (Thread t : readers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
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

    private void read(DatagramChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(KrpcCodec.MAX_PACKET + 1);
        while (!closed) {
            try {
                buffer.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                if (from == null || !buffer.hasRemaining()) {
                    continue; // longer than any KRPC message we read: dropped unread
                }
                buffer.flip();
                locked(() -> node.receive(from, buffer, System.nanoTime()));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.DEBUG, "DHT receive: {0}", e.getMessage());
            }
        }
    }

    private void send(InetSocketAddress to, byte[] packet) {
        DatagramChannel channel = channels.get(Family.of(to.getAddress()));
        if (channel == null || closed) {
            return;
        }
        try {
            channel.send(ByteBuffer.wrap(packet), to);
        } catch (IOException e) {
            // An unreachable node, a full send buffer: the query times out like any lost datagram.
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
