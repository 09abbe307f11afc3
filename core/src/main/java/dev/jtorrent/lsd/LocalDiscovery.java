package dev.jtorrent.lsd;

import dev.jtorrent.metainfo.InfoHash;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Local Service Discovery (BEP 14) on some {@link LsdEndpoint}s: announces the registered torrents to the LSD
 * multicast groups and hands the peers other clients announce to a callback. The decisions are {@link
 * LocalDiscoveryLogic}'s; this class owns the sockets and two kinds of thread: a reader per address family, and one
 * sender that sleeps until the logic has something to send. Thread-safe.
 *
 * <p>The sockets are libtorrent's ({@link GroupSockets}). Announces whose source is on none of the endpoints'
 * networks are ignored, as libtorrent does. IPv4 must work; IPv6 is used where it works, and when it does not (no
 * IPv6, or no multicast on it) that is logged once and LSD goes on with IPv4.
 */
public final class LocalDiscovery implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LocalDiscovery.class.getName());
    /** How long {@link #close()} waits for each thread to end. */
    private static final long JOIN_MILLIS = 2_000;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final LocalDiscoveryLogic logic;
    /** Guarded by {@link #lock}. */
    private boolean closed;
    private final List<LsdEndpoint> endpoints;
    private final List<DatagramChannel> receivers;
    private final List<GroupSockets.Sender> senders;
    private final Consumer<LocalPeer> peers;
    private final List<Thread> threads = new ArrayList<>();
    /** A full registry is logged once, not at every torrent started past it. Guarded by {@link #lock}. */
    private boolean fullLogged;

    /** A torrent registered for announcing; {@link #close()} stops announcing it. */
    public final class Registration implements AutoCloseable {
        private final LocalDiscoveryLogic.Entry entry;

        private Registration(LocalDiscoveryLogic.Entry entry) {
            this.entry = entry;
        }

        /** Stops announcing the torrent and handing on its peers. Idempotent. */
        @Override
        public void close() {
            synchronized (lock) {
                logic.unregister(entry);
            }
        }
    }

    private LocalDiscovery(LocalDiscoveryLogic logic, List<LsdEndpoint> endpoints,
                           List<DatagramChannel> receivers, List<GroupSockets.Sender> senders,
                           Consumer<LocalPeer> peers) {
        this.logic = logic;
        this.endpoints = endpoints;
        this.receivers = receivers;
        this.senders = senders;
        this.peers = peers;
    }

    /**
     * Joins the groups on {@code endpoints} and starts listening; nothing is announced until a torrent is
     * registered.
     *
     * @param listenPort the TCP port peers are to dial, which every announce gives
     * @param peers      told of each peer heard of for a registered torrent, on a reader thread; it must not block
     * @throws IOException if there is no endpoint, or IPv4 discovery cannot be set up on an IPv4 endpoint
     */
    public static LocalDiscovery open(List<LsdEndpoint> endpoints, int listenPort, Consumer<LocalPeer> peers)
            throws IOException {
        Objects.requireNonNull(peers, "peers");
        List<DatagramChannel> receivers = new ArrayList<>();
        List<GroupSockets.Sender> senders = new ArrayList<>();
        List<LsdEndpoint> used = new ArrayList<>();
        try {
            for (LsdGroup group : LsdGroup.values()) {
                List<LsdEndpoint> ofGroup = endpoints.stream().filter(e -> e.group() == group).toList();
                if (ofGroup.isEmpty()) {
                    continue;
                }
                try {
                    GroupSockets sockets = GroupSockets.open(group, ofGroup);
                    receivers.add(sockets.receiver());
                    senders.addAll(sockets.senders());
                    used.addAll(ofGroup);
                } catch (IOException | UnsupportedOperationException e) {
                    if (group == LsdGroup.IPV4) {
                        throw new IOException("cannot join the local discovery group " + group.host() + ": " + e, e);
                    }
                    LOG.log(System.Logger.Level.INFO, "local discovery goes on without IPv6: cannot join "
                            + group.host() + ": " + e);
                }
            }
            if (used.isEmpty()) {
                throw new IOException("local discovery has no interface to announce on");
            }
        } catch (IOException e) {
            GroupSockets.closeAll(receivers);
            GroupSockets.closeAll(senders.stream().map(GroupSockets.Sender::channel).toList());
            throw e;
        }
        String cookie = HexFormat.of().toHexDigits(new SecureRandom().nextInt());
        LocalDiscovery discovery = new LocalDiscovery(new LocalDiscoveryLogic(listenPort, cookie, System.nanoTime()),
                List.copyOf(used), List.copyOf(receivers), List.copyOf(senders), peers);
        discovery.start();
        return discovery;
    }

    private void start() {
        for (DatagramChannel receiver : receivers) {
            threads.add(Thread.ofVirtual().name("lsd-receive").start(() -> receive(receiver)));
        }
        threads.add(Thread.ofVirtual().name("lsd-announce").start(this::announce));
    }

    /** The endpoints in use: those asked for, less IPv6 ones where IPv6 could not be set up. */
    public List<LsdEndpoint> endpoints() {
        return endpoints;
    }

    /**
     * Announces {@code infoHash} from now on, at once and then every 5 minutes, and hands on the peers heard of for
     * it, until the registration is closed. Registering a torrent again takes over from the earlier registration.
     *
     * @param isPrivate BEP 27: a private torrent gets peers from its trackers alone, so it is not registered
     * @return empty for a private torrent, when the registry is full, or once this is closed
     */
    public Optional<Registration> register(InfoHash infoHash, boolean isPrivate) {
        synchronized (lock) {
            if (closed) {
                return Optional.empty();
            }
            Optional<LocalDiscoveryLogic.Entry> entry = logic.register(infoHash, isPrivate, System.nanoTime());
            if (entry.isEmpty() && !isPrivate && !fullLogged) {
                fullLogged = true;
                LOG.log(System.Logger.Level.WARNING, "local discovery announces " + LocalDiscoveryLogic.MAX_TORRENTS
                        + " torrents at most; the others are not announced on the LAN");
            }
            lock.notifyAll();
            return entry.map(Registration::new);
        }
    }

    private void announce() {
        while (true) {
            LsdMessage message;
            synchronized (lock) {
                if (closed) {
                    return;
                }
                long now = System.nanoTime();
                Optional<LsdMessage> due = logic.pollAnnounce(now);
                if (due.isEmpty()) {
                    OptionalLong next = logic.nextAnnounceAt(now);
                    try {
                        if (next.isEmpty()) {
                            lock.wait();
                        } else {
                            TimeUnit.NANOSECONDS.timedWait(lock, Math.max(next.getAsLong() - now,
                                    TimeUnit.MILLISECONDS.toNanos(1)));
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                message = due.get();
            }
            send(message);
        }
    }

    /** Only the announcing thread sends. */
    private void send(LsdMessage message) {
        for (GroupSockets.Sender sender : senders) {
            if (!sender.send(message)) {
                return; // closing
            }
        }
    }

    private void receive(DatagramChannel channel) {
        // One byte more than an announce may have, so that a longer datagram shows as too long.
        ByteBuffer buffer = ByteBuffer.allocate(LsdMessage.MAX_DATAGRAM_BYTES + 1);
        while (true) {
            InetSocketAddress from;
            buffer.clear();
            try {
                from = (InetSocketAddress) channel.receive(buffer);
            } catch (IOException e) {
                if (channel.isOpen()) {
                    LOG.log(System.Logger.Level.WARNING, "local discovery stopped listening: " + e);
                }
                return;
            }
            buffer.flip();
            byte[] datagram = new byte[buffer.remaining()];
            buffer.get(datagram);
            if (endpoints.stream().noneMatch(endpoint -> endpoint.onNetwork(from.getAddress()))) {
                continue; // another network's announce: its peers are not local to ours
            }
            handOn(from.getAddress(), datagram);
        }
    }

    private void handOn(InetAddress source, byte[] datagram) {
        List<LocalPeer> found;
        try {
            synchronized (lock) {
                found = logic.handleDatagram(source, datagram, System.nanoTime());
            }
        } catch (LsdException e) {
            LOG.log(System.Logger.Level.DEBUG, "ignored a local discovery datagram from " + source.getHostAddress()
                    + ": " + e.getMessage());
            return;
        }
        for (LocalPeer peer : found) {
            try {
                peers.accept(peer);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "the local discovery callback failed", e);
            }
        }
    }

    /** Stops announcing and listening, and closes the sockets. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
        }
        GroupSockets.closeAll(receivers);
        GroupSockets.closeAll(senders.stream().map(GroupSockets.Sender::channel).toList());
        for (Thread thread : threads) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
