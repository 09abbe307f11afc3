package dev.jtorrent.utp;

import java.nio.ByteBuffer;

/**
 * One uTP connection (BEP 29) without I/O: it takes packets that arrived, the application's reads and writes, and
 * the time (nanoseconds, an argument everywhere), and hands the datagrams to send to its {@link PacketSink} at once.
 * Nothing here reads a clock, a socket or a random source, so a simulated network drives it deterministically.
 * Not thread-safe: its owner ({@link UtpStream}) calls it under one lock.
 *
 * <p>The facts that BEP 29 leaves out are libtorrent's ({@code utp_stream.cpp}):
 * <ul>
 * <li>Ids: the opener picks {@code recv_id}, sends its SYN with it and everything after with {@code recv_id + 1};
 * the acceptor receives on the SYN's id + 1 and sends with the SYN's id. The opener's SYN is sequence number 1; the
 * acceptor picks a random first sequence number, which its STATE answer carries without using it.</li>
 * <li>An acknowledgement for a packet never sent ({@code ack_nr} past the last one sent) or far behind the oldest in
 * flight makes the whole packet ignored; so does a sequence number too far ahead to be kept.</li>
 * <li>Three duplicate ACKs (STATE packets that acknowledge nothing new while packets are in flight), or three
 * packets acknowledged by a selective ACK past a gap, resend the packets of the gap at once (fast retransmit) and
 * halve the window, once per round of loss.</li>
 * <li>Timeouts: 1 s before the first round trip is measured, then {@code max(rtt + 4 rtt_var, 500 ms)}, doubled
 * for each in a row; any packet heard resets the count. The connection gives up after {@link #MAX_TIMEOUTS}
 * timeouts in a row ({@link #MAX_SYN_TIMEOUTS} for a SYN, {@link #MAX_FIN_TIMEOUTS} for a FIN), as libtorrent's
 * {@code utp_num_resends}, {@code utp_syn_resends} and {@code utp_fin_resends}. An accepted connection whose
 * opener never answers after its SYN (the address may be spoofed) is dropped silently after
 * {@link #SYN_RECEIVED_TIMEOUT_NANOS}; until it answers, it sends no data, only the one STATE per SYN.</li>
 * <li>The window advertised is the receive buffer left: {@code receiveWindow} minus what waits to be read and what
 * is held out of order; data that does not fit is dropped (and acknowledged as far as it got). After reads free half
 * the window, a STATE tells the sender at once.</li>
 * <li>Acknowledgements are deferred: a received packet sets {@link #ackPending()}, and the owner calls
 * {@link #flushAck} once the socket has no more datagrams waiting, so a burst costs one ACK, as libtorrent's
 * {@code defer_ack} does; any packet sent carries the acknowledgement too. A quarter window of data unacknowledged
 * sends one at once.</li>
 * <li>Keep-alive: a STATE after {@link #KEEPALIVE_NANOS} with nothing sent (libutp's 29 s), so NAT mappings live.</li>
 * <li>Close: FIN goes after the data written, its sequence number is {@code eof_pkt}, and the receiver delivers the
 * stream's end once everything before it arrived. RESET ends at once; a RESET is believed only if its
 * {@code ack_nr} is one we could have sent.</li>
 * </ul>
 */
public final class UtpConnection {
    /** Where the datagrams go; the buffer is only valid during the call. */
    @FunctionalInterface
    public interface PacketSink {
        void send(ByteBuffer datagram);
    }

    /** The states; {@link #CLOSED} and {@link #RESET} are final. */
    public enum State {
        SYN_SENT, SYN_RECEIVED, CONNECTED, FIN_SENT, CLOSED, RESET
    }

