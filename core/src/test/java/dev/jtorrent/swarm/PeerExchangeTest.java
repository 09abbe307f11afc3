package dev.jtorrent.swarm;

import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.testkit.LinkProfile;
import dev.jtorrent.testkit.ScriptedPeer;
import dev.jtorrent.testkit.SimConnection;
import dev.jtorrent.testkit.SimPeer;
import dev.jtorrent.testkit.SimSwarm;
import dev.jtorrent.testkit.SimTorrent;
import dev.jtorrent.wire.ExtensionHandshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PexCodec;
import dev.jtorrent.wire.PexMessage;
import dev.jtorrent.wire.ProtocolException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Peer exchange (BEP 11) in simulated swarms: scripted peers that speak {@code ut_pex} connect to a jtorrent peer and
 * read what it sends them (its first message, the cap of 50, one a minute, drops, flags, nothing for a private
 * torrent), or send it peers (taken within a bound, dialled, junk ignored, a flood cut off); and three jtorrent peers,
 * one of which learns another only through the third.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerExchangeTest {
    /** The id the scripted peers give ut_pex: ours is another, so a mix-up shows. */
    private static final int THEIR_ID = 7;
    private static final int PIECE = 16 * 1024;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /**
     * Messages sent a minute apart may arrive a little less apart: each takes its own time on the link. The sender's
     * minute is what counts, as a receiver's counts arrivals over a minute.
     */
    private static final long A_MINUTE = 60 * SECOND - TimeUnit.MILLISECONDS.toNanos(10);

    private final SimSwarm swarm = new SimSwarm(11);
    private final SimTorrent torrent = SimTorrent.random(21, 64 * PIECE, PIECE);

    /** A ut_pex message a scripted peer received, and when. */
    private record Received(long nanos, PexMessage message) {
    }

    /**
     * A scripted peer that speaks BEP 10 and offers ut_pex: it gives a listen port in its handshake if told one,
     * says it is a seed if told so, sends what {@link #onConnect} makes, and keeps the ut_pex messages it receives.
     */
    private static final class PexScript implements ScriptedPeer.Script {
        private final OptionalInt listenPort;
        private final boolean seed;
        private final List<Received> received = new ArrayList<>();
        private Function<SimConnection, List<Message>> onConnect = c -> List.of();
        private ExtensionHandshake theirHandshake;

        PexScript(OptionalInt listenPort, boolean seed) {
            this.listenPort = listenPort;
            this.seed = seed;
        }

        @Override
        public boolean extensionProtocol() {
            return true;
        }

        @Override
        public void connected(ScriptedPeer peer, SimConnection connection) {
            ExtensionHandshake ours = ExtensionHandshake.of(Map.of(PexMessage.EXTENSION_NAME, THEIR_ID));
            connection.send((listenPort.isPresent() ? ours.withListenPort(listenPort.getAsInt()) : ours).toMessage());
            connection.send(seed ? new Message.HaveAll() : new Message.HaveNone());
            onConnect.apply(connection).forEach(connection::send);
        }

        @Override
        public void received(ScriptedPeer peer, SimConnection connection, PeerEvent event) {
            if (!(event instanceof PeerEvent.Received(var c, Message.Extended m))) {
                return;
            }
            try {
                if (m.extendedId() == ExtensionHandshake.ID) {
                    theirHandshake = ExtensionHandshake.from(m);
                } else {
                    assertThat(m.extendedId()).isEqualTo(THEIR_ID);
                    received.add(new Received(peer.sim().now(), PexCodec.decode(m.payload())));
                }
            } catch (ProtocolException e) {
                throw new AssertionError(e);
            }
        }
    }

    private PexScript script(boolean listens) {
        return new PexScript(listens ? OptionalInt.of(6881) : OptionalInt.empty(), false);
    }

    private ScriptedPeer scripted(PexScript script) {
        return swarm.scripted(torrent, LinkProfile.LAN, script);
    }

    private static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Message pex(List<InetSocketAddress> added) {
        return new Message.Extended(PeerExchange.OUR_ID, new PexMessage(
                added.stream().map(a -> new PexMessage.Added(a, 0)).toList(), List.of()).encode());
    }

    /** {@code count} addresses on IPs nobody in the simulation has, so that dialling them fails. */
    private static List<InetSocketAddress> nowhere(int first, int count) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            addresses.add(address("10.9." + (i >> 8) + "." + (i & 0xFF), 6881));
        }
        return addresses;
    }

    @Test
    void theFirstMessageSoonListsThePeersWeAreConnectedToWithTheirFlagsButNotTheReceiver() {
        SimPeer jtorrent = swarm.leecher(torrent, LinkProfile.LAN);
        ScriptedPeer seed = scripted(new PexScript(OptionalInt.of(7000), true));
        ScriptedPeer withoutPort = scripted(script(false));
        ScriptedPeer dialled = scripted(script(false));
        seed.connect(jtorrent.address());
        withoutPort.connect(jtorrent.address());
        jtorrent.peersFound(List.of(dialled.address()));
        swarm.sim().runFor(Duration.ofSeconds(3));

        PexScript observer = script(true);
        ScriptedPeer observing = scripted(observer);
        long connectedAt = swarm.sim().now();
        observing.connect(jtorrent.address());
        swarm.sim().runFor(Duration.ofSeconds(10));

        assertThat(observer.theirHandshake.messages()).containsEntry(PexMessage.EXTENSION_NAME, PeerExchange.OUR_ID);
        assertThat(observer.received).hasSize(1);
        Received first = observer.received.getFirst();
        assertThat(first.nanos() - connectedAt).as("soon after the connection").isLessThan(3 * SECOND);
        // The seed at the listen port it gave; the one that gave none not at all; the one we dialled as reachable.
        assertThat(first.message().added()).containsExactlyInAnyOrder(
                new PexMessage.Added(new InetSocketAddress(seed.address().getAddress(), 7000), PexMessage.SEED),
                new PexMessage.Added(dialled.address(), PexMessage.REACHABLE));
        assertThat(first.message().dropped()).isEmpty();
    }

    /** Nothing is sent while there is nothing to say; a listen port given later is news, told at the next tick. */
    @Test
    void aPeerThatDialledUsIsListedOnceItGivesItsListenPort() {
        SimPeer jtorrent = swarm.leecher(torrent, LinkProfile.LAN);
        PexScript observer = script(true);
        scripted(observer).connect(jtorrent.address());
        ScriptedPeer late = scripted(script(false));
        late.connect(jtorrent.address());
        swarm.sim().runFor(Duration.ofSeconds(10));
        assertThat(observer.received).as("nothing to say yet").isEmpty();

        SimConnection connection = late.connections().getFirst();
        connection.send(ExtensionHandshake.of(Map.of(PexMessage.EXTENSION_NAME, THEIR_ID)).withListenPort(7000)
                .toMessage());
        connection.flush();
        swarm.sim().runFor(Duration.ofSeconds(3));

        assertThat(observer.received).hasSize(1);
        assertThat(observer.received.getFirst().message().added()).containsExactly(
                new PexMessage.Added(new InetSocketAddress(late.address().getAddress(), 7000), 0));
    }

    @Test
    void aMessageAddsAtMostFiftyAndTheRestComeAMinuteLater() {
        SimPeer jtorrent = swarm.peer(torrent, new PieceSet(torrent.info().pieceCount()), LinkProfile.LAN,
                SwarmConfig.DEFAULT.withMaxPeers(100), PieceRecorder.NONE);
        for (int i = 0; i < 70; i++) {
            scripted(script(true)).connect(jtorrent.address());
        }
        swarm.sim().runFor(Duration.ofSeconds(3));
        PexScript observer = script(true);
        scripted(observer).connect(jtorrent.address());

        swarm.sim().runFor(Duration.ofSeconds(50));
        assertThat(observer.received).hasSize(1);
        assertThat(observer.received.getFirst().message().added()).hasSize(PeerExchange.MAX_ADDED_PER_MESSAGE);

        swarm.sim().runFor(Duration.ofSeconds(30));
        assertThat(observer.received).hasSize(2);
        Received second = observer.received.get(1);
        assertThat(second.nanos() - observer.received.getFirst().nanos()).isGreaterThanOrEqualTo(A_MINUTE);
        List<InetSocketAddress> all = observer.received.stream()
                .flatMap(r -> r.message().added().stream()).map(PexMessage.Added::address).toList();
        assertThat(all).hasSize(70).doesNotHaveDuplicates();
    }

    @Test
    void peersThatLeaveAreDroppedAndMessagesStayAMinuteApartWhilePeersComeAndGo() {
        SimPeer jtorrent = swarm.leecher(torrent, LinkProfile.LAN);
        ScriptedPeer leaving = scripted(script(true));
        leaving.connect(jtorrent.address());
        scripted(script(true)).connect(jtorrent.address());
        swarm.sim().runFor(Duration.ofSeconds(2));
        PexScript observer = script(true);
        scripted(observer).connect(jtorrent.address());
        swarm.sim().runFor(Duration.ofSeconds(5));
        InetSocketAddress leavingListed = leaving.address();
        assertThat(observer.received.getFirst().message().added()).extracting(PexMessage.Added::address)
                .contains(leavingListed);

        leaving.connections().getFirst().close(CloseReason.of(CloseReason.Kind.STOPPING, "leaving"));
        for (int i = 0; i < 30; i++) { // a new peer every 5 s for 150 s
            scripted(script(true)).connect(jtorrent.address());
            swarm.sim().runFor(Duration.ofSeconds(5));
        }

        assertThat(observer.received).hasSizeBetween(3, 4);
        for (int i = 1; i < observer.received.size(); i++) {
            assertThat(observer.received.get(i).nanos() - observer.received.get(i - 1).nanos())
                    .as("one message a minute at most").isGreaterThanOrEqualTo(A_MINUTE);
        }
        assertThat(observer.received.get(1).message().dropped()).containsExactly(leavingListed);
        long added = observer.received.stream().mapToLong(r -> r.message().added().size()).sum();
        assertThat(added).as("every peer that stayed, once each, less those that came after the last message")
                .isLessThanOrEqualTo(31).isGreaterThanOrEqualTo(20);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aPrivateTorrentOrOneWithPexOffOffersNoUtPexAndSendsNothing(boolean isPrivate) {
        SimTorrent shared = isPrivate ? SimTorrent.randomPrivate(22, 64 * PIECE, PIECE) : torrent;
        SimPeer jtorrent = swarm.peer(shared, new PieceSet(shared.info().pieceCount()), LinkProfile.LAN,
                SwarmConfig.DEFAULT.withPex(isPrivate), PieceRecorder.NONE);
        swarm.scripted(shared, LinkProfile.LAN, script(true)).connect(jtorrent.address());
        PexScript observer = script(true);
        swarm.scripted(shared, LinkProfile.LAN, observer).connect(jtorrent.address());
        swarm.sim().runFor(Duration.ofSeconds(90));

        assertThat(observer.theirHandshake).isNotNull();
        assertThat(observer.theirHandshake.messages()).doesNotContainKey(PexMessage.EXTENSION_NAME);
        assertThat(observer.received).isEmpty();
    }

    @Test
    void peersReceivedAreRememberedAndDialled() {
        SimPeer jtorrent = swarm.leecher(torrent, LinkProfile.LAN);
        ScriptedPeer first = scripted(script(true));
        ScriptedPeer second = scripted(script(true));
        PexScript sender = script(true);
        sender.onConnect = c -> List.of(pex(List.of(first.address(), second.address())));
        scripted(sender).connect(jtorrent.address());

        swarm.sim().runFor(Duration.ofSeconds(2));

        assertThat(first.connections()).hasSize(1);
        assertThat(second.connections()).hasSize(1);
        assertThat(first.connections().getFirst().outgoing()).as("jtorrent dialled it").isFalse();
    }

    /**
     * IPv6 peers go both ways (BEP 11's {@code added6}): one named in a message is dialled, and one we are connected
     * to is listed to others, in {@code added6} on the wire.
     */
    @Test
    void ipv6PeersAreTakenFromAdded6DialledAndListedInAdded6() {
        SimPeer jtorrent = swarm.leecher(torrent, LinkProfile.LAN);
        ScriptedPeer ipv6 = swarm.scriptedAt(address("2001:db8::6", 6881), torrent, LinkProfile.LAN, script(true));
        PexScript sender = script(true);
        sender.onConnect = c -> List.of(pex(List.of(ipv6.address())));
        scripted(sender).connect(jtorrent.address());
        swarm.sim().runFor(Duration.ofSeconds(2));
        assertThat(ipv6.connections()).as("jtorrent dialled the IPv6 peer it was told of").hasSize(1);

        PexScript observer = script(true);
        scripted(observer).connect(jtorrent.address());
        swarm.sim().runFor(Duration.ofSeconds(5));
        PexMessage first = observer.received.getFirst().message();
        assertThat(first.added()).extracting(PexMessage.Added::address).contains(ipv6.address());
        String wire = new String(first.encode(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(wire).contains("6:added618:");
    }

    @Test
    void noMoreThanFiftyPeersAreTakenFromAMessage() {
        SimPeer jtorrent = swarm.leecher(torrent, LinkProfile.LAN);
        PexScript sender = script(true);
        sender.onConnect = c -> List.of(pex(nowhere(0, PexCodec.MAX_ENTRIES)));
        scripted(sender).connect(jtorrent.address());

        swarm.sim().runFor(Duration.ofSeconds(2));

        assertThat(jtorrent.stats().knownPeers()).isEqualTo(PeerExchange.MAX_TAKEN_PER_MESSAGE);
    }

    @Test
    void ourOwnAddressPortZeroAndAddressesNoPeerHasAreIgnored() {
        SimPeer jtorrent = swarm.leecher(torrent, LinkProfile.LAN);
        ScriptedPeer real = scripted(script(true));
        PexScript sender = script(true);
        sender.onConnect = c -> List.of(pex(List.of(jtorrent.address(), address("10.0.0.77", 0),
                address("0.0.0.0", 6881), address("0.1.2.3", 6881), address("224.0.0.1", 6881),
                address("255.255.255.255", 6881), address("::", 6881), address("ff02::1", 6881), real.address())));
        scripted(sender).connect(jtorrent.address());

        swarm.sim().runFor(Duration.ofSeconds(2));

        assertThat(jtorrent.stats().knownPeers()).isEqualTo(1);
        assertThat(real.connections()).hasSize(1);
    }

    @Test
    void loopbackAndPrivateAddressesAreTakenOnlyFromAPeerOnALocalNetworkItself() {
        InetSocketAddress loopback = address("127.0.0.5", 6881);
        InetSocketAddress lan = address("192.168.1.5", 6881);
        InetSocketAddress ula = address("fd00::5", 6881);
        InetSocketAddress global = address("203.0.113.5", 6881);
        for (InetSocketAddress local : List.of(loopback, lan, ula)) {
            assertThat(PeerExchange.worthDialling(local, true)).as("%s from a local peer", local).isTrue();
            assertThat(PeerExchange.worthDialling(local, false)).as("%s from a remote peer", local).isFalse();
        }
        assertThat(PeerExchange.worthDialling(global, false)).isTrue();
        assertThat(PeerExchange.worthDialling(global, true)).isTrue();
    }

    /**
     * A peer that sends ut_pex messages as fast as it can, each naming 50 new addresses: it is disconnected past its
     * allowance, what it made us remember stays within that allowance's worth, and an honest seed still serves the
     * whole torrent.
     */
    @Test
    void aFloodOfPexMessagesIsCutOffAndAnHonestSeedStillServes() {
        SimPeer jtorrent = swarm.leecher(torrent, LinkProfile.LAN);
        ScriptedPeer honest = swarm.scripted(torrent, LinkProfile.LAN, ScriptedPeer.seeding(torrent, piece -> false));
        jtorrent.peersFound(List.of(honest.address()));
        PexScript flooder = script(true);
        flooder.onConnect = c -> {
            List<Message> flood = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                flood.add(pex(nowhere(i * 50, 50)));
            }
            return flood;
        };
        ScriptedPeer flooding = scripted(flooder);
        flooding.connect(jtorrent.address());

        assertThat(swarm.sim().runUntil(jtorrent::isComplete, Duration.ofSeconds(30))).isTrue();

        assertThat(jtorrent.content()).isEqualTo(torrent.content());
        assertThat(flooding.connections().getFirst().isClosed()).as("the flooder was disconnected").isTrue();
        assertThat(swarm.sim().trace()).anyMatch(line -> line.contains("ut_pex messages more often"));
        swarm.sim().runFor(Duration.ofSeconds(2));
        assertThat(jtorrent.stats().knownPeers()).as("the honest seed and three messages' worth at most")
                .isLessThanOrEqualTo(1 + PeerExchange.RECEIVE_BURST * PeerExchange.MAX_TAKEN_PER_MESSAGE);
    }

    /**
     * Three jtorrent peers: B and C each know only A, and B does not exchange peers itself; C connects to B because
     * A told it of B, and everyone ends with the content. Downloads are limited so that B and C are still leechers
     * when A's message comes (a seed drops another seed, and A would then have no B to tell of).
     */
    @Test
    void aJtorrentPeerLearnsAnotherOnlyThroughAThirdsPex() {
        SimTorrent big = SimTorrent.random(23, 256 * PIECE, PIECE);
        SimPeer a = swarm.seed(big, LinkProfile.LAN);
        SimPeer b = swarm.peer(big, new PieceSet(big.info().pieceCount()), LinkProfile.LAN,
                SwarmConfig.DEFAULT.withDownloadLimit(200_000).withPex(false), PieceRecorder.NONE);
        SimPeer c = swarm.peer(big, new PieceSet(big.info().pieceCount()), LinkProfile.LAN,
                SwarmConfig.DEFAULT.withDownloadLimit(200_000), PieceRecorder.NONE);
        b.peersFound(List.of(a.address()));
        swarm.sim().runFor(Duration.ofSeconds(2));
        c.peersFound(List.of(a.address()));

        // B neither sends nor hears of peers: C's second peer can only be B, found through A.
        boolean met = swarm.sim().runUntil(() -> c.stats().peers() == 2, Duration.ofSeconds(10));

        assertThat(met).as("C connected to a second peer").isTrue();
        assertThat(swarm.sim().trace()).as("C dialled B")
                .anyMatch(line -> line.endsWith(c.address() + " connected to " + b.address()));
        assertThat(swarm.runUntilAllComplete(Duration.ofMinutes(3))).isTrue();
        assertThat(b.content()).isEqualTo(big.content());
        assertThat(c.content()).isEqualTo(big.content());
    }
}
