package dev.jtorrent.lsd;

import dev.jtorrent.metainfo.InfoHash;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What Local Service Discovery does, without a socket or a clock (the time, in nanoseconds, is an argument): which
 * torrents to announce when, and which announces heard to believe. {@link LocalDiscovery} feeds it the datagrams
 * and the time, sends what {@link #pollAnnounce} hands back and sleeps until {@link #nextAnnounceAt}.
 *
 * <p>Sending: each registered torrent is announced at once, then every {@link #ANNOUNCE_INTERVAL}, libtorrent's
 * interval and the BEP's. The torrents due go together, the longest due first, up to {@link
 * LsdMessage#MAX_INFO_HASHES} to a datagram, and datagrams are limited to a burst of {@link #SEND_BURST}, then one
 * every {@link #SEND_PERIOD}: a session starting many torrents is heard at once, yet never floods the LAN. That rate
 * carries 1,440 announces an interval, more than the {@link #MAX_TORRENTS} that may be registered, so every torrent
 * is announced on time. (The BEP asks for one announce a minute at most on large networks; libtorrent sends a
 * datagram per torrent, three times in its first six seconds.)
 *
 * <p>Receiving: datagrams are limited per source address ({@link #SOURCE_BURST}, then one every {@link
 * #SOURCE_PERIOD}, for the {@link #MAX_SOURCES} most recent sources) and in all ({@link #TOTAL_BURST}, then one every
 * {@link #TOTAL_PERIOD}) before they are even parsed, so a flood costs little and hands few peers on. Our own
 * announces, looped back by multicast, are known by their cookie. Only peers of registered torrents come out.
 *
 * <p>BEP 27: a private torrent is never registered, so it is neither announced nor given peers from the LAN.
 * Not thread-safe: {@link LocalDiscovery} holds its lock around each call.
 */
final class LocalDiscoveryLogic {
    /** How often each torrent is announced again. */
    static final Duration ANNOUNCE_INTERVAL = Duration.ofMinutes(5);
    /** The most torrents announced; a session with more announces the first ones registered. */
    static final int MAX_TORRENTS = 1000;
    /** Datagrams we may send at once... */
    static final int SEND_BURST = 5;
    /** ...and then one each this often. */
    static final Duration SEND_PERIOD = Duration.ofSeconds(5);
    /**
     * Datagrams taken from one source at once: a libtorrent peer sends one per torrent, so a peer seeding a few
     * dozen torrents is heard in full when they come at once...
     */
    static final int SOURCE_BURST = 32;
    /** ...and then one each this often. */
    static final Duration SOURCE_PERIOD = Duration.ofMillis(500);
    /** Sources whose rate is tracked; past it, the one heard from least recently is forgotten. */
    static final int MAX_SOURCES = 256;
    /** Datagrams taken from all sources together at once... */
    static final int TOTAL_BURST = 128;
    /** ...and then one each this often. */
    static final Duration TOTAL_PERIOD = Duration.ofMillis(20);

    private final int listenPort;
    private final String cookie;
    /** The registered torrents, each with when it is due to be announced. */
    private final Map<InfoHash, Entry> registered = new LinkedHashMap<>();
    private final TokenBucket sends;
    private final TokenBucket received;
    private final Map<InetAddress, TokenBucket> sources = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, TokenBucket> eldest) {
            return size() > MAX_SOURCES;
        }
    };

    /** A torrent's place in the registry; {@link #unregister} takes it back only while it is still there. */
    static final class Entry {
        private final InfoHash infoHash;
        private long dueAt;

        private Entry(InfoHash infoHash, long dueAt) {
            this.infoHash = infoHash;
            this.dueAt = dueAt;
        }

        InfoHash infoHash() {
            return infoHash;
        }
    }

    /**
     * @param listenPort the TCP port every announce gives
     * @param cookie     ours, to know our own announces by
     */
    LocalDiscoveryLogic(int listenPort, String cookie, long now) {
        if (listenPort < 1 || listenPort > 65535) {
            throw new IllegalArgumentException("a listen port is in 1..65535, not " + listenPort);
        }
        if (!LsdMessage.isCookie(cookie)) {
            throw new IllegalArgumentException("not a cookie: " + cookie);
        }
        this.listenPort = listenPort;
        this.cookie = cookie;
        this.sends = new TokenBucket(SEND_BURST, SEND_PERIOD, now);
        this.received = new TokenBucket(TOTAL_BURST, TOTAL_PERIOD, now);
    }

    /**
     * Announces {@code infoHash} from now on, first at once, and hands on the peers heard of for it. Registering it
     * again replaces the earlier entry, which then no longer unregisters it.
     *
     * @return empty for a private torrent (BEP 27) and when {@link #MAX_TORRENTS} are registered already
     */
    Optional<Entry> register(InfoHash infoHash, boolean isPrivate, long now) {
        Objects.requireNonNull(infoHash, "infoHash");
        if (isPrivate || (registered.size() >= MAX_TORRENTS && !registered.containsKey(infoHash))) {
            return Optional.empty();
        }
        Entry entry = new Entry(infoHash, now);
        registered.put(infoHash, entry);
        return Optional.of(entry);
    }

    /** Stops announcing the torrent of {@code entry}, unless it was registered again since. */
    void unregister(Entry entry) {
        registered.remove(entry.infoHash, entry);
    }

    int registeredCount() {
        return registered.size();
    }

    /**
     * The announce to send now, if a torrent is due and the send rate allows: the torrents due longest, up to
     * {@link LsdMessage#MAX_INFO_HASHES}, each then due again in {@link #ANNOUNCE_INTERVAL}. Addressed to the IPv4
     * group; {@link LsdMessage#withGroup} makes the IPv6 one.
     */
    Optional<LsdMessage> pollAnnounce(long now) {
        List<Entry> due = new ArrayList<>();
        for (Entry entry : registered.values()) {
            if (entry.dueAt - now <= 0) {
                due.add(entry);
            }
        }
        if (due.isEmpty() || !sends.tryTake(now)) {
            return Optional.empty();
        }
        due.sort(Comparator.comparingLong(entry -> entry.dueAt - now));
        List<Entry> batch = due.subList(0, Math.min(due.size(), LsdMessage.MAX_INFO_HASHES));
        long next = now + ANNOUNCE_INTERVAL.toNanos();
        batch.forEach(entry -> entry.dueAt = next);
        return Optional.of(new LsdMessage(LsdGroup.IPV4, listenPort,
                batch.stream().map(Entry::infoHash).toList(), Optional.of(cookie)));
    }

    /** When {@link #pollAnnounce} has something to send next; empty while no torrent is registered. */
    OptionalLong nextAnnounceAt(long now) {
        OptionalLong earliest = OptionalLong.empty();
        for (Entry entry : registered.values()) {
            if (earliest.isEmpty() || entry.dueAt - earliest.getAsLong() < 0) {
                earliest = OptionalLong.of(entry.dueAt);
            }
        }
        if (earliest.isEmpty()) {
            return earliest;
        }
        long allowed = sends.nextAllowed(now);
        return OptionalLong.of(earliest.getAsLong() - allowed < 0 ? allowed : earliest.getAsLong());
    }

    /**
     * A datagram from {@code source}: the peers it tells of for registered torrents; none for our own announces,
     * one past the rate limits, or one of another torrent.
     *
     * @throws LsdException if it was let through the rate limits but is not a well-formed announce
     */
    List<LocalPeer> handleDatagram(InetAddress source, byte[] datagram, long now) throws LsdException {
        // The source's own limit first, so that one flooding source does not use up the allowance of the others.
        TokenBucket fromSource = sources.computeIfAbsent(source,
                address -> new TokenBucket(SOURCE_BURST, SOURCE_PERIOD, now));
        if (!fromSource.tryTake(now) || !received.tryTake(now)) {
            return List.of();
        }
        LsdMessage message = LsdMessage.parse(datagram);
        if (message.cookie().filter(cookie::equals).isPresent()) {
            return List.of();
        }
        List<LocalPeer> peers = new ArrayList<>();
        for (InfoHash infoHash : message.infoHashes()) {
            if (registered.containsKey(infoHash)) {
                peers.add(new LocalPeer(infoHash, new InetSocketAddress(source, message.port())));
            }
        }
        return peers;
    }
}