    static final int MAX_TIMEOUTS = 3;
    static final int MAX_SYN_TIMEOUTS = 2;
    static final int MAX_FIN_TIMEOUTS = 2;
    static final int DUP_ACK_LIMIT = 3;
    /** Packets fast-resent for one selective ACK at most (libtorrent: 5). */
    static final int MAX_FAST_RESENDS = 8;
    /** Resends of one packet that later packets overtook, at most (at 5% loss, 9 in a row are 2e-12 likely). */
    static final int MAX_FAST_RESENDS_OF_A_PACKET = 8;
    static final long SYN_RECEIVED_TIMEOUT_NANOS = 3_000_000_000L;
    static final long KEEPALIVE_NANOS = 29_000_000_000L;
    /** Acknowledgements may be this far behind sequence numbers we sent before a packet is ignored (libtorrent). */
    private static final int OLD_ACK_SLACK = DUP_ACK_LIMIT;

    private final PacketSink sink;
    private final UtpLimits limits;
    private final int recvId;
    private final int sendId;
    private final int ownMaxDatagram;
    private State state;
    private String failure;
    private final long createdAt;

    // sending
    private final ByteRing sendRing;
    /** The stream offset of {@link #sendRing}'s first byte. */
    private long sendBase;
    /** The stream offset of the first byte not yet in a packet. */
    private long unsent;
    private final InFlight flight;
    private final Ledbat ledbat = new Ledbat();
    private final RttEstimator rtt = new RttEstimator();
    private final BaseDelay baseDelay = new BaseDelay();
    private final PathMtu mtu;
    private long peerWindow = Ledbat.INITIAL_WINDOW;
    private int duplicateAcks;
    private int timeouts;
    private long timeoutAt;
    private long lastSentAt;
    private boolean windowLimited;
    private boolean closeRequested;
    private boolean finAcked;
    private int replyMicros;
    private boolean sendOwnMaxDatagram;
    private ByteBuffer scratch;
    private long packetsSent;
    private long packetsResent;
    private long timeoutsSeen;

    private final ReceiveSide in;

    private UtpConnection(PacketSink sink, UtpLimits limits, OutOfOrderBudget budget, int recvId, int sendId,
            int firstSeq, int pathCeiling, State state, long now) {
        this.sink = sink;
        this.limits = limits;
        this.recvId = recvId;
        this.sendId = sendId;
        this.state = state;
        this.createdAt = now;
        this.ownMaxDatagram = Math.min(pathCeiling, UtpPacket.MAX_DATAGRAM);
        this.sendRing = new ByteRing(limits.sendBuffer());
        this.in = new ReceiveSide(limits, budget);
        this.flight = new InFlight(firstSeq);
        // Until the peer says it takes more, send what every uTP peer takes whole.
        this.mtu = new PathMtu(Math.min(ownMaxDatagram, UtpPacket.ETHERNET_PAYLOAD));
        this.timeoutAt = now + rtt.timeoutMicros(0) * 1000;
        this.lastSentAt = now;
    }

    /**
     * Opens a connection: sends a SYN on {@code recvId} at once.
     *
     * @param pathCeiling the largest datagram the local interface carries to this peer
     */
    public static UtpConnection open(PacketSink sink, UtpLimits limits, OutOfOrderBudget budget, int recvId,
            int pathCeiling, long now) {
        UtpConnection c = new UtpConnection(sink, limits, budget, recvId & SeqNr.MASK, SeqNr.plus(recvId, 1), 1,
                pathCeiling, State.SYN_SENT, now);
        c.sendOwnMaxDatagram = true;
        int seq = c.flight.add(UtpType.SYN, 0, 0, UtpPacket.HEADER_BYTES);
        c.transmit(seq, now);
        return c;
    }

