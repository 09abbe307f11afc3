package dev.jtorrent.peer;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.net.BindAddresses;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.PeerMessageValidator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections that never finish their handshake (issue 5, "Hostile peers"): silent, trickling a byte at a time, or
 * too many at once. The {@link Handshaker} answers them as a session's listener does, with a short timeout so that
 * the tests need not wait libtorrent's 10 s; handshakes that are wrong rather than slow are in the session's
 * {@code HostilePeerTest}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HostilePeerHandshakeTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final InfoHash INFO_HASH = InfoHash.of(new byte[20]);

    private ServerSocketChannel server;
    private Handshaker handshaker;
    private final List<Socket> clients = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aPeerThatSaysNothingIsClosedAtTheTimeout() throws Exception {
        listen(TIMEOUT);
        long start = System.nanoTime();
        CompletableFuture<Void> closed = closedBy(connect());

        closed.get(10, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(TIMEOUT.minusMillis(100), TIMEOUT.plusSeconds(2));
        await("the slot to be freed", Duration.ofSeconds(5), () -> handshaker.incomingInProgress() == 0);
    }

    /**
     * One byte every 50 ms: each read is well within the timeout, so a timeout per read would wait for all 68 bytes
     * (3.4 s); the handshake's deadline cuts it off at 0.5 s.
     */
    @Test
    void aPeerThatTricklesItsHandshakeIsClosedAtTheDeadline() throws Exception {
        listen(TIMEOUT);
        Socket socket = connect();
        CompletableFuture<Void> closed = closedBy(socket);
        byte[] handshake = Handshake.of(INFO_HASH, PeerId.random("-XX0000-")).encode();
        long start = System.nanoTime();
        Thread trickler = Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (byte b : handshake) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException e) {
                // closed on us, as it should be
            }
        });

        closed.get(10, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("closed at the deadline, not after the last byte").isLessThan(Duration.ofSeconds(2));
        trickler.interrupt();
    }

    /**
     * Connections that say nothing hold at most {@link Handshaker#MAX_INCOMING_HANDSHAKES} slots: each one past that
     * closes the oldest, long before the timeout (a minute here).
     */
    @Test
    void incomingHandshakesInProgressAreCappedByClosingTheOldest() throws Exception {
        listen(Duration.ofMinutes(1));
        int extra = 20;
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        for (int i = 0; i < Handshaker.MAX_INCOMING_HANDSHAKES + extra; i++) {
            closed.add(closedBy(connect()));
        }

        await(extra + " connections to be closed", Duration.ofSeconds(10),
                () -> closed.stream().filter(CompletableFuture::isDone).count() >= extra);
        await("the handshakes in progress to settle", Duration.ofSeconds(10),
                () -> handshaker.incomingInProgress() == Handshaker.MAX_INCOMING_HANDSHAKES);
        assertThat(closed.stream().filter(CompletableFuture::isDone).count()).isEqualTo(extra);
    }

    /**
     * The deadline is the handshake's alone: a peer that finished it and then says nothing for longer is not closed
     * by it (the connection's own silence limit is minutes).
     */
    @Test
    void aConnectionIsNotClosedWhenItsHandshakesDeadlinePasses() throws Exception {
        CompletableFuture<PeerConnection> accepted = new CompletableFuture<>();
        listen(TIMEOUT, hash -> new ConnectionTarget() {
            @Override
            public InfoHash infoHash() {
                return INFO_HASH;
            }

            @Override
            public PeerMessageValidator validator(Handshake theirs) {
                return new PeerMessageValidator(1, piece -> 16_384, true, false);
            }

            @Override
            public void accept(PeerConnection connection) {
                accepted.complete(connection);
            }

            @Override
            public void connectFailed(InetSocketAddress address, String reason) {
                accepted.completeExceptionally(new AssertionError(reason));
            }
        });
        Socket socket = connect();
        CompletableFuture<Void> closed = closedBy(socket);
        socket.getOutputStream().write(Handshake.of(INFO_HASH, PeerId.random("-XX0000-")).encode());
        PeerConnection connection = accepted.get(10, TimeUnit.SECONDS);

        Thread.sleep(3 * TIMEOUT.toMillis());
        assertThat(connection.isClosed()).isFalse();
        assertThat(closed).isNotDone();
        connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "test over"));
    }

    /** Answers connections as a session does; no torrent is known, so a finished handshake is closed too. */
    private void listen(Duration timeout) throws IOException {
        listen(timeout, hash -> null);
    }

    /** Answers connections as a session does, for the torrents {@code torrents} finds. */
    private void listen(Duration timeout, Function<InfoHash, ConnectionTarget> torrents) throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0), 200);
        handshaker = new Handshaker(PeerId.random("-JT0010-"), BindAddresses.ANY, timeout, 1);
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    SocketChannel channel = server.accept();
                    Thread.ofVirtual().start(() -> handshaker.accept(channel, torrents));
                }
            } catch (IOException e) {
                // the test is over
            }
        });
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(LOOPBACK, ((InetSocketAddress) server.getLocalAddress()).getPort());
        clients.add(socket);
        return socket;
    }

    /** Completes when the other side closes {@code socket}. */
    private static CompletableFuture<Void> closedBy(Socket socket) {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                InputStream in = socket.getInputStream();
                while (in.read() >= 0) {
                    // nothing is expected; read to the end
                }
            } catch (IOException e) {
                // reset or closed: either way, gone
            }
            closed.complete(null);
        });
        return closed;
    }
}
