package dev.jtorrent.peer;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.net.BindAddresses;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.PeerMessageValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Outgoing connections leave from the bind address of the peer's family, and a family without one is not dialled. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HandshakerBindTest {
    private static final InetAddress LOOPBACK4 = address("127.0.0.1");
    private static final InetAddress LOOPBACK6 = address("::1");

    @Test
    void eachPeerIsDialledFromTheBindAddressOfItsFamily() throws Exception {
        Handshaker handshaker = handshaker(List.of(LOOPBACK4, LOOPBACK6));
        assertThat(sourceOfADialTo(handshaker, LOOPBACK4)).isEqualTo(LOOPBACK4);
        assertThat(sourceOfADialTo(handshaker, LOOPBACK6)).isEqualTo(LOOPBACK6);
    }

    @Test
    void anIpv6PeerIsNotDialledFromIpv4BindAddressesAlone() {
        Handshaker handshaker = handshaker(List.of(LOOPBACK4));
        InetSocketAddress peer = new InetSocketAddress(LOOPBACK6, 6881);
        assertThat(handshaker.canReach(peer)).isFalse();
        assertThat(handshaker.canReach(new InetSocketAddress(LOOPBACK4, 6881))).isTrue();

        Target target = new Target();
        handshaker.connect(peer, target);
        assertThat(target.failure).isCompletedWithValue("tcp: no bind address of its family (bound to 127.0.0.1)");
    }

    @Test
    void withoutBindAddressesBothFamiliesAreDialled() throws Exception {
        Handshaker handshaker = handshaker(List.of());
        assertThat(sourceOfADialTo(handshaker, LOOPBACK6)).isEqualTo(LOOPBACK6);
        assertThat(sourceOfADialTo(handshaker, LOOPBACK4)).isEqualTo(LOOPBACK4);
    }

    /** Dials a listener at {@code host}, which records where the connection came from and hangs up. */
    private static InetAddress sourceOfADialTo(Handshaker handshaker, InetAddress host) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, host)) {
            Target target = new Target();
            CompletableFuture<InetAddress> source = CompletableFuture.supplyAsync(() -> {
                try (Socket accepted = listener.accept()) {
                    return accepted.getInetAddress();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            handshaker.connect(new InetSocketAddress(host, listener.getLocalPort()), target);
            assertThat(target.failure).as("the listener hung up before any handshake").isDone();
            return source.get(10, TimeUnit.SECONDS);
        }
    }

    private static Handshaker handshaker(List<InetAddress> binds) {
        return new Handshaker(PeerId.random("-JT0010-"), new BindAddresses(binds), Duration.ofSeconds(5), 1);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static final class Target implements ConnectionTarget {
        final CompletableFuture<String> failure = new CompletableFuture<>();

        @Override
        public InfoHash infoHash() {
            return InfoHash.fromHex("11".repeat(20));
        }

        @Override
        public PeerMessageValidator validator(Handshake theirs) {
            throw new AssertionError("no handshake comes");
        }

        @Override
        public void accept(PeerConnection connection) {
            throw new AssertionError("no handshake comes");
        }

        @Override
        public void connectFailed(InetSocketAddress address, String reason) {
            failure.complete(reason);
        }
    }
}