    /**
     * Accepts a connection from its SYN: answers with one STATE, of the SYN's own size at most.
     *
     * @param firstSeq a random sequence number, the caller's
     */
    public static UtpConnection accept(PacketSink sink, UtpLimits limits, OutOfOrderBudget budget, UtpPacket syn,
            int firstSeq, int pathCeiling, long now) {
        UtpConnection c = new UtpConnection(sink, limits, budget, SeqNr.plus(syn.connectionId(), 1),
                syn.connectionId(), firstSeq & SeqNr.MASK, pathCeiling, State.SYN_RECEIVED, now);
        c.in.start(syn.seqNr());
        c.learnPeer(syn, now);
        if (syn.maxDatagram() > 0) {
            c.mtu.setCeiling(Math.min(c.ownMaxDatagram, syn.maxDatagram()));
        }
        c.sendOwnMaxDatagram = syn.maxDatagram() > 0; // answer in kind, never larger than the SYN
        c.sendState(now);
        return c;
    }

    public State state() {
        return state;
    }

    /** Why the connection failed (reset, timed out), or null. */
    public String failure() {
        return failure;
    }

    public int recvId() {
        return recvId;
    }

    public int sendId() {
        return sendId;
    }

    public boolean isOpen() {
        return state == State.CONNECTED || state == State.FIN_SENT;
    }

    public boolean isFinished() {
        return state == State.CLOSED || state == State.RESET;
    }

    /** Whether the opener has answered since its SYN (always true for a connection we opened, once connected). */
    public boolean isConfirmed() {
        return state != State.SYN_RECEIVED && state != State.SYN_SENT;
    }

    /** Bytes the application can read now without waiting. */
    public int available() {
        return in.available();
    }

    /** Whether a read returns at once: data, the stream's end, or a failure. */
    public boolean readable() {
        return in.available() > 0 || in.eof() || isFinished();
    }

    /** Bytes a write can take now. */
    public int writable() {
        return closeRequested ? 0 : sendRing.free();
    }

    public boolean endOfStream() {
        return in.endOfStream();
    }

    public boolean ackPending() {
        return in.ackPending();
    }

    /** The largest datagram ordinary packets use now. */
    public int packetSize() {
        return mtu.packetSize();
    }

    public long congestionWindow() {
        return ledbat.window();
    }

    /** The last sequence number received in order. */
    int ackNr() {
        return in.ackNr();
    }

    /** The sequence number the next packet sent will take. */
    int nextSeq() {
        return flight.next();
    }

    long bytesInFlight() {
        return flight.bytesInFlight();
    }

    long outOfOrderBytes() {
        return in.outOfOrderBytes();
    }

    /** Memory held in buffers now, in bytes. */
    long bufferedBytes() {
        return sendRing.allocated() + in.allocated() + (scratch == null ? 0 : scratch.capacity());
    }

    /** The numbers to look at when a connection is slow, in one line. */
    @Override
    public String toString() {
        return state + " cwnd " + ledbat.window() + (ledbat.inSlowStart() ? " (slow start)" : "") + " in flight "
                + flight.bytesInFlight() + " in " + flight.count() + " packets, packet " + mtu.packetSize() + "/"
                + mtu.ceiling() + ", peer window " + peerWindow + ", rtt " + rtt.rttMicros() + " us, sent "
                + packetsSent + " (" + packetsResent + " again), " + timeoutsSeen + " timeouts, send buffer "
                + sendRing.size() + ", received " + in.available() + " + " + in.outOfOrderBytes() + " out of order";
    }

    // ---- the application

    /** Copies what fits of {@code src} into the send buffer and sends what the windows allow; returns the count. */
    public int write(ByteBuffer src, long now) {
        if (closeRequested || isFinished() || in.eof()) {
            return 0;
        }
        int n = sendRing.write(src);
        if (n > 0) {
            flush(now);
        }
        return n;
    }

    /** Moves received bytes into {@code dst}: the count, or -1 at the end of the stream. */
    public int read(ByteBuffer dst) {
        return in.read(dst);
    }

    /** Sends FIN once the data written has gone out; the connection closes when it is acknowledged. */
    public void close(long now) {
        switch (state) {
            case SYN_SENT, SYN_RECEIVED -> finish(State.CLOSED, null);
            case CONNECTED -> {
                if (in.eof()) {
                    flushAck(now);
                    finish(State.CLOSED, null);
                } else {
                    closeRequested = true;
                    flush(now);
                }
            }
            default -> {
            }
        }
    }

