package dev.jtorrent.peer;

import dev.jtorrent.budget.RateBudget;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.mse.EncryptionPolicy;
import dev.jtorrent.net.BindAddresses;
import dev.jtorrent.net.BufferPool;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.ProtocolException;
import dev.jtorrent.wire.WireReader;
import dev.jtorrent.wire.WireWriter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The BitTorrent handshake both ways (BEP 3), over any {@link PeerChannel}: outgoing connections send ours first and
 * expect the same info hash back; incoming ones read theirs first, find the torrent by its info hash and answer. A
 * peer that names a torrent we do not have, is ourselves, or sends something that is not a handshake, is dropped.
 * Runs on the caller's (virtual) thread. Outgoing connections are opened by its {@link Dialer}s, one a transport.
 *
 * <p>Either handshake may run under Message Stream Encryption ({@link PeerEncryption}). An outgoing connection tries
 * the handshakes its {@link EncryptionPolicy} lists, in order, each on a new connection when the one before failed
 * (as libtorrent and Transmission redial in plaintext when their encrypted attempt is closed): MSE and then
 * plaintext by default. An incoming connection is told apart by its first 20 bytes, as libtorrent does: 19 and
 * "BitTorrent protocol" is a plaintext handshake, anything else the start of an MSE one; the policy refuses either by
 * closing the connection.
 *
 * <p>What a connection that never finishes its handshake can cost us is bounded:
 * <ul>
 *   <li>Time: the whole handshake must arrive within the timeout ({@link #HANDSHAKE_TIMEOUT}, libtorrent's 10 s),
 *       measured from the start and not per read, so a peer trickling a byte at a time cannot stretch it. A {@link
 *       HandshakeDeadline} closes the channel when it passes, whatever the transport.</li>
 *   <li>Number: at most {@link #MAX_INCOMING_HANDSHAKES} incoming handshakes are in progress; a new connection past
 *       that closes the oldest. Connections that say nothing can thus hold slots only until newer ones push them
 *       out, and an honest peer, whose handshake takes a round trip, gets in even while they keep coming.</li>
 *   <li>Memory: until the handshake is in, a connection costs a channel and a parked virtual thread. The
 *       handshakes are read and written straight from the channel, without the connection's buffers.</li>
 * </ul>
 *
 * <p>A connection's buffers, its 64 KiB read buffer and its 16 KiB write batch, come from two {@link BufferPool}s
 * of the session's. The handshake's thread takes none: the connection's reader thread takes its read buffer at its
 * first read and gives it back when it closes the {@link PeerInputStream}, after its last read; its writer thread
 * takes the batch at its first message and gives it back when it closes the {@link WireWriter}, after its last
 * write. Each buffer is thus touched by one thread only, and given back by that thread when it is done, however
 * the connection ends; a connection that the swarm refuses is never started, and takes nothing. Buffers in use are
 * bounded by the connections the swarms keep (their peer limits), and idle ones by the pools' bound.
 */
public final class Handshaker {
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final String LATE = "the peer did not finish its handshake in time";
    /** The first bytes of a plaintext handshake: its length byte, 19, and "BitTorrent protocol". */
    private static final byte[] PLAINTEXT_START = ByteBuffer.allocate(20).put((byte) 19)
            .put("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII)).array();
    /** Incoming connections whose handshake we are waiting for, at most. */
    public static final int MAX_INCOMING_HANDSHAKES = 64;
    private static final int READ_BUFFER = 64 * 1024;

    private final PeerId ourId;
    /** How connections are opened: over the first transport to connect, tried in order of preference. */
    private final DialRace dialers;
    private final long timeoutNanos;
    /** Incoming connections in their handshake, oldest first. */
    private final LinkedHashSet<PeerChannel> incoming = new LinkedHashSet<>();
    private final BufferPool readBuffers;
    private final BufferPool writeBatches;
    /** The session's download rate, which every connection's reader waits for. */
    private final RateBudget download;
    /** Whether our handshakes say we run a DHT node (BEP 5). */
    private final boolean dht;
    /** Whether and how handshakes are encrypted. */
    private final PeerEncryption encryption;

    /**
     * @param idleBuffers buffers of each kind that the pools keep for new connections while nobody uses them: as
     *                    many as one torrent may have peers, so that its connections come and go without allocating
     */
    public Handshaker(PeerId ourId, BindAddresses bindAddresses, int idleBuffers) {
        this(ourId, bindAddresses, HANDSHAKE_TIMEOUT, idleBuffers);
    }

    /** A handshaker whose handshakes must be done within {@code timeout}; for tests that cannot wait 10 s. */
    public Handshaker(PeerId ourId, BindAddresses bindAddresses, Duration timeout, int idleBuffers) {
        this(ourId, List.of(new TcpDialer(bindAddresses)), timeout, idleBuffers, RateBudget.unlimited(), false);
    }

    /**
     * A handshaker whose outgoing connections are opened by {@code dialers}, in order of preference, each a head
     * start after the one before ({@link DialRace}); whose connections read piece data no faster than the session's
     * {@code download} rate; and whose handshakes say, with {@code dht}, that we run a DHT node (BEP 5's reserved
     * bit): peers that do too send us its port.
     */
    public Handshaker(PeerId ourId, List<Dialer> dialers, Duration timeout, int idleBuffers, RateBudget download,
                      boolean dht) {
        this(ourId, dialers, timeout, idleBuffers, download, dht, PeerEncryption.disabled());
    }

    /**
     * A handshaker as {@link #Handshaker(PeerId, List, Duration, int, RateBudget, boolean)} whose handshakes are
     * encrypted as {@code encryption} says.
     */
    public Handshaker(PeerId ourId, List<Dialer> dialers, Duration timeout, int idleBuffers, RateBudget download,
                      boolean dht, PeerEncryption encryption) {
        this.dialers = new DialRace(dialers, DialRace.HEAD_START);
        this.dht = dht;
        this.encryption = encryption;
        this.download = download;
        this.ourId = ourId;
        this.timeoutNanos = timeout.toNanos();
        this.readBuffers = new BufferPool(READ_BUFFER, idleBuffers);
        this.writeBatches = new BufferPool(WireWriter.DEFAULT_BATCH_SIZE, idleBuffers);
    }

    /**
     * Whether {@code address} can be dialled at all, over some transport: a session bound to IPv4 addresses alone
     * cannot reach an IPv6 peer ({@link Dialer#canReach}).
     */
    public boolean canReach(InetSocketAddress address) {
        return dialers.canReach(address);
    }

    /**
     * Connects to {@code address} for {@code swarm}, over the first transport that reaches it; hands the connection
     * to the swarm or reports the failure. Each handshake the policy lists is tried on a new connection over that
     * same transport; if every one fails there and another transport may reach the peer, that one is ruled out at the
     * address ({@link DialRace#ruleOut}) and each is tried again over the other. A peer that speaks uTP alone but
     * accepts TCP connections to close them (libtorrent with TCP off) thus still gets our encrypted handshake, over
     * uTP, when TCP happened to connect first; and a peer that refuses MSE still gets the plaintext one over the
     * transport that reached it, rather than over whichever connects next.
     */
    public void connect(InetSocketAddress address, ConnectionTarget swarm) {
        List<EncryptionPolicy.Handshake> kinds = encryption.policy().dialOrder();
        StringBuilder failures = new StringBuilder();
        Transport over = null; // null: the first transport to connect
        int kind = 0;
        for (int round = 0; round < Transport.values().length && kind < kinds.size(); ) {
            Optional<PeerChannel> channel = dial(address, over, failures);
            if (channel.isEmpty() && over == null) {
                break; // no transport reaches the peer: another handshake would not either
            }
            if (channel.isPresent()) {
                over = channel.get().transport();
                Optional<String> failure = handshakeOutgoing(channel.get(), swarm, kinds.get(kind));
                if (failure.isEmpty()) {
                    return;
                }
                String name = kinds.get(kind) == EncryptionPolicy.Handshake.MSE ? "encrypted" : "plaintext";
                failures.append(failures.isEmpty() ? "" : "; ").append(name).append(": ").append(failure.get());
            }
            if (++kind == kinds.size() && dialers.ruleOut(over, address)) {
                // Every handshake failed over that transport, and another may reach the peer: each again over it.
                kind = 0;
                over = null;
                round++;
            }
        }
        swarm.connectFailed(address, failures.toString());
    }

    /**
     * A connection to {@code address} over {@code transport}, or over the first transport that reaches it if that
     * is null; adds why it failed, for each transport, to {@code failures}.
     */
    private Optional<PeerChannel> dial(InetSocketAddress address, Transport transport, StringBuilder failures) {
        try {
            return Optional.of(transport == null ? dialers.dial(address) : dialers.dial(address, transport));
        } catch (IOException e) {
            failures.append(failures.isEmpty() ? "" : "; ").append(message(e));
            return Optional.empty();
        }
    }

    /**
     * Handshakes on a connection we opened to a peer of {@code swarm}, with the first handshake of the policy:
     * ours first, then theirs, which must name the same torrent; hands the connection to the swarm, or closes it and
     * reports the failure.
     */
    public void handshakeOutgoing(PeerChannel channel, ConnectionTarget swarm) {
        handshakeOutgoing(channel, swarm, encryption.policy().dialOrder().getFirst())
                .ifPresent(failure -> swarm.connectFailed(channel.remoteAddress(), failure));
    }

    /**
     * Handshakes on a connection we opened, plaintext or under MSE (where our handshake is MSE's initial payload);
     * hands the connection to the swarm, or closes it.
     *
     * @return why it failed, if it did
     */
    private Optional<String> handshakeOutgoing(PeerChannel channel, ConnectionTarget swarm,
                                               EncryptionPolicy.Handshake kind) {
        try (HandshakeDeadline deadline = HandshakeDeadline.start(channel, timeoutNanos)) {
            try {
                PeerChannel stream = channel;
                if (kind == EncryptionPolicy.Handshake.MSE) {
                    stream = encryption.initiate(channel, swarm.infoHash(), ours(swarm));
                } else {
                    writeHandshake(channel, ours(swarm));
                }
                Handshake theirs = readHandshake(stream, deadline);
                if (!theirs.infoHash().equals(swarm.infoHash())) {
                    throw new IOException("the peer answered for another torrent");
                }
                open(stream, theirs, true, swarm);
                return Optional.empty();
            } catch (IOException | RuntimeException e) {
                close(channel);
                return Optional.of(deadline.expired() ? LATE : message(e));
            }
        }
    }

    /** Answers an incoming TCP connection; {@code torrents} finds the swarm for an info hash. */
    public void accept(SocketChannel socket, Function<InfoHash, ? extends ConnectionTarget> torrents) {
        PeerChannel channel;
        try {
            socket.socket().setTcpNoDelay(true);
            channel = TcpChannel.of(socket);
        } catch (IOException | RuntimeException e) {
            close(socket);
            return;
        }
        accept(channel, torrents);
    }

    /** Answers an incoming connection on any transport; {@code torrents} finds the swarm for an info hash. */
    public void accept(PeerChannel channel, Function<InfoHash, ? extends ConnectionTarget> torrents) {
        admit(channel);
        try (HandshakeDeadline deadline = HandshakeDeadline.start(channel, timeoutNanos)) {
            ByteBuffer first = ByteBuffer.allocate(PLAINTEXT_START.length);
            readFully(channel, first, deadline);
            PeerChannel stream = channel;
            Handshake theirs;
            if (Arrays.equals(first.array(), PLAINTEXT_START)) {
                if (!encryption.policy().acceptsPlaintextHandshake()) {
                    close(channel); // encryption required: as libtorrent, no answer
                    return;
                }
                ByteBuffer whole = ByteBuffer.allocate(Handshake.LENGTH).put(first.flip());
                readFully(channel, whole, deadline);
                theirs = Handshake.decode(whole.array());
            } else {
                if (!encryption.policy().acceptsMse()) {
                    close(channel);
                    return;
                }
                PeerEncryption.Incoming encrypted = encryption.respond(channel, first.flip());
                stream = encrypted.channel();
                theirs = readHandshake(stream, deadline);
                if (!theirs.infoHash().equals(encrypted.infoHash())) {
                    throw new IOException("the peer's handshake names another torrent than its MSE handshake");
                }
            }
            ConnectionTarget swarm = torrents.apply(theirs.infoHash());
            if (swarm == null || theirs.peerId().equals(ourId)) {
                close(channel);
                return;
            }
            writeHandshake(stream, ours(swarm));
            open(stream, theirs, false, swarm);
        } catch (IOException | RuntimeException e) {
            close(channel);
        } finally {
            synchronized (incoming) {
                incoming.remove(channel);
            }
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Where connections take their read buffers; for tests. */
    public BufferPool readBuffers() {
        return readBuffers;
    }

    /** Where connections take their write batches; for tests. */
    public BufferPool writeBatches() {
        return writeBatches;
    }

    /** Incoming connections in their handshake now; for tests. */
    public int incomingInProgress() {
        synchronized (incoming) {
            return incoming.size();
        }
    }

    /** Counts an incoming connection in; past the limit the oldest one still in its handshake is closed. */
    private void admit(PeerChannel channel) {
        PeerChannel oldest = null;
        synchronized (incoming) {
            incoming.add(channel);
            if (incoming.size() > MAX_INCOMING_HANDSHAKES) {
                Iterator<PeerChannel> first = incoming.iterator();
                oldest = first.next();
                first.remove();
            }
        }
        if (oldest != null) {
            close(oldest); // its thread's read fails, and it goes
        }
    }

    /**
     * Reads the 68 bytes of a handshake straight from the channel, and not one byte more: the connection's buffered
     * stream, made only after it, reads the rest.
     */
    private static Handshake readHandshake(PeerChannel channel, HandshakeDeadline deadline) throws IOException {
        try {
            return new WireReader(channel).readHandshake();
        } catch (IOException e) {
            throw deadline.expired() ? new IOException(LATE, e) : e;
        }
    }

    /** Fills {@code buffer} from the channel. */
    private static void readFully(PeerChannel channel, ByteBuffer buffer, HandshakeDeadline deadline)
            throws IOException {
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    throw new ProtocolException("the peer closed the connection in its handshake");
                }
            }
        } catch (IOException e) {
            throw deadline.expired() ? new IOException(LATE, e) : e;
        }
    }

    /** Sends the 68 bytes of a handshake straight to the channel, not through the connection's writer. */
    private static void writeHandshake(PeerChannel channel, Handshake handshake) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(handshake.encode());
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Hands the connection to the swarm, with a stream and a writer that take their buffers when first used. */
    private void open(PeerChannel channel, Handshake theirs, boolean outgoing, ConnectionTarget swarm) {
        PeerInputStream input = PeerInputStream.of(channel, readBuffers);
        swarm.accept(SocketConnection.open(channel, theirs, outgoing, input, new WireReader(input),
                new WireWriter(channel, writeBatches), swarm.validator(theirs), download));
    }

    /** Ours: we speak the extension protocol (BEP 10) and the fast extension (BEP 6), and the DHT if we run it. */
    private Handshake ours(ConnectionTarget swarm) {
        return Handshake.of(swarm.infoHash(), ourId).withExtensionProtocol(true).withFast(true)
                .withDht(dht && !swarm.isPrivate());
    }

    private static void close(Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // already failing; nothing to add
        }
    }
}
