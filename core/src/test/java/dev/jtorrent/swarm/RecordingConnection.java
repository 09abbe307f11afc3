package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.peer.BlockMemory;
import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.DownloadLimit;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A connection for tests of what is said to peers: it records what is sent and how it was closed, speaks BEP 6 and
 * BEP 10, and on {@link #start} does what the test says with the events sink (nothing, by default). No piece data is
 * ever sent on it.
 */
final class RecordingConnection implements PeerConnection {
    final List<Message> sent = new CopyOnWriteArrayList<>();
    final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    final CompletableFuture<Void> started = new CompletableFuture<>();
    private final InetSocketAddress address;
    private final boolean outgoing;
    private final Handshake remote;
    private Consumer<Consumer<PeerEvent>> onStart = events -> { };

    RecordingConnection(InetSocketAddress address, boolean outgoing, InfoHash infoHash) {
        this(address, outgoing, Handshake.of(infoHash, PeerId.random("-XX0000-")).withExtensionProtocol(true)
                .withFast(true));
    }

    /** A connection to the peer whose handshake is {@code remote}: two connections to one peer share it. */
    RecordingConnection(InetSocketAddress address, boolean outgoing, Handshake remote) {
        this.address = address;
        this.outgoing = outgoing;
        this.remote = remote;
    }

    /** What it does with its events sink as it starts, on the thread that starts it. */
    RecordingConnection onStart(Consumer<Consumer<PeerEvent>> action) {
        this.onStart = action;
        return this;
    }

    /** The reason it was closed with, or null while it is open. */
    CloseReason closeReason() {
        return closed.getNow(null);
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
    public void start(Consumer<PeerEvent> events, BlockMemory memory, DownloadLimit limit) {
        onStart.accept(events);
        started.complete(null);
    }

    @Override
    public void send(Message message) {
        sent.add(message);
    }

    @Override
    public void send(Message.Piece piece, Runnable sent) {
        throw new AssertionError("no piece is sent on a recording connection");
    }

    @Override
    public void flush() {
    }

    @Override
    public void checkTimers(long now) {
    }

    @Override
    public void close(CloseReason reason) {
        closed.complete(reason);
    }

    @Override
    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public boolean sendStalled(long now) {
        return false;
    }

    @Override
    public long takePayloadWritten() {
        return 0;
    }
}
