package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.WireCodec;
import dev.jtorrent.wire.WireReader;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A scripted peer on a raw socket, for tests of what jtorrent does with peers that break the rules. It connects to a
 * session, sends a handshake (fast extension on, so that refusals come back as {@code reject}s), and then does only
 * what the test tells it: send messages, well-formed or not, and answer requests through a {@link Server} script.
 * Everything it receives is kept, to be asserted on.
 *
 * <p>Each fake peer connects from an address of its own in 127.0.0.0/8 (Linux routes the whole block to
 * loopback): bans are by IP, so a liar's ban must not fall on the honest fake beside it.
 */
final class FakePeer implements AutoCloseable {
    /** 127.0.0.1 is the sessions'; fakes take 127.0.0.10 and up. */
    private static final AtomicInteger NEXT_ADDRESS = new AtomicInteger(10);

    /** How a fake peer answers a request: send the data, corrupt or not, reject it, or leave it unanswered. */
    @FunctionalInterface
    interface Server {
        void requested(FakePeer peer, Message.Request request) throws IOException;
    }

    private final Socket socket;
    private final OutputStream out;
    private final Handshake theirs;
    private final List<Message> received = new ArrayList<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private volatile Server server = (peer, request) -> { };
    private volatile Consumer<Message> watcher = message -> { };

    private FakePeer(Socket socket, Handshake theirs) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.theirs = theirs;
    }

    /** A fresh loopback address for the next fake peer. */
    static InetAddress nextAddress() {
        int n = NEXT_ADDRESS.getAndIncrement();
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, (byte) (n >> 8), (byte) n});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connects from a fresh address, exchanges handshakes for {@code infoHash} and starts reading. */
    static FakePeer connect(int port, InfoHash infoHash) throws IOException {
        return connect(nextAddress(), port, infoHash);
    }

    /** Connects from {@code from} (to reconnect as the same peer), exchanges handshakes and starts reading. */
    static FakePeer connect(InetAddress from, int port, InfoHash infoHash) throws IOException {
        return connect(from, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), infoHash, false);
    }

    /**
     * Connects from {@code from} to {@code to}, saying with {@code dht} that it runs a DHT node (BEP 5) and that it
     * speaks the extension protocol (BEP 10).
     */
    static FakePeer connect(InetAddress from, InetSocketAddress to, InfoHash infoHash, boolean dht)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(to, 5_000);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(Handshake.of(infoHash, PeerId.random("-FK0000-")).withFast(true)
                    .withDht(dht).withExtensionProtocol(dht).encode());
            WireReader reader = WireReader.of(socket.getInputStream());
            Handshake theirs = reader.readHandshake();
            socket.setSoTimeout(0);
            FakePeer peer = new FakePeer(socket, theirs);
            Thread.ofVirtual().name("fake-peer-" + from.getHostAddress()).start(() -> peer.readLoop(reader));
            return peer;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    InetAddress address() {
        return socket.getLocalAddress();
    }

    Handshake theirHandshake() {
        return theirs;
    }

    /** Answers every request from now on through {@code script}. */
    FakePeer serving(Server script) {
        this.server = script;
        return this;
    }

    /** Hands every message from now on to {@code watcher} too, on the reading thread, as it arrives. */
    FakePeer watching(Consumer<Message> watcher) {
        this.watcher = watcher;
        return this;
    }

    /** A script that answers every request with the right bytes of {@code content}. */
    static Server honest(byte[] content, int pieceLength) {
        return (peer, r) -> peer.sendPiece(r.piece(), r.begin(), block(content, pieceLength, r));
    }

    /** The bytes a request asks for. */
    static byte[] block(byte[] content, int pieceLength, Message.Request r) {
        int start = r.piece() * pieceLength + r.begin();
        return Arrays.copyOfRange(content, start, start + r.length());
    }

    /** {@code bytes} with every bit flipped: the same length, certainly wrong. */
    static byte[] corrupt(byte[] bytes) {
        byte[] bad = bytes.clone();
        for (int i = 0; i < bad.length; i++) {
            bad[i] = (byte) ~bad[i];
        }
        return bad;
    }

    // ---- sending ---------------------------------------------------------------------------------------------

    void send(Message message) throws IOException {
        sendRaw(WireCodec.encode(message));
    }

    /** Bytes as they are, well-formed or not. */
    void sendRaw(byte[] bytes) throws IOException {
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    void sendPiece(int piece, int begin, byte[] data) throws IOException {
        send(new Message.Piece(piece, begin, ByteBuffer.wrap(data)));
    }

    /** Have-all and unchoke: a seed ready to serve. */
    FakePeer actAsSeed() throws IOException {
        send(new Message.HaveAll());
        send(new Message.Unchoke());
        return this;
    }

    // ---- what came back ----------------------------------------------------------------------------------------

    /** The messages received so far, in order. */
    List<Message> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** How many received messages match. */
    long count(Predicate<Message> which) {
        return received().stream().filter(which).count();
    }

    <T extends Message> List<T> received(Class<T> type) {
        return received().stream().filter(type::isInstance).map(type::cast).toList();
    }

    boolean isClosed() {
        return closed.isDone();
    }

    /** Completes, with the reason, when the other side closes the connection (or it fails). */
    CompletableFuture<String> closed() {
        return closed;
    }

    /** Whether the other side closed the connection within {@code timeout}. */
    boolean awaitClosed(Duration timeout) throws InterruptedException {
        try {
            closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    /** Waits until {@code condition} holds, or fails the test. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void readLoop(WireReader reader) {
        try {
            while (true) {
                Message message = reader.read();
                if (message == null) {
                    closed.complete("closed by the other side");
                    return;
                }
                synchronized (received) {
                    received.add(message);
                }
                watcher.accept(message);
                if (message instanceof Message.Request request) {
                    server.requested(this, request);
                }
            }
        } catch (IOException | RuntimeException e) {
            closed.complete(e.toString());
        }
    }

    @Override
    public String toString() {
        return "FakePeer[" + socket.getLocalAddress().getHostAddress() + "]";
    }
}
