package dev.jtorrent.swarm;

import dev.jtorrent.budget.FairBudget;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.peer.ConnectionTarget;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.PeerMessageValidator;
import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peers of a family the session is not bound to (an IPv6 peer, when every bind address is IPv4) are not kept, so
 * never dialled and never failed over and over; the others are, IPv6 ones included when the connector reaches them.
 */
class AdmissionFamilyTest {
    private static final InetSocketAddress V4 = new InetSocketAddress("192.0.2.1", 6881);
    private static final InetSocketAddress V6 = new InetSocketAddress("2001:db8::1", 6881);

    @Test
    void peersTheConnectorCannotReachAreNotKept() {
        KnownPeers known = new KnownPeers();
        admission(known, address -> !(address.getAddress() instanceof Inet6Address)).found(List.of(V4, V6));
        assertThat(known.size()).isEqualTo(1);
    }

    @Test
    void ipv6PeersAreKeptWhenTheConnectorReachesThem() {
        KnownPeers known = new KnownPeers();
        admission(known, address -> true).found(List.of(V4, V6));
        assertThat(known.size()).isEqualTo(2);
    }

    private static Admission admission(KnownPeers known, java.util.function.Predicate<InetSocketAddress> reach) {
        Connector connector = new Connector() {
            @Override
            public void connect(InetSocketAddress address, ConnectionTarget swarm) {
                throw new AssertionError("not dialled here");
            }

            @Override
            public boolean canReach(InetSocketAddress address) {
                return reach.test(address);
            }
        };
        return new Admission(known, new Peers(), SwarmConfig.DEFAULT, PeerId.random("-JT0010-"), connector,
                NO_TARGET, (peer, reason) -> { }, new ConnectionSlots(new FairBudget("connections", 10),
                new FairBudget("attempts", 10), () -> { }));
    }

    private static final ConnectionTarget NO_TARGET = new ConnectionTarget() {
        @Override
        public InfoHash infoHash() {
            return InfoHash.fromHex("00".repeat(20));
        }

        @Override
        public PeerMessageValidator validator(Handshake theirs) {
            throw new AssertionError();
        }

        @Override
        public void accept(PeerConnection connection) {
            throw new AssertionError();
        }

        @Override
        public void connectFailed(InetSocketAddress address, String reason) {
            throw new AssertionError();
        }
    };
}