    /** Sends RESET and ends at once. */
    public void abort(long now) {
        if (isFinished()) {
            return;
        }
        if (state != State.SYN_RECEIVED) {
            sendBare(UtpType.RESET, now);
        }
        finish(State.RESET, "aborted");
    }

    // ---- the network

    /** Takes a packet addressed to this connection (its id and address matched). */
    public void receive(UtpPacket p, ByteBuffer datagram, long now) {
        if (isFinished()) {
            return;
        }
        if (p.type() == UtpType.SYN) {
            if (state == State.SYN_RECEIVED && p.seqNr() == in.ackNr()) {
                sendState(now); // our answer was lost: the opener sent its SYN again
            }
            return;
        }
        int lastSent = SeqNr.plus(flight.next(), -1);
        if (SeqNr.before(lastSent, p.ackNr())
                || SeqNr.before(p.ackNr(), SeqNr.plus(flight.oldest(), -1 - OLD_ACK_SLACK))) {
            return; // acknowledges what we never sent, or long ago: forged or stale
        }
        if (state == State.SYN_RECEIVED && p.ackNr() != lastSent) {
            return; // the opener's first answer acknowledges our STATE, whose number we did not use
        }
        if (p.type() == UtpType.RESET) {
            finish(State.RESET, "connection reset by peer");
            return;
        }
        if (state != State.SYN_SENT && p.type() == UtpType.DATA && in.tooFarAhead(p.seqNr())) {
            return; // too far ahead to keep: an attack or a badly broken path; drop it whole, as libtorrent
        }
        if (state == State.SYN_SENT) {
            if (p.ackNr() != 1) {
                return;
            }
            state = State.CONNECTED;
            in.start(SeqNr.plus(p.seqNr(), -1));
            if (p.maxDatagram() > 0) {
                mtu.setCeiling(Math.min(ownMaxDatagram, p.maxDatagram()));
            }
        } else if (state == State.SYN_RECEIVED) {
            state = State.CONNECTED;
        }
        sendOwnMaxDatagram = false;
        learnPeer(p, now);
        timeouts = 0;
        timeoutAt = now + rtt.timeoutMicros(0) * 1000;

        long inFlightBefore = flight.bytesInFlight();
        long delay = p.timestampDifferenceMicros() == 0 ? -1 : baseDelay.add(p.timestampDifferenceMicros(), now);
        long acked = acknowledge(p, datagram, now);
        if (isFinished()) {
            return;
        }
        if (acked > 0) {
            ledbat.onAck(acked, delay, inFlightBefore, mtu.packetSize(), windowLimited);
        }
        long fromOldest = flight.oldestOffset(unsent);
        if (fromOldest > sendBase) {
            sendRing.discard((int) (fromOldest - sendBase));
            sendBase = fromOldest;
        }
        if (finAcked && state == State.FIN_SENT) {
            finish(State.CLOSED, null);
            return;
        }
        switch (p.type()) {
            case DATA -> in.data(p.seqNr(), datagram, p.payloadOffset(), p.payloadLength());
            case FIN -> in.fin(p.seqNr());
            default -> {
            }
        }
        flush(now);
        if (in.ackOverdue()) {
            flushAck(now);
        }
    }

    /** Sends the deferred acknowledgement, if one is due. */
    public void flushAck(long now) {
        if (in.ackPending() && !isFinished() && state != State.SYN_SENT) {
            sendState(now);
        }
    }

