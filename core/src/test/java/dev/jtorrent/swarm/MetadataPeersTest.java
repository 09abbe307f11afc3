package dev.jtorrent.swarm;

import dev.jtorrent.wire.PeerId;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.wire.ExtensionHandshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.MetadataCodec;
import dev.jtorrent.wire.MetadataMessage;
import dev.jtorrent.wire.ProtocolException;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peers of a search for metadata, with connections that record what is sent to them: what each is told, the
 * bounds on connections, addresses waiting and tried, peers that offer no metadata, liars, and the peers handed on
 * to the swarm.
 */
class MetadataPeersTest {
    private static final byte[] INFO = info(40_000, 7); // three metadata pieces, the last short
    private static final InfoHash HASH = InfoHash.of(sha1(INFO));
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** Lower than any peer's id here ("-XX0000-..."): of two connections to one peer, ours dialled is kept. */
    private static final PeerId OURS = PeerId.of(new byte[20]);

    private final List<InetSocketAddress> dialled = new ArrayList<>();
    private final MetadataPeers peers = new MetadataPeers(HASH, OURS, 6881, dialled::add);

    @Test
    void fetchesTheDictionaryFromAPeerThatOffersItAndHandsItsAddressOn() throws Exception {
        RecordingConnection seed = connection(address(1), true);
        assertThat(peers.accept(seed, 0)).isTrue();

        ExtensionHandshake ours = ExtensionHandshake.from((Message.Extended) seed.sent.getFirst());
        assertThat(ours.messages()).containsEntry(MetadataMessage.EXTENSION_NAME, MetadataServer.OUR_ID);
        assertThat(ours.listenPort()).hasValue(6881);
        assertThat(seed.sent.get(1)).isInstanceOf(Message.HaveNone.class);

        offer(seed, 9, INFO.length, 0);
        peers.pump(0);
        answerRequests(seed, INFO, 9);
        peers.pump(0);
        answerRequests(seed, INFO, 9);

        assertThat(peers.info()).hasValueSatisfying(info -> assertThat(info).isEqualTo(INFO));
        assertThat(peers.peersForSwarm()).containsExactly(address(1));
    }

    /**
     * A peer and we dialled each other at once; over uTP both connections have its listen address. Both ends keep
     * the one the lower peer id dialled (ours here), whichever completed first.
     */
    @Test
    void ofTwoConnectionsToOnePeerOneEachWayTheOneTheLowerIdDialledIsKept() {
        RecordingConnection theirs = connection(address(1), false);
        RecordingConnection ours = connection(address(1), true);
        assertThat(peers.accept(theirs, 0)).isTrue();
        assertThat(peers.accept(ours, 0)).isTrue();
        assertThat(theirs.closeReason()).isNotNull();
        assertThat(theirs.closeReason().detail()).contains("the lower peer id dialled");

        RecordingConnection again = connection(address(1), false);
        assertThat(peers.accept(again, 0)).as("the one we dialled stays").isFalse();
        assertThat(ours.closeReason()).isNull();
    }

    @Test
    void aPeerThatOffersNoMetadataIsClosedAtItsHandshakeOrAfterTheWait() throws Exception {
        RecordingConnection plain = connection(address(1), true);
        RecordingConnection silent = connection(address(2), true);
        peers.accept(plain, 0);
        peers.accept(silent, 0);

        peers.event(new PeerEvent.Received(plain, ExtensionHandshake.of(Map.of()).toMessage()), 0);
        assertThat(plain.closeReason()).isNotNull();
        assertThat(plain.closeReason().detail()).isEqualTo("it offers no metadata");

        peers.tick(MetadataPeers.OFFER_WAIT_NANOS - 1);
        assertThat(silent.closeReason()).isNull();
        peers.tick(MetadataPeers.OFFER_WAIT_NANOS);
        assertThat(silent.closeReason()).isNotNull();
    }

    @Test
    void connectionsPastTheLimitAreRefusedAndDialsStopThere() {
        for (int i = 0; i < MetadataPeers.MAX_CONNECTIONS; i++) {
            assertThat(peers.accept(connection(address(i), false), 0)).isTrue();
        }
        assertThat(peers.accept(connection(address(1000), false), 0)).isFalse();

        peers.peersFound(List.of(address(2000)), 0);
        assertThat(dialled).isEmpty();
        assertThat(peers.known()).isEqualTo(1);
    }

