package dev.jtorrent.testkit;

import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.wire.Message;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * A script for a {@link ScriptedPeer} with one connection: it sends some messages once connected, records every
 * message it receives with the simulated time it came at, and reacts to each as the test says.
 */
public final class Recorder implements ScriptedPeer.Script {
    /** A message received, and when. Piece data is recorded as its {@link Message.Piece} header, without data. */
    public record Received(long nanos, Message message) {
    }

    private final List<Message> onConnect;
    private final List<Received> received = new ArrayList<>();
    private BiConsumer<SimConnection, Message> reaction = (connection, message) -> { };
    private SimConnection connection;
    private boolean closed;
    private boolean unchoked;

    /** @param onConnect sent, in order, as soon as the connection is up */
    public Recorder(Message... onConnect) {
        this.onConnect = List.of(onConnect);
    }

    /** Also answers each message as {@code reaction} says; what it sends goes out with the next flush. */
    public Recorder reacting(BiConsumer<SimConnection, Message> reaction) {
        this.reaction = reaction;
        return this;
    }

    @Override
    public void connected(ScriptedPeer peer, SimConnection connection) {
        this.connection = connection;
        onConnect.forEach(connection::send);
    }

    @Override
    public void received(ScriptedPeer peer, SimConnection connection, PeerEvent event) {
        switch (event) {
            case PeerEvent.Burst burst ->
                    throw new IllegalArgumentException("a ScriptedPeer hands a burst over event by event");
            case PeerEvent.Received r -> record(peer, connection, r.message());
            case PeerEvent.BlockArrived b -> record(peer, connection,
                    new Message.Piece(b.block().piece(), b.block().begin(), ByteBuffer.allocate(0)));
            case PeerEvent.Closed c -> closed = true;
        }
    }

    private void record(ScriptedPeer peer, SimConnection connection, Message message) {
        received.add(new Received(peer.sim().now(), message));
        if (message instanceof Message.Choke || message instanceof Message.Unchoke) {
            unchoked = message instanceof Message.Unchoke;
        }
        reaction.accept(connection, message);
    }

    /** Sends {@code message} now. */
    public void send(Message message) {
        connection.send(message);
        connection.flush();
    }

    /** How many of the messages received so far match. */
    public long count(Predicate<Message> which) {
        return received.stream().filter(r -> which.test(r.message())).count();
    }

    /** The last message received of this kind, or null. */
    public Received last(Class<? extends Message> kind) {
        for (int i = received.size() - 1; i >= 0; i--) {
            if (kind.isInstance(received.get(i).message())) {
                return received.get(i);
            }
        }
        return null;
    }

    /** Whether the last choke or unchoke received was an unchoke. */
    public boolean unchoked() {
        return unchoked;
    }

    public boolean isConnected() {
        return connection != null && !closed;
    }

    /** Whether the connection has ended, either way. */
    public boolean isClosed() {
        return closed || connection != null && connection.isClosed();
    }

    public SimConnection connection() {
        return connection;
    }
}