    /** Timeouts, resends, keep-alive; call every few tens of milliseconds. */
    public void tick(long now) {
        if (isFinished()) {
            return;
        }
        if (state == State.SYN_RECEIVED) {
            if (now - createdAt >= SYN_RECEIVED_TIMEOUT_NANOS) {
                finish(State.CLOSED, "the opener never answered");
            }
            return;
        }
        flushAck(now);
        boolean waiting = flight.count() > 0;
        if (waiting && now >= timeoutAt) {
            timeouts++;
            timeoutsSeen++;
            int max = switch (state) {
                case SYN_SENT -> MAX_SYN_TIMEOUTS;
                case FIN_SENT -> MAX_FIN_TIMEOUTS;
                default -> MAX_TIMEOUTS;
            };
            if (timeouts > max) {
                if (state == State.FIN_SENT) {
                    finish(State.CLOSED, null);
                } else {
                    finish(State.RESET, state == State.SYN_SENT ? "connection timed out" : "timed out: "
                            + timeouts + " timeouts in a row with nothing heard");
                }
                return;
            }
            if (flight.count() == 1 && mtu.isProbe(flight.oldest())) {
                mtu.probeLost(); // only the probe was out: it was too big, most likely, not congestion
                timeouts--;
            } else {
                ledbat.onTimeout(mtu.packetSize(), false);
                mtu.forgetProbe();
            }
            flight.loseAll();
            timeoutAt = now + rtt.timeoutMicros(timeouts) * 1000;
            int first = flight.firstToResend();
            if (first >= 0) {
                transmit(first, now);
            }
            flush(now);
            return;
        }
        if (!waiting) {
            timeoutAt = now + rtt.timeoutMicros(timeouts) * 1000;
            if (unsent < sendBase + sendRing.size() && peerWindow < mtu.packetSize()) {
                windowLimited = false;
                sendNew(now, true); // a zero window: probe it once a timeout
            }
        }
        if (state == State.CONNECTED && now - lastSentAt >= KEEPALIVE_NANOS) {
            sendState(now);
        }
    }

    // ---- acknowledgements

    private long acknowledge(UtpPacket p, ByteBuffer datagram, long now) {
        long acked = 0;
        int cumulative = p.ackNr();
        if (flight.count() > 0 && !SeqNr.before(cumulative, flight.oldest())) {
            for (int s = flight.oldest(); s != SeqNr.plus(cumulative, 1); s = SeqNr.plus(s, 1)) {
                if (flight.holds(s)) {
                    acked += ackOne(s, now);
                }
            }
            duplicateAcks = 0;
        } else if (flight.count() > 0 && cumulative == SeqNr.plus(flight.oldest(), -1)
                && p.type() == UtpType.STATE) {
            duplicateAcks++;
        }
        if (p.sackLength() > 0) {
            acked += selectiveAck(cumulative, datagram, p.sackOffset(), p.sackLength(), now);
        }
        if (duplicateAcks >= DUP_ACK_LIMIT && flight.count() > 0 && mayFastResend(flight.oldest(), now)) {
            fastResend(flight.oldest(), now);
        }
        return acked;
    }

    private int ackOne(int seq, long now) {
        if (flight.type(seq) == UtpType.FIN) {
            finAcked = true;
        }
        if (mtu.isProbe(seq)) {
            mtu.probeAcked();
            ledbat.atLeast(mtu.packetSize());
        }
        if (flight.transmissions(seq) == 1) {
            rtt.sample((now - flight.sentAt(seq)) / 1000);
        }
        return flight.acknowledge(seq);
    }

    private long selectiveAck(int cumulative, ByteBuffer datagram, int offset, int length, long now) {
        long acked = 0;
        int base = SeqNr.plus(cumulative, 2);
        int bits = length * 8;
        int sent = SeqNr.before(base, flight.next()) ? SeqNr.distance(base, flight.next()) : 0;
        for (int i = 0; i < bits; i++) {
            if ((datagram.get(offset + i / 8) & (1 << (i % 8))) != 0) {
                int s = SeqNr.plus(base, i);
                if (flight.holds(s)) {
                    acked += ackOne(s, now);
                }
            }
        }
        // A gap followed by DUP_ACK_LIMIT acknowledged packets is taken for lost: resend it at once.
        int after = 0;
        int resent = 0;
        for (int i = bits - 1; i >= -1 && resent < MAX_FAST_RESENDS && !isFinished(); i--) {
            // only bits for packets we sent count: a forged mask of ones must not trigger resends
            boolean set = i >= 0 && i < sent && (datagram.get(offset + i / 8) & (1 << (i % 8))) != 0;
            if (set) {
                after++;
                continue;
            }
            int s = SeqNr.plus(base, i);
            if (after >= DUP_ACK_LIMIT && flight.holds(s) && mayFastResend(s, now)) {
                fastResend(s, now);
                resent++;
            }
        }
        return acked;
    }