    @Test
    void dialsAtMostTheLimitAtOnceAndTheRestWhenOnesEnd() {
        List<InetSocketAddress> found = new ArrayList<>();
        for (int i = 0; i < MetadataPeers.MAX_CONNECTIONS + 5; i++) {
            found.add(address(i));
        }
        peers.peersFound(found, 0);
        assertThat(dialled).hasSize(MetadataPeers.MAX_CONNECTIONS);

        peers.failed(dialled.getFirst(), 0);
        assertThat(dialled).hasSize(MetadataPeers.MAX_CONNECTIONS + 1);
    }

    @Test
    void addressesWaitingAreBoundedTheOldestForgottenFirst() {
        for (int i = 0; i < MetadataPeers.MAX_CONNECTIONS; i++) {
            peers.accept(connection(address(i), false), 0); // full: nothing is dialled
        }
        List<InetSocketAddress> flood = new ArrayList<>();
        for (int i = 0; i < MetadataPeers.MAX_CANDIDATES + 500; i++) {
            flood.add(address(10_000 + i));
        }
        peers.peersFound(flood, 0);

        assertThat(peers.known()).isEqualTo(MetadataPeers.MAX_CANDIDATES);
        assertThat(peers.peersForSwarm()).hasSize(MetadataPeers.MAX_CANDIDATES)
                .doesNotContain(address(10_000)).contains(address(10_000 + MetadataPeers.MAX_CANDIDATES + 499));
    }

    @Test
    void anAddressTriedIsNotDialledAgainBeforeTheRetryTimeAndTriedOnesAreBounded() {
        peers.peersFound(List.of(address(1)), 0);
        peers.failed(address(1), 0);
        peers.peersFound(List.of(address(1)), SECOND);
        assertThat(dialled).containsExactly(address(1));

        peers.tick(MetadataPeers.RETRY_NANOS);
        assertThat(dialled).containsExactly(address(1), address(1));

        for (int i = 0; i < MetadataPeers.MAX_TRIED + 100; i++) {
            peers.peersFound(List.of(address(100 + i)), 0);
            peers.failed(address(100 + i), 0);
        }
        assertThat(peers.known()).isLessThanOrEqualTo(MetadataPeers.MAX_TRIED + MetadataPeers.MAX_CANDIDATES);
    }

    @Test
    void ourOwnAddressAndPortZeroAreNeverDialled() {
        peers.addOwnAddress(address(1));
        peers.peersFound(List.of(address(1), new InetSocketAddress(address(2).getAddress(), 0), address(3)), 0);
        assertThat(dialled).containsExactly(address(3));
    }

    @Test
    void aLoneLiarIsClosedAndAnHonestPeerStillCompletes() throws Exception {
        RecordingConnection liar = connection(address(1), true);
        peers.accept(liar, 0);
        offer(liar, 3, INFO.length, 0);
        byte[] lies = INFO.clone();
        lies[100] ^= 1;
        for (int round = 0; round < 2 && liar.closeReason() == null; round++) {
            peers.pump(0);
            answerRequests(liar, lies, 3);
        }
        assertThat(liar.closeReason()).isNotNull();
        assertThat(liar.closeReason().kind()).isEqualTo(CloseReason.Kind.BANNED);
        peers.event(new PeerEvent.Closed(liar, liar.closeReason()), 0);

        RecordingConnection honest = connection(address(2), true);
        peers.accept(honest, 0);
        offer(honest, 4, INFO.length, 0);
        for (int round = 0; round < 3 && peers.info().isEmpty(); round++) {
            peers.pump(0);
            answerRequests(honest, INFO, 4);
        }
        assertThat(peers.info()).hasValueSatisfying(info -> assertThat(info).isEqualTo(INFO));
    }

    @Test
    void aRequestForOurMetadataIsRejectedAndAMalformedMessageClosesThePeer() throws Exception {
        RecordingConnection peer = connection(address(1), true);
        peers.accept(peer, 0);
        offer(peer, 3, INFO.length, 0);
        peer.sent.clear();

        peers.event(new PeerEvent.Received(peer, new Message.Extended(MetadataServer.OUR_ID,
                new MetadataMessage.Request(0).encode())), 0);
        peers.pump(0);
        assertThat(peer.sent).anySatisfy(message -> assertThat(message).isEqualTo(
                new Message.Extended(3, new MetadataMessage.Reject(0).encode())));

        peers.event(new PeerEvent.Received(peer, new Message.Extended(MetadataServer.OUR_ID, "garbage".getBytes())),
                0);
        assertThat(peer.closeReason().kind()).isEqualTo(CloseReason.Kind.PROTOCOL_VIOLATION);
    }

