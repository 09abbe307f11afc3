package dev.jtorrent.peer;

import dev.jtorrent.budget.RateBudget;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.net.BindAddresses;
import dev.jtorrent.mse.EncryptionPolicy;
import dev.jtorrent.mse.MseHandshake;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.PeerMessageValidator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two handshakers on loopback, each with a policy: which handshake an outgoing connection tries first and falls
 * back to, how an incoming one is told apart and refused, and whether the connection the swarm gets is encrypted.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EncryptedHandshakeTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InfoHash TORRENT = InfoHash.fromHex("00112233445566778899aabbccddeeff00112233");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private ServerSocketChannel server;
    private final AtomicInteger incoming = new AtomicInteger();
    private final Target listening = new Target();

    @AfterEach
    void close() throws Exception {
        if (server != null) {
            server.close();
        }
        for (Target target : List.of(listening)) {
            if (target.connection.isDone() && !target.connection.isCompletedExceptionally()) {
                target.connection.get().close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "test over"));
            }
        }
    }

    @Test
    void preferringPeersConnectWithRc4() throws Exception {
        listen(EncryptionPolicy.PREFER);
        PeerConnection ours = dial(EncryptionPolicy.PREFER).connection.get(10, TimeUnit.SECONDS);
        PeerConnection theirs = listening.connection.get(10, TimeUnit.SECONDS);
        assertThat(ours.encrypted()).isTrue();
        assertThat(theirs.encrypted()).isTrue();
        assertThat(incoming.get()).isEqualTo(1);
        ours.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "test over"));
    }

    @Test
    void anAllowingDialerConnectsInPlaintextFirst() throws Exception {
        listen(EncryptionPolicy.PREFER);
        PeerConnection ours = dial(EncryptionPolicy.ALLOW).connection.get(10, TimeUnit.SECONDS);
        assertThat(ours.encrypted()).isFalse();
        assertThat(listening.connection.get(10, TimeUnit.SECONDS).encrypted()).isFalse();
        ours.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "test over"));
    }

    @Test
    void aPreferringDialerRefusedMseRedialsInPlaintext() throws Exception {
        listen(EncryptionPolicy.DISABLE);
        PeerConnection ours = dial(EncryptionPolicy.PREFER).connection.get(10, TimeUnit.SECONDS);
        assertThat(ours.encrypted()).isFalse();
        assertThat(incoming.get()).as("an encrypted attempt, then a plaintext one").isEqualTo(2);
        ours.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "test over"));
    }

    @Test
    void aRequiringDialerGetsRc4FromAPreferringListener() throws Exception {
        listen(EncryptionPolicy.ALLOW);
        PeerConnection ours = dial(EncryptionPolicy.REQUIRE).connection.get(10, TimeUnit.SECONDS);
        assertThat(ours.encrypted()).isTrue();
        ours.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "test over"));
    }

    @Test
    void aRequiringDialerNeverFallsBackToPlaintext() throws Exception {
        listen(EncryptionPolicy.DISABLE);
        Target target = dial(EncryptionPolicy.REQUIRE);
        assertThat(target.failure.get(10, TimeUnit.SECONDS)).startsWith("encrypted: ");
        assertThat(incoming.get()).isEqualTo(1);
        assertThat(listening.connection).isNotDone();
    }

    @Test
    void aRequiringListenerClosesAPlaintextHandshakeWithoutAnswering() throws Exception {
        listen(EncryptionPolicy.REQUIRE);
        try (Socket socket = new Socket(LOOPBACK, port())) {
            socket.getOutputStream().write(Handshake.of(TORRENT, PeerId.random("-XX0000-")).encode());
            InputStream in = socket.getInputStream();
            int first;
            try {
                first = in.read();
            } catch (java.net.SocketException reset) {
                first = -1; // closed with our bytes unread: a reset, which says the same
            }
            assertThat(first).as("closed with nothing sent").isEqualTo(-1);
        }
        Target target = dial(EncryptionPolicy.DISABLE);
        assertThat(target.failure.get(10, TimeUnit.SECONDS)).startsWith("plaintext: ");
        assertThat(listening.connection).isNotDone();
    }

    @Test
    void anMseHandshakeForATorrentWeDoNotHaveIsClosed() throws Exception {
        listen(EncryptionPolicy.PREFER);
        Target other = new Target(InfoHash.fromHex("ffeeddccbbaa99887766554433221100ffeeddcc"));
        handshaker(EncryptionPolicy.REQUIRE).connect(new InetSocketAddress(LOOPBACK, port()), other);
        assertThat(other.failure.get(10, TimeUnit.SECONDS)).contains("encrypted: ");
        assertThatThrownBy(() -> listening.connection.get(200, TimeUnit.MILLISECONDS))
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
    }

    private void listen(EncryptionPolicy policy) throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        Handshaker handshaker = new Handshaker(PeerId.random("-JT0010-"), List.of(new TcpDialer(BindAddresses.ANY)),
                TIMEOUT, 1, RateBudget.unlimited(), false, new PeerEncryption(policy,
                req2 -> req2.equals(MseHandshake.req2Hash(TORRENT)) ? Optional.of(TORRENT) : Optional.empty()));
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    SocketChannel channel = server.accept();
                    incoming.incrementAndGet();
                    Thread.ofVirtual().start(() -> handshaker.accept(channel,
                            hash -> hash.equals(TORRENT) ? listening : null));
                }
            } catch (IOException e) {
                // the test is over
            }
        });
    }

    private Target dial(EncryptionPolicy policy) throws IOException {
        Target target = new Target();
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port());
        Thread.ofVirtual().start(() -> handshaker(policy).connect(address, target));
        return target;
    }

    private static Handshaker handshaker(EncryptionPolicy policy) {
        return new Handshaker(PeerId.random("-JT0010-"), List.of(new TcpDialer(BindAddresses.ANY)), TIMEOUT, 1,
                RateBudget.unlimited(), false, new PeerEncryption(policy, req2 -> Optional.empty()));
    }

    private int port() throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    /** A torrent's side of the connections: the first one made, or the failure. */
    private static final class Target implements ConnectionTarget {
        final CompletableFuture<PeerConnection> connection = new CompletableFuture<>();
        final CompletableFuture<String> failure = new CompletableFuture<>();
        private final InfoHash infoHash;

        Target() {
            this(TORRENT);
        }

        Target(InfoHash infoHash) {
            this.infoHash = infoHash;
        }

        @Override
        public InfoHash infoHash() {
            return infoHash;
        }

        @Override
        public PeerMessageValidator validator(Handshake theirs) {
            return new PeerMessageValidator(1, piece -> 16_384, true, false);
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
