package dev.jtorrent.testkit;

import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.peer.BlockMemory;
import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.DownloadLimit;
import dev.jtorrent.peer.Intake;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerMessageValidator;
import dev.jtorrent.wire.ProtocolException;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One end of a connection on the {@link SimNetwork}, as a swarm sees a connection: it queues what the swarm sends,
 * hands it to the network at each {@link #flush}, and takes what arrives through jtorrent's own {@link Intake} (so
 * piece data goes into a piece only where this peer was asked for it, and every message is checked against the
 * torrent), handing the events to the swarm. Its timers follow the simulated clock.
 *
 * <p>Under a download limit it stops reading, as a socket's reader does: what arrives meanwhile waits, until the
 * limit lets it go on. The simulated network always takes what is sent, so a writer is never stuck ({@link #sendStalled} is false):
 * peers that stop reading are a matter of real sockets, tested with them.
 */
public final class SimConnection implements PeerConnection {
    private final SimNetwork network;
    private final Simulation sim;
    /** Counted per network, so that sets of connections iterate in the same order in every run. */
    private final int id;
    private final SimHost host;
    private final InetSocketAddress address;
    private final Handshake remote;
    private final boolean outgoing;
    private final Intake intake;
    private SimConnection other;
    private Consumer<PeerEvent> events;
    private Intake.Sink sink;
    private DownloadLimit limit = DownloadLimit.NONE;
    /** What arrived and is not read yet: before {@link #start}, or while the download limit holds reading back. */
    private final ArrayDeque<Message> unread = new ArrayDeque<>();
    /** The download limit holds reading back until a task of the simulation resumes it. */
    private boolean heldBack;
    /** Messages, and the runnables of lent pieces in {@link #lent}, queued since the last flush. */
    private final List<Message> unflushed = new ArrayList<>();
    private final List<Runnable> lent = new ArrayList<>();
    private boolean closed;
    private CloseReason closeReason;
    private long lastHeard;
    private long lastQueued;
    private long payloadWritten;
    /** When the last thing sent on this connection arrives: TCP delivers in order. */
    private long lastArrival;

    SimConnection(SimNetwork network, int id, SimHost host, InetSocketAddress address, Handshake remote,
                  boolean outgoing) {
        this.network = network;
        this.sim = network.sim();
        this.id = id;
        this.host = host;
        this.address = address;
        this.remote = remote;
        this.outgoing = outgoing;
        InfoDictionary info = host.info();
        this.intake = new Intake(this, new PeerMessageValidator(info.pieceCount(), info::pieceSize,
                remote.supportsFast(), remote.supportsExtensionProtocol()));
        this.lastHeard = sim.now();
        this.lastQueued = sim.now();
    }

    void pair(SimConnection otherEnd) {
        this.other = otherEnd;
    }

    SimHost host() {
        return host;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public Handshake remote() {
        return remote;
    }

    @Override
    public boolean outgoing() {
        return outgoing;
    }

    @Override
    public void start(Consumer<PeerEvent> events, BlockMemory memory, DownloadLimit downloadLimit) {
        this.events = events;
        this.sink = intake.sink(memory);
        this.limit = downloadLimit;
        read();
        if (closed) {
            emit(new PeerEvent.Closed(this, closeReason));
        }
    }

    @Override
    public void send(Message message) {
        if (closed) {
            return;
        }
        if (message instanceof Message.Request r) {
            intake.asked(new BlockRef(r.piece(), r.begin(), r.length()));
        }
        unflushed.add(message);
        lastQueued = sim.now();
    }

    @Override
    public void send(Message.Piece piece, Runnable sent) {
        if (closed) {
            sent.run();
            return;
        }
        // The data is lent: the network carries a copy, and the loan ends once the uplink has sent it.
        ByteBuffer copy = ByteBuffer.allocate(piece.data().remaining()).put(piece.data().duplicate()).flip();
        unflushed.add(new Message.Piece(piece.piece(), piece.begin(), copy));
        lent.add(sent);
        lastQueued = sim.now();
    }

    @Override
    public void flush() {
        if (unflushed.isEmpty()) {
            return;
        }
        List<Message> batch = List.copyOf(unflushed);
        List<Runnable> loans = List.copyOf(lent);
        unflushed.clear();
        lent.clear();
        if (closed) {
            loans.forEach(Runnable::run);
            return;
        }
        long payload = 0;
        for (Message message : batch) {
            if (message instanceof Message.Piece piece) {
                payload += piece.data().remaining();
            }
        }
        long written = payload;
        network.transmit(this, other, batch, () -> {
            payloadWritten += written;
            loans.forEach(Runnable::run);
        });
    }

    /** The time a message sent now arrives, given {@code earliest}: never before what was sent before it. */
    long inOrder(long earliest) {
        lastArrival = Math.max(lastArrival, earliest);
        return lastArrival;
    }

    /** Messages from the other end arrive; they are read now, unless reading has not started or is held back. */
    void receive(List<Message> messages) {
        if (closed) {
            return;
        }
        for (Message message : messages) {
            sim.trace(other.host.address() + " -> " + host.address() + " " + describe(message));
        }
        unread.addAll(messages);
        if (events != null && !heldBack) {
            read();
        }
    }

    /**
     * Reads what has arrived, each message through the intake, and hands it to the swarm as one burst; stops after
     * a block that the download limit says to wait after, and reads on when it has waited.
     */
    private void read() {
        if (unread.isEmpty() || closed) {
            return;
        }
        lastHeard = sim.now();
        List<PeerEvent> burst = new ArrayList<>(unread.size());
        try {
            for (Message message = unread.poll(); message != null; message = unread.poll()) {
                if (message instanceof Message.Piece piece) {
                    ByteBuffer destination = sink.destination(piece.piece(), piece.begin(), piece.data().remaining());
                    if (destination != null) {
                        destination.put(piece.data().duplicate());
                    }
                }
                burst.add(intake.received(message, sink));
                long wait = message instanceof Message.Piece ? limit.delayAfter(sink.lastLength(), sim.now()) : 0;
                if (wait > 0) {
                    heldBack = true;
                    sim.schedule(wait, () -> {
                        heldBack = false;
                        read();
                    });
                    break;
                }
            }
        } catch (ProtocolException e) {
            handOver(burst);
            close(CloseReason.of(CloseReason.Kind.PROTOCOL_VIOLATION, e.getMessage()));
            return;
        }
        handOver(burst);
    }

    private void handOver(List<PeerEvent> burst) {
        if (burst.size() == 1) {
            emit(burst.getFirst());
        } else if (!burst.isEmpty()) {
            emit(new PeerEvent.Burst(this, burst));
        }
    }

    private void emit(PeerEvent event) {
        events.accept(event);
    }

    @Override
    public void checkTimers(long now) {
        if (now - lastHeard > SILENCE_LIMIT_NANOS) {
            close(CloseReason.of(CloseReason.Kind.TIMED_OUT, "the peer sent nothing for 180 s"));
        } else if (now - lastQueued > KEEP_ALIVE_NANOS) {
            send(new Message.KeepAlive());
        }
    }

    /** Closes this end; the other end hears of it once what was sent before has arrived. */
    @Override
    public void close(CloseReason reason) {
        if (closed) {
            return;
        }
        closed = true;
        closeReason = reason;
        lent.forEach(Runnable::run);
        lent.clear();
        unflushed.clear();
        unread.clear();
        sim.trace(host.address() + " closed " + address + ": " + reason);
        if (events != null) {
            // Later, as a socket's reader would report it: never inside the swarm's own call.
            sim.schedule(0, () -> emit(new PeerEvent.Closed(this, reason)));
        }
        SimConnection otherEnd = other;
        sim.scheduleAt(network.closeArrival(this), otherEnd::closedByPeer);
    }

    private void closedByPeer() {
        if (closed) {
            return;
        }
        closed = true;
        closeReason = CloseReason.of(CloseReason.Kind.PEER_CLOSED, "the peer closed the connection");
        lent.forEach(Runnable::run);
        lent.clear();
        unflushed.clear();
        if (events != null) {
            emit(new PeerEvent.Closed(this, closeReason));
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean sendStalled(long now) {
        return false;
    }

    @Override
    public long takePayloadWritten() {
        long written = payloadWritten;
        payloadWritten = 0;
        return written;
    }

    /** Why it closed, or null while it is open. */
    public CloseReason closeReason() {
        return closeReason;
    }

    /** The same in every run, unlike an identity hash code: sets of connections iterate alike. */
    @Override
    public int hashCode() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    private static String describe(Message message) {
        return switch (message) {
            case Message.Piece p -> "piece " + p.piece() + "/" + p.begin();
            case Message.Bitfield b -> "bitfield";
            case Message.Extended e -> "extended " + e.extendedId();
            default -> message.toString();
        };
    }

    @Override
    public String toString() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
