package dev.jtorrent.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.budget.RateBudget;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.mse.EncryptionPolicy;
import dev.jtorrent.mse.MseHandshake;
import dev.jtorrent.net.BindAddresses;
import dev.jtorrent.utp.UtpLimits;
import dev.jtorrent.utp.UtpSocket;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.PeerMessageValidator;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that speaks uTP alone but whose TCP listener accepts connections and closes them at once, as libtorrent's
 * does with TCP off: our handshaker dials TCP first (so TCP connects first, as it does whenever uTP is slower than
 * its head start), every handshake fails over it, and each is then tried over uTP, where the encrypted one gets
 * through.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HandshakeOverAnotherTransportTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InfoHash TORRENT = InfoHash.fromHex("00112233445566778899aabbccddeeff00112233");
    /** Attempts at finding a port free for both a UDP and a TCP socket. */
    private static final int PORT_ATTEMPTS = 20;

    private UtpSocket peerUtp;
    private ServerSocketChannel peerTcp;
    private UtpSocket ourUtp;
    private final AtomicInteger tcpAccepted = new AtomicInteger();
    private final AtomicInteger utpAccepted = new AtomicInteger();
    private final CompletableFuture<PeerConnection> atPeer = new CompletableFuture<>();

    @AfterEach
    void close() throws IOException {
        for (CompletableFuture<PeerConnection> connection : List.of(atPeer)) {
            if (connection.isDone() && !connection.isCompletedExceptionally()) {
                connection.join().close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "test over"));
            }
        }
        if (peerTcp != null) {
            peerTcp.close();
        }
        if (peerUtp != null) {
            peerUtp.close();
        }
        if (ourUtp != null) {
            ourUtp.close();
        }
    }

    @Test
    void underRequireTheEncryptedHandshakeLostOverTcpGetsThroughOverUtp() throws Exception {
        InetSocketAddress peer = startPeer();
        Target ours = new Target();
        Thread.ofVirtual().start(() -> dialler(EncryptionPolicy.REQUIRE).connect(peer, ours));

        PeerConnection connection = ours.connection.get(10, TimeUnit.SECONDS);
        assertThat(connection.transport()).isEqualTo(Transport.UTP);
        assertThat(connection.encrypted()).isTrue();
        assertThat(atPeer.get(10, TimeUnit.SECONDS).encrypted()).isTrue();
        connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "test over"));
    }

    @Test
    void underPreferBothHandshakesAreTriedOverTcpBeforeTheEncryptedOneOverUtp() throws Exception {
        InetSocketAddress peer = startPeer();
        Target ours = new Target();
        Handshaker dialler = dialler(EncryptionPolicy.PREFER);
        Thread.ofVirtual().start(() -> dialler.connect(peer, ours));

        PeerConnection connection = ours.connection.get(10, TimeUnit.SECONDS);
        assertThat(connection.transport()).isEqualTo(Transport.UTP);
        assertThat(connection.encrypted()).as("not the plaintext handshake over uTP").isTrue();
        assertThat(tcpAccepted).as("an encrypted, then a plaintext attempt over TCP").hasValue(2);
        connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "test over"));

        // TCP is now ruled out at that address: the next connection goes straight over uTP
        Target again = new Target();
        Thread.ofVirtual().start(() -> dialler.connect(peer, again));
        PeerConnection second = again.connection.get(10, TimeUnit.SECONDS);
        assertThat(second.transport()).isEqualTo(Transport.UTP);
        assertThat(tcpAccepted).hasValue(2);
        second.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "test over"));
    }

    @Test
    void whenEveryTransportFailsEachFailureIsReportedInItsKindAndNothingIsRuledOut() throws Exception {
        InetSocketAddress peer = startPeer(false);
        Handshaker dialler = dialler(EncryptionPolicy.REQUIRE);
        Target ours = new Target();
        Thread.ofVirtual().start(() -> dialler.connect(peer, ours));

        assertThat(ours.failure.get(10, TimeUnit.SECONDS)).as("over TCP, then over uTP")
                .matches("encrypted: [^;]+; encrypted: [^;]+");
        assertThat(tcpAccepted).hasValue(1);
        assertThat(utpAccepted).hasValue(1);

        // The peer failed over both: neither transport is ruled out there, and TCP connects first again.
        Target again = new Target();
        Thread.ofVirtual().start(() -> dialler.connect(peer, again));
        again.failure.get(10, TimeUnit.SECONDS);
        assertThat(tcpAccepted).hasValue(2);
    }

    private InetSocketAddress startPeer() throws IOException {
        return startPeer(true);
    }

    /**
     * The peer: TCP that closes what it accepts, and uTP with a handshaker that takes MSE for {@link #TORRENT}, or
     * closes what it accepts too if not {@code utpHandshakes}.
     */
    private InetSocketAddress startPeer(boolean utpHandshakes) throws IOException {
        Handshaker answering = new Handshaker(PeerId.random("-JT0010-"), List.of(new TcpDialer(BindAddresses.ANY)),
                Handshaker.HANDSHAKE_TIMEOUT, 1, RateBudget.unlimited(), false, new PeerEncryption(
                EncryptionPolicy.PREFER, req2 -> req2.equals(MseHandshake.req2Hash(TORRENT)) ? Optional.of(TORRENT)
                : Optional.empty()));
        for (int attempt = 0; peerTcp == null; attempt++) {
            peerUtp = UtpSocket.open(new InetSocketAddress(LOOPBACK, 0), UtpLimits.DEFAULTS);
            try {
                peerTcp = closingTcpListener(peerUtp.localAddress());
            } catch (BindException taken) {
                peerUtp.close(); // the UDP socket's port is taken over TCP: another
                assertThat(attempt).as("a port free for UDP and TCP").isLessThan(PORT_ATTEMPTS);
            }
        }
        peerUtp.onAccept(stream -> {
            utpAccepted.incrementAndGet();
            if (utpHandshakes) {
                Thread.ofVirtual().start(() -> answering.accept(UtpChannel.of(stream),
                        hash -> hash.equals(TORRENT) ? new Target(atPeer) : null));
            } else {
                UtpChannel.of(stream).close();
            }
        });
        ourUtp = UtpSocket.open(new InetSocketAddress(LOOPBACK, 0), UtpLimits.DEFAULTS);
        return peerUtp.localAddress();
    }

    /** A TCP listener that closes every connection it accepts, at once. */
    private ServerSocketChannel closingTcpListener(InetSocketAddress address) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open().bind(address);
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    SocketChannel accepted = server.accept();
                    tcpAccepted.incrementAndGet();
                    accepted.close();
                }
            } catch (IOException e) {
                // the test is over
            }
        });
        return server;
    }

    /** Dials TCP first and uTP second, so that TCP connects first. */
    private Handshaker dialler(EncryptionPolicy policy) {
        return new Handshaker(PeerId.random("-JT0010-"), List.of(new TcpDialer(BindAddresses.ANY),
                new UtpDialer(ourUtp.endpoint())), Duration.ofSeconds(5), 1, RateBudget.unlimited(), false,
                new PeerEncryption(policy, req2 -> Optional.empty()));
    }

    /** A torrent's side of a connection: the connection made, or the failure. */
    private static final class Target implements ConnectionTarget {
        final CompletableFuture<PeerConnection> connection;
        final CompletableFuture<String> failure = new CompletableFuture<>();

        Target() {
            this(new CompletableFuture<>());
        }

        Target(CompletableFuture<PeerConnection> connection) {
            this.connection = connection;
        }

        @Override
        public InfoHash infoHash() {
            return TORRENT;
        }

        @Override
        public PeerMessageValidator validator(Handshake theirs) {
            return new PeerMessageValidator(1, piece -> BlockRef.SIZE, true, false);
        }

        @Override
        public void accept(PeerConnection connection) {
            if (!this.connection.complete(connection)) {
                connection.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "one is enough"));
            }
        }

        @Override
        public void connectFailed(InetSocketAddress address, String reason) {
            failure.complete(reason);
            connection.completeExceptionally(new AssertionError(reason));
        }
    }
}