    @Test
    void aClaimedSizePastTheBoundIsRefused() throws Exception {
        RecordingConnection greedy = connection(address(1), true);
        peers.accept(greedy, 0);
        offer(greedy, 3, MetadataAssembly.MAX_METADATA_SIZE + 1, 0);
        assertThat(greedy.closeReason()).isNotNull();
        assertThat(peers.heldBytes()).isZero();
    }

    @Test
    void takesPeersFromPexAtMostOneMessageInTheInterval() throws Exception {
        RecordingConnection peer = connection(address(1), true);
        peers.accept(peer, 0);
        ExtensionHandshake ours = ExtensionHandshake.from((Message.Extended) peer.sent.getFirst());
        assertThat(ours.messages()).containsEntry(dev.jtorrent.wire.PexMessage.EXTENSION_NAME, PeerExchange.OUR_ID);

        List<dev.jtorrent.wire.PexMessage.Added> added = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            added.add(new dev.jtorrent.wire.PexMessage.Added(address(100 + i), 0));
        }
        added.add(new dev.jtorrent.wire.PexMessage.Added(new InetSocketAddress(address(7).getAddress(), 0), 0));
        byte[] pex = new dev.jtorrent.wire.PexMessage(added, List.of()).encode();
        peers.event(new PeerEvent.Received(peer, new Message.Extended(PeerExchange.OUR_ID, pex)), 0);
        assertThat(dialled).hasSize(MetadataPeers.MAX_CONNECTIONS - 1);
        assertThat(peers.known()).isEqualTo(PeerExchange.MAX_TAKEN_PER_MESSAGE);

        peers.event(new PeerEvent.Received(peer, new Message.Extended(PeerExchange.OUR_ID,
                new dev.jtorrent.wire.PexMessage(List.of(new dev.jtorrent.wire.PexMessage.Added(address(9_999), 0)),
                        List.of()).encode())), MetadataPeers.PEX_INTERVAL_SECONDS * SECOND - 1);
        assertThat(peers.peersForSwarm()).doesNotContain(address(9_999));
        peers.event(new PeerEvent.Received(peer, new Message.Extended(PeerExchange.OUR_ID,
                new dev.jtorrent.wire.PexMessage(List.of(new dev.jtorrent.wire.PexMessage.Added(address(9_999), 0)),
                        List.of()).encode())), MetadataPeers.PEX_INTERVAL_SECONDS * SECOND);
        assertThat(peers.peersForSwarm()).contains(address(9_999));
    }

    @Test
    void afterCloseAllNothingIsDialledOrTaken() {
        peers.closeAll(new CloseReason(CloseReason.Kind.STOPPING, "stopped"));
        peers.peersFound(List.of(address(1)), 0);
        assertThat(dialled).isEmpty();
        assertThat(peers.accept(connection(address(2), true), 0)).isFalse();
    }

    private static RecordingConnection connection(InetSocketAddress address, boolean outgoing) {
        return new RecordingConnection(address, outgoing, HASH);
    }

    private void offer(RecordingConnection peer, int id, int size, long now) {
        peers.event(new PeerEvent.Received(peer, ExtensionHandshake.of(Map.of(MetadataMessage.EXTENSION_NAME, id))
                .withMetadataSize(size).toMessage()), now);
    }

    /** Answers every request sent to {@code peer} since the last call with the piece of {@code info}. */
    private void answerRequests(RecordingConnection peer, byte[] info, int id) throws ProtocolException {
        List<Message> sent = List.copyOf(peer.sent);
        peer.sent.clear();
        for (Message message : sent) {
            if (message instanceof Message.Extended extended && extended.extendedId() == id
                    && MetadataCodec.decode(extended.payload()) instanceof MetadataMessage.Request request) {
                int offset = request.piece() * MetadataMessage.PIECE_SIZE;
                byte[] piece = Arrays.copyOfRange(info, offset,
                        Math.min(info.length, offset + MetadataMessage.PIECE_SIZE));
                peers.event(new PeerEvent.Received(peer, new Message.Extended(MetadataServer.OUR_ID,
                        new MetadataMessage.Data(request.piece(), info.length, piece).encode())), 0);
            }
        }
    }

    private static InetSocketAddress address(int i) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8),
                    (byte) i}), 6881);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] info(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] sha1(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
