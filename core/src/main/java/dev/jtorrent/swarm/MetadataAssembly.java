package dev.jtorrent.swarm;

import dev.jtorrent.digest.Sha1;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.wire.MetadataMessage;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Fetches one torrent's info dictionary over {@code ut_metadata} (BEP 9), for a torrent added by magnet link: the
 * sans-I/O core, with no sockets and no clock (the time is passed in as nanos). The caller tells it each peer's
 * {@code metadata_size} ({@link #join}), departures ({@link #leave}), and the {@code Data} and {@code Reject}
 * messages that arrive; {@link #requests} answers which {@code Request}s to send to whom. Each call that takes a
 * message answers an {@link MetadataOutcome} the caller acts on.
 *
 * <p><b>Sizes.</b> Peers may disagree on the size. Each attempt assembles one size, chosen when no attempt is under
 * way: the size claimed by the most peers not yet suspected, then by the most peers, then the first one heard. An
 * attempt is abandoned when no peer claiming its size is left; a size whose peers lie loses them (below), so the
 * first size whose bytes pass the hash wins. A {@code Data} message whose {@code total_size} differs from its
 * sender's handshake contradicts that peer itself: it is dropped.
 *
 * <p><b>Requests.</b> Each missing piece is asked of one peer at a time, at most {@value #MAX_REQUESTS_PER_PEER} at
 * once of a peer, the least busy peer first. A request unanswered after {@link #REQUEST_TIMEOUT_NANOS} is forgotten
 * (a late answer is ignored) and the piece may be asked of another peer, preferably not the one that timed out. A
 * peer that rejects a piece is not asked it again for {@link #REJECT_BACKOFF_NANOS}. Data that was not asked of its
 * sender, or that duplicates a piece held, is ignored; the piece index and length are already checked against
 * {@code total_size} by {@link MetadataMessage.Data}.
 *
 * <p><b>Liars.</b> When all pieces are in, their SHA-1 must be the info hash. If not, the pieces are discarded. A set
 * with one sender is that sender's lie: it is dropped for good. Otherwise every sender becomes a suspect, and one
 * already suspect is dropped (its pieces failed twice). The next attempt asks only peers not suspected, where there
 * are any; where all are suspects, it asks one of them alone (its <i>source</i>), so that its failure names the liar
 * and an honest suspect is not dropped beside a liar. A source that rejects, times out or leaves hands the attempt
 * on to the next suspect, the pieces discarded and no one blamed. A sender that left before a failed set of several
 * senders is not blamed: nothing is kept of departed peers but the dropped ones.
 *
 * <p><b>Bounds.</b> Sizes above {@value #MAX_METADATA_SIZE} bytes (4 MiB) are refused, as libtorrent refuses them by
 * default: an info dictionary takes 20 bytes per piece, so 4 MiB is about 200,000 pieces, a torrent of terabytes,
 * while a peer claiming more could make us hold as much. Only the attempt under way holds bytes: one buffer of its
 * size, allocated at its first piece, so {@link #heldBytes()} never passes the bound whatever the peers claim. At most
 * {@value #MAX_SOURCES} peers are sources at once, and the last {@value #MAX_DROPPED} dropped peers are remembered;
 * what each source holds (its requests and rejects) is bounded by the pieces of its size, 256 at most.
 *
 * <p>Swarm thread only.
 */
final class MetadataAssembly {
    /** The largest info dictionary fetched: see the class comment. */
    static final int MAX_METADATA_SIZE = 4 * 1024 * 1024;
    /** Peers used as sources at once. */
    static final int MAX_SOURCES = 256;
    /** Dropped peers remembered, so that they are not taken back. */
    static final int MAX_DROPPED = 1024;
    /** Requests outstanding at once with one peer. */
    static final int MAX_REQUESTS_PER_PEER = 2;
    /** How long a request may go unanswered before its piece may be asked of another peer. */
    static final long REQUEST_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How long a peer that rejected a piece is not asked it again. */
    static final long REJECT_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** A request the caller sends to {@code peer}. */
    record Ask(InetSocketAddress peer, MetadataMessage.Request request) {
    }

    private static final MetadataOutcome ACCEPTED = new MetadataOutcome.Accepted();

    /** A peer that said a size in its handshake. */
    private static final class Source {
        final int size;
        boolean suspect;
        /** Pieces of the attempt asked of it and not yet answered nor timed out. */
        int inFlight;
        /** Piece to the time until which it is not asked again, after a reject. */
        final Map<Integer, Long> rejected = new HashMap<>();

        Source(int size, boolean suspect) {
            this.size = size;
            this.suspect = suspect;
        }
    }

    private final byte[] infoHash;
    private final Sha1 sha1 = Sha1.create();
    private final LinkedHashMap<InetSocketAddress, Source> sources = new LinkedHashMap<>();
    private final LinkedHashSet<InetSocketAddress> dropped = new LinkedHashSet<>();

    // The attempt under way, if size > 0.
    private int size;
    private byte[] buffer;
    private InetSocketAddress[] senders;
    private InetSocketAddress[] askedOf;
    private InetSocketAddress[] timedOutOf;
    private long[] deadlines;
    private int held;
    /** The one suspect asked, when all the size's peers are suspects. */
    private InetSocketAddress source;
    /** The source before it, so that the next one is another. */
    private InetSocketAddress lastSource;
    private boolean complete;

    MetadataAssembly(InfoHash infoHash) {
        this.infoHash = infoHash.bytes();
    }

    /** Whether the info dictionary was assembled; nothing more is asked then. */
    boolean complete() {
        return complete;
    }

    /** Bytes of pieces held: at most {@link #MAX_METADATA_SIZE}. */
    int heldBytes() {
        return buffer == null ? 0 : buffer.length;
    }

    /** Whether {@code peer} is a source now. */
    boolean isSource(InetSocketAddress peer) {
        return sources.containsKey(peer);
    }

    /** Whether {@code peer} is suspected of sending bad pieces. */
    boolean isSuspect(InetSocketAddress peer) {
        Source s = sources.get(peer);
        return s != null && s.suspect;
    }

    /**
     * The peer's extension handshake said {@code metadata_size}; a later handshake with another size replaces it. A
     * size out of 1..{@value #MAX_METADATA_SIZE} or a dropped peer is refused; past {@value #MAX_SOURCES} sources
     * the peer is ignored.
     */
    MetadataOutcome join(InetSocketAddress peer, int metadataSize) {
        if (complete) {
            return new MetadataOutcome.Ignored("the metadata is complete");
        }
        if (dropped.contains(peer)) {
            return new MetadataOutcome.Refused(peer + " was dropped: its metadata pieces failed the hash check");
        }
        if (metadataSize < 1 || metadataSize > MAX_METADATA_SIZE) {
            return new MetadataOutcome.Refused(peer + " claims metadata_size " + metadataSize + ", out of 1.."
                    + MAX_METADATA_SIZE);
        }
        Source old = sources.get(peer);
        if (old != null && old.size == metadataSize) {
            return ACCEPTED;
        }
        if (old == null && sources.size() >= MAX_SOURCES) {
            return new MetadataOutcome.Ignored("already " + MAX_SOURCES + " metadata sources");
        }
        boolean suspect = old != null && old.suspect;
        if (old != null) {
            leave(peer);
        }
        sources.put(peer, new Source(metadataSize, suspect));
        return ACCEPTED;
    }

    /** The peer is gone: what was asked of it may be asked of others. */
    void leave(InetSocketAddress peer) {
        if (sources.remove(peer) == null || size == 0) {
            return;
        }
        if (peer.equals(source)) {
            handOn();
            return;
        }
        for (int piece = 0; piece < askedOf.length; piece++) {
            if (peer.equals(askedOf[piece])) {
                askedOf[piece] = null;
            }
        }
    }

    /** The requests to send now, {@code now} in nanos. */
    List<Ask> requests(long now) {
        if (complete) {
            return List.of();
        }
        expire(now);
        if (size == 0 && !start()) {
            return List.of();
        }
        List<Map.Entry<InetSocketAddress, Source>> candidates = candidates();
        List<Ask> asks = new ArrayList<>();
        for (int piece = 0; piece < senders.length; piece++) {
            if (senders[piece] != null || askedOf[piece] != null) {
                continue;
            }
            Map.Entry<InetSocketAddress, Source> chosen = choose(candidates, piece, now);
            if (chosen == null) {
                continue;
            }
            askedOf[piece] = chosen.getKey();
            deadlines[piece] = now + REQUEST_TIMEOUT_NANOS;
            chosen.getValue().inFlight++;
            asks.add(new Ask(chosen.getKey(), new MetadataMessage.Request(piece)));
        }
        return asks;
    }

    /** A {@code Data} message from {@code peer}. */
    MetadataOutcome data(InetSocketAddress peer, MetadataMessage.Data data) {
        if (complete) {
            return new MetadataOutcome.Ignored("the metadata is complete");
        }
        Source s = sources.get(peer);
        if (s == null) {
            return new MetadataOutcome.Ignored(peer + " is not a metadata source");
        }
        if (data.totalSize() != s.size) {
            drop(peer);
            return new MetadataOutcome.Refused(peer + " sent total_size " + data.totalSize()
                    + " but said metadata_size " + s.size + " in its handshake");
        }
        int piece = data.piece();
        if (s.size != size || !peer.equals(askedOf[piece])) {
            return new MetadataOutcome.Ignored("piece " + piece + " was not asked of " + peer + ", or too long ago");
        }
        askedOf[piece] = null;
        s.inFlight--;
        if (buffer == null) {
            buffer = new byte[size];
        }
        byte[] bytes = data.data();
        System.arraycopy(bytes, 0, buffer, piece * MetadataMessage.PIECE_SIZE, bytes.length);
        senders[piece] = peer;
        held++;
        return held == senders.length ? verify() : ACCEPTED;
    }

    /** A {@code Reject} message from {@code peer}, {@code now} in nanos. */
    MetadataOutcome reject(InetSocketAddress peer, MetadataMessage.Reject reject, long now) {
        Source s = sources.get(peer);
        int piece = reject.piece();
        if (complete || s == null || s.size != size || piece >= askedOf.length || !peer.equals(askedOf[piece])) {
            return new MetadataOutcome.Ignored("piece " + piece + " was not asked of " + peer + ", or too long ago");
        }
        askedOf[piece] = null;
        s.inFlight--;
        s.rejected.put(piece, now + REJECT_BACKOFF_NANOS);
        if (peer.equals(source)) {
            handOn();
        }
        return ACCEPTED;
    }

    private MetadataOutcome verify() {
        byte[] info = buffer;
        if (MessageDigest.isEqual(infoHash, sha1.digest(ByteBuffer.wrap(info)))) {
            complete = true;
            discard();
            sources.clear();
            return new MetadataOutcome.Complete(info);
        }
        Set<InetSocketAddress> blamed = new LinkedHashSet<>(List.of(senders));
        Set<InetSocketAddress> suspects = new LinkedHashSet<>();
        Set<InetSocketAddress> droppedNow = new LinkedHashSet<>();
        for (InetSocketAddress sender : blamed) {
            Source s = sources.get(sender);
            if (s == null && blamed.size() > 1) {
                continue; // gone: not proven a liar, and nothing is kept of departed peers
            }
            if (s == null || blamed.size() == 1 || s.suspect) {
                drop(sender);
                droppedNow.add(sender);
            } else {
                s.suspect = true;
                suspects.add(sender);
            }
        }
        discard();
        return new MetadataOutcome.Failed(suspects, droppedNow);
    }

    /** Chooses the size of a new attempt; false if no peer said one. */
    private boolean start() {
        Map<Integer, int[]> counts = new LinkedHashMap<>(); // size to {trusted peers, peers}
        for (Source s : sources.values()) {
            int[] count = counts.computeIfAbsent(s.size, k -> new int[2]);
            count[0] += s.suspect ? 0 : 1;
            count[1]++;
        }
        int best = 0;
        int[] bestCount = null;
        for (Map.Entry<Integer, int[]> e : counts.entrySet()) {
            int[] c = e.getValue();
            if (bestCount == null || c[0] > bestCount[0] || (c[0] == bestCount[0] && c[1] > bestCount[1])) {
                best = e.getKey();
                bestCount = c;
            }
        }
        if (best == 0) {
            return false;
        }
        size = best;
        int pieces = MetadataMessage.pieceCount(size);
        senders = new InetSocketAddress[pieces];
        askedOf = new InetSocketAddress[pieces];
        timedOutOf = new InetSocketAddress[pieces];
        deadlines = new long[pieces];
        return true;
    }

    /** The peers the attempt may ask: those not suspected, or else one suspect alone. */
    private List<Map.Entry<InetSocketAddress, Source>> candidates() {
        List<Map.Entry<InetSocketAddress, Source>> trusted = new ArrayList<>();
        List<Map.Entry<InetSocketAddress, Source>> suspects = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Source> e : sources.entrySet()) {
            if (e.getValue().size == size) {
                (e.getValue().suspect ? suspects : trusted).add(e);
            }
        }
        if (!trusted.isEmpty() || suspects.isEmpty()) {
            source = null;
            return trusted;
        }
        if (source == null || !sources.containsKey(source)) {
            int after = suspects.stream().map(Map.Entry::getKey).toList().indexOf(lastSource);
            source = suspects.get((after + 1) % suspects.size()).getKey();
        }
        return List.of(Map.entry(source, sources.get(source)));
    }

    /** The least busy candidate that may be asked {@code piece}, preferring one that did not time out on it. */
    private Map.Entry<InetSocketAddress, Source> choose(List<Map.Entry<InetSocketAddress, Source>> candidates,
                                                        int piece, long now) {
        Map.Entry<InetSocketAddress, Source> best = null;
        for (Map.Entry<InetSocketAddress, Source> e : candidates) {
            Source s = e.getValue();
            Long until = s.rejected.get(piece);
            if (s.inFlight >= MAX_REQUESTS_PER_PEER || (until != null && now - until < 0)) {
                continue;
            }
            if (best == null || rank(e, piece) < rank(best, piece)) {
                best = e;
            }
        }
        return best;
    }

    private long rank(Map.Entry<InetSocketAddress, Source> e, int piece) {
        return (e.getKey().equals(timedOutOf[piece]) ? MAX_REQUESTS_PER_PEER + 1 : 0) + e.getValue().inFlight;
    }

    /** Forgets requests past their deadline, and an attempt whose size no peer claims any more. */
    private void expire(long now) {
        if (size == 0) {
            return;
        }
        if (sources.values().stream().noneMatch(s -> s.size == size)) {
            discard();
            return;
        }
        for (int piece = 0; piece < askedOf.length; piece++) {
            InetSocketAddress peer = askedOf[piece];
            if (peer != null && now - deadlines[piece] >= 0) {
                askedOf[piece] = null;
                timedOutOf[piece] = peer;
                sources.get(peer).inFlight--;
                if (peer.equals(source)) {
                    handOn();
                    return;
                }
            }
        }
    }

    /** The attempt's suspect source failed to answer: the next suspect starts it again, no one blamed. */
    private void handOn() {
        lastSource = source;
        discard();
    }

    private void drop(InetSocketAddress peer) {
        leave(peer);
        dropped.add(peer);
        if (dropped.size() > MAX_DROPPED) {
            Iterator<InetSocketAddress> oldest = dropped.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** Ends the attempt under way, its pieces and requests forgotten. */
    private void discard() {
        size = 0;
        buffer = null;
        senders = null;
        askedOf = null;
        timedOutOf = null;
        deadlines = null;
        held = 0;
        source = null;
        for (Source s : sources.values()) {
            s.inFlight = 0;
        }
    }
}