    /**
     * Whether a packet reported missing may be resent now: once at once, and again only if it is still missing a
     * round trip (and its variance) after the last resend. libtorrent resends it once and then waits for a timeout;
     * but any packet heard restarts the timeout, so while the peer acknowledges later packets a lost resend held
     * the stream until the whole window had gone out around the gap (seconds, in a test with 5% loss).
     */
    private boolean mayFastResend(int seq, long now) {
        if (flight.transmissions(seq) == 0) {
            return false;
        }
        return flight.fastResends(seq) == 0 || now - flight.sentAt(seq) >= rtt.recoveryMicros() * 1000;
    }

    private void fastResend(int seq, long now) {
        if (flight.fastResends(seq) >= MAX_FAST_RESENDS_OF_A_PACKET) {
            // the peer keeps getting later packets and never this one: a path that drops its size (a lost probe
            // on a path whose ICMP is filtered), not chance; libtorrent's connection times out then too
            finish(State.RESET, "packet " + seq + " lost " + (MAX_FAST_RESENDS_OF_A_PACKET + 1)
                    + " times while later ones arrived");
            return;
        }
        flight.markFastResent(seq);
        duplicateAcks = 0;
        if (mtu.isProbe(seq)) {
            mtu.probeLost();
        } else {
            ledbat.onLoss(now, mtu.packetSize());
        }
        transmit(seq, now);
    }

    // ---- sending

    private void flush(long now) {
        if (state != State.CONNECTED && state != State.FIN_SENT) {
            return;
        }
        windowLimited = false;
        int resend;
        while ((resend = flight.firstToResend()) >= 0) {
            if (!fits(flight.length(resend))) {
                return;
            }
            transmit(resend, now);
        }
        while (sendNew(now, false)) {
            // as many packets as the windows allow
        }
        if (closeRequested && state == State.CONNECTED && unsent == sendBase + sendRing.size() && !flight.full()) {
            int seq = flight.add(UtpType.FIN, unsent, 0, UtpPacket.HEADER_BYTES);
            state = State.FIN_SENT;
            transmit(seq, now);
        }
    }

    /** Whether {@code payload} more bytes fit the windows; notes when the congestion window was what stopped it. */
    private boolean fits(int payload) {
        long peer = Math.min(peerWindow, limits.sendBuffer()); // a huge claim still stops at our own buffer
        long window = Math.min(ledbat.window(), peer);
        if (flight.bytesInFlight() == 0 || flight.bytesInFlight() + payload <= window) {
            return true;
        }
        windowLimited = ledbat.window() <= peer;
        return false;
    }

    /** Puts the next unsent bytes into a packet and sends it, if the windows allow; false if nothing went. */
    private boolean sendNew(long now, boolean force) {
        long left = sendBase + sendRing.size() - unsent;
        if (left <= 0 || flight.full()) {
            return false;
        }
        int sack = in.sackBytes();
        int header = UtpPacket.HEADER_BYTES + (sack > 0 ? 2 + sack : 0);
        int size = mtu.packetSize();
        int probe = mtu.nextProbe();
        // a zero-window probe (forced) is never an MTU probe: its loss says the window is shut, not the path narrow
        boolean isProbe = !force && probe > 0 && ledbat.window() > 3L * size && left >= probe - header
                && peerWindow >= probe;
        if (isProbe) {
            size = probe;
        }
        int payload = (int) Math.min(left, size - header);
        if (!force && !fits(payload)) {
            return false;
        }
        if (!force && peerWindow < payload && flight.bytesInFlight() == 0 && peerWindow < mtu.packetSize()) {
            return false; // a closed window: the tick probes it
        }
        int seq = flight.add(UtpType.DATA, unsent, payload, header + payload);
        unsent += payload;
        if (isProbe) {
            mtu.probeSent(seq, header + payload);
        }
        transmit(seq, now);
        return true;
    }

