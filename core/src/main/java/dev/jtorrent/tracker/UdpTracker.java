package dev.jtorrent.tracker;

import dev.jtorrent.metainfo.InfoHash;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * A UDP tracker client (BEP 15). A request is resent after {@code base * 2^n} for n = 0, 1, ... up to the configured
 * maximum, then the exchange fails. Replies are matched by random transaction id, action and sender; anything else
 * is dropped and the wait goes on. A connection id is reused for the minute BEP 15 allows. A tracker at a link-local
 * address is refused ({@link AddressPolicy#check}). The datagrams go through a socket of the client's own, or through
 * a session's UDP port ({@link UdpTrackerReplies}); each resend is a new transaction, with a new id, either way.
 */
final class UdpTracker implements Tracker {
    static final Duration CONNECTION_ID_LIFETIME = Duration.ofMinutes(1);

    private final URI url;
    private final TrackerConfig config;
    // One exchange at a time: they share the connection id, and on a socket of its own each other's replies.
    private final ReentrantLock lock = new ReentrantLock();
    private final UdpTransport transport;
    private InetSocketAddress tracker;
    private long connectionId;
    private boolean connected;
    private long connectionIdExpiresAt;

    /** A client with a socket of its own, bound to the {@link TrackerConfig#bindAddresses} of the tracker's family. */
    UdpTracker(URI url, TrackerConfig config) throws TrackerException {
        this(url, config, new OwnUdpSocket(config.bindAddresses(), new SecureRandom()));
    }

    /** A client whose datagrams go through {@code transport}. */
    UdpTracker(URI url, TrackerConfig config, UdpTransport transport) throws TrackerException {
        if (url.getPort() < 1) {
            throw new TrackerException("UDP tracker URL has no port: " + url);
        }
        this.url = url;
        this.config = config;
        this.transport = transport;
    }

    @Override
    public String url() {
        return url.toString();
    }

    @Override
    public AnnounceResponse announce(AnnounceRequest request) throws TrackerException, InterruptedException {
        UdpPacket.Reply reply = exchange(UdpPacket.ANNOUNCE, 0, id -> UdpPacket.announce(connectionId, id, request));
        if (!(reply instanceof UdpPacket.Announced a)) {
            throw new AssertionError(reply);
        }
        if (a.interval() < 0) {
            throw new TrackerException("bad tracker reply: interval " + a.interval() + " is out of range");
        }
        return new AnnounceResponse(Duration.ofSeconds(a.interval()), Optional.empty(), a.peers(),
                count(a.seeders()), count(a.leechers()), Optional.empty(), Optional.empty());
    }

    @Override
    public List<ScrapeResult> scrape(List<InfoHash> infoHashes) throws TrackerException, InterruptedException {
        List<ScrapeResult> results = new ArrayList<>();
        for (int from = 0; from < infoHashes.size(); from += UdpPacket.MAX_SCRAPE) {
            List<InfoHash> batch = infoHashes.subList(from, Math.min(infoHashes.size(), from + UdpPacket.MAX_SCRAPE));
            UdpPacket.Reply reply = exchange(UdpPacket.SCRAPE, batch.size(),
                    id -> UdpPacket.scrape(connectionId, id, batch));
            if (!(reply instanceof UdpPacket.Scraped s)) {
                throw new AssertionError(reply);
            }
            for (int i = 0; i < batch.size(); i++) {
                int[] c = s.counts().get(i);
                results.add(new ScrapeResult(batch.get(i), Math.max(0, c[0]), Math.max(0, c[1]), Math.max(0, c[2])));
            }
        }
        return results;
    }

    /**
     * Sends the request made by {@code packet} (given a transaction id) until a matching reply comes, connecting
     * first whenever the connection id is missing or stale. Connect and request share one retransmission count.
     */
    private UdpPacket.Reply exchange(int action, int hashes, IntFunction<byte[]> packet)
            throws TrackerException, InterruptedException {
        lock.lock();
        try {
            open();
            for (int n = 0; n <= config.udpMaxRetransmit(); n++) {
                Duration wait = config.udpBaseTimeout().multipliedBy(1L << n);
                boolean connecting = !connected || System.nanoTime() - connectionIdExpiresAt >= 0;
                Optional<UdpPacket.Reply> reply = sendAndWait(connecting ? UdpPacket::connect : packet,
                        connecting ? UdpPacket.CONNECT : action, hashes, wait);
                if (reply.isEmpty()) {
                    continue;
                }
                switch (reply.get()) {
                    case UdpPacket.Failed f -> {
                        connected = false; // the error may be a stale connection id; connect afresh next time
                        throw new TrackerException("tracker said: " + f.message());
                    }
                    case UdpPacket.Connected c -> {
                        connectionId = c.connectionId();
                        connected = true;
                        connectionIdExpiresAt = System.nanoTime() + CONNECTION_ID_LIFETIME.toNanos();
                        n--; // a connect that worked is not a retransmission
                    }
                    case UdpPacket.Announced a -> {
                        return a;
                    }
                    case UdpPacket.Scraped s -> {
                        return s;
                    }
                }
            }
            throw new TrackerException("no reply from " + url + " after " + (config.udpMaxRetransmit() + 1)
                    + " attempts");
        } finally {
            lock.unlock();
        }
    }

    private Optional<UdpPacket.Reply> sendAndWait(IntFunction<byte[]> packet, int action, int hashes,
                                                  Duration wait) throws TrackerException, InterruptedException {
        int stride = tracker.getAddress() instanceof java.net.Inet6Address
                ? CompactPeers.IPV6_STRIDE : CompactPeers.IPV4_STRIDE;
        long deadline = System.nanoTime() + wait.toNanos();
        try (UdpTransport.Transaction t = transport.begin(tracker)) {
            t.send(packet.apply(t.id()));
            while (true) {
                byte[] received = t.receive(deadline);
                if (received == null) {
                    return Optional.empty();
                }
                Optional<UdpPacket.Reply> reply = UdpPacket.read(received, received.length, action, t.id(), stride,
                        hashes);
                if (reply.isPresent()) {
                    return reply;
                }
            }
        } catch (java.net.PortUnreachableException e) {
            throw new TrackerException("could not reach " + url + ": nothing listens on its port", e);
        } catch (IOException e) {
            throw new TrackerException("could not reach " + url + ": " + e.getMessage(), e);
        }
    }

    private void open() throws TrackerException {
        if (tracker != null) {
            return;
        }
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(url.getHost()), url.getPort());
        } catch (UnknownHostException e) {
            throw new TrackerException("unknown tracker host " + url.getHost());
        }
        AddressPolicy.check(address.getAddress());
        config.localFor(address.getAddress()); // refuses a tracker of a family no bind address has, saying so
        tracker = address;
    }

    private static OptionalInt count(int value) {
        return value < 0 ? OptionalInt.empty() : OptionalInt.of(value);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            transport.close();
        } finally {
            lock.unlock();
        }
    }
}