    /** Sends (or sends again) the packet {@code seq} of the flight. */
    private void transmit(int seq, long now) {
        if (flight.bytesInFlight() == 0 && flight.count() <= 1) {
            timeoutAt = now + rtt.timeoutMicros(timeouts) * 1000;
        }
        UtpType type = flight.type(seq);
        int payload = flight.length(seq);
        int sack = type == UtpType.SYN ? 0 : in.sackBytes();
        ByteBuffer out = scratch(UtpPacket.HEADER_BYTES + 2 + Reassembly.MAX_SACK_BYTES + 4 + payload);
        putHeader(out, type, seq, sack, now);
        if (payload > 0) {
            sendRing.copy((int) (flight.offset(seq) - sendBase), out, payload);
        }
        if (flight.transmissions(seq) > 0) {
            packetsResent++;
        }
        flight.sent(seq, now);
        packetsSent++;
        emit(out, now);
    }

    private void sendState(long now) {
        sendBare(UtpType.STATE, now);
    }

    private void sendBare(UtpType type, long now) {
        int sack = type == UtpType.STATE ? in.sackBytes() : 0;
        ByteBuffer out = scratch(UtpPacket.HEADER_BYTES + 2 + Reassembly.MAX_SACK_BYTES + 4);
        putHeader(out, type, flight.next(), sack, now);
        emit(out, now);
    }

    private void putHeader(ByteBuffer out, UtpType type, int seq, int sack, long now) {
        boolean ownMax = sendOwnMaxDatagram && (type == UtpType.SYN || type == UtpType.STATE);
        int first = sack > 0 ? UtpPacket.EXTENSION_SACK
                : ownMax ? UtpPacket.EXTENSION_MAX_DATAGRAM : UtpPacket.EXTENSION_NONE;
        long window = in.freeWindow();
        int id = type == UtpType.SYN ? recvId : sendId;
        UtpPacket.putHeader(out, type, first, id, (int) (now / 1000), replyMicros, window, seq, in.ackNr());
        if (sack > 0) {
            out.put((byte) (ownMax ? UtpPacket.EXTENSION_MAX_DATAGRAM : UtpPacket.EXTENSION_NONE));
            out.put((byte) sack);
            in.writeSack(out, sack);
        }
        if (ownMax) {
            out.put((byte) UtpPacket.EXTENSION_NONE);
            out.put((byte) UtpPacket.MAX_DATAGRAM_EXTENSION_BYTES);
            out.putShort((short) ownMaxDatagram);
        }
        in.acknowledged(window);
    }

    private void emit(ByteBuffer out, long now) {
        out.flip();
        lastSentAt = now;
        sink.send(out);
    }

    private ByteBuffer scratch(int needed) {
        if (scratch == null || scratch.capacity() < needed) {
            int size = Math.max(needed, Math.min(mtu.ceiling(), UtpPacket.MAX_DATAGRAM) + 256);
            scratch = ByteBuffer.allocateDirect(size);
        }
        return scratch.clear();
    }

    private void learnPeer(UtpPacket p, long now) {
        if (p.timestampMicros() != 0) {
            replyMicros = (int) (now / 1000) - p.timestampMicros();
        }
        if (p.type() != UtpType.SYN) {
            peerWindow = p.windowSize();
        }
    }

    private void finish(State end, String reason) {
        state = end;
        failure = reason;
        in.clear();
    }
}
