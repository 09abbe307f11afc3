package dev.jtorrent.swarm;

import dev.jtorrent.budget.SessionBudgets;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.ConnectionTarget;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.storage.FilePriority;
import dev.jtorrent.storage.MemoryStorage;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.testkit.SimTorrent;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.PeerMessageValidator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A torrent that has every piece it wants drops the seeds it is connected to ("both sides are seeds"), and when it
 * wants more (a skipped file wanted now) it must dial them again at once, not after the 30 s a known peer waits
 * between connections. The logic is driven by hand, event by event, with the clock standing still: a close is
 * reported by the connection's reader, on another thread and later, so the new priorities may well be handled before
 * it, and the redial must not depend on which comes first. {@code SelectiveDownloadTest} stalled for 30 s in about
 * one run of five on that race.
 */
class RedialAfterWantingMoreTest {
    private static final int PIECE = 16 * 1024;
    /** The seed's listen address, which a tracker names and we dial. */
    private static final InetSocketAddress SEED = new InetSocketAddress(InetAddress.getLoopbackAddress(), 6881);
    /** Where the seed's own connection to us comes from: an ephemeral port. */
    private static final InetSocketAddress SEED_DIALLING = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50123);
    /** Ours, above every other id, so that a connection the seed dialled is the one both ends keep. */
    private static final PeerId OUR_ID = PeerId.of(filled((byte) 0xFF));

    private final SimTorrent torrent = SimTorrent.random(7, 4 * PIECE, PIECE);
    private final Handshake seedHandshake = Handshake.of(torrent.infoHash(), PeerId.random("-XX0000-"))
            .withExtensionProtocol(true).withFast(true);
    /** The addresses the logic dialled, in order. */
    private final List<InetSocketAddress> dialled = new ArrayList<>();
    private final long now = 1_000_000_000_000L;
    private SwarmLogic logic;

    @BeforeEach
    void wantingNothing() {
        InfoDictionary info = torrent.info();
        int pieces = info.pieceCount();
        SwarmEdges edges = new SwarmEdges(() -> now, new DroppedEvents(), Runnable::run,
                (address, target) -> dialled.add(address), new Target(torrent.infoHash(), info));
        logic = new SwarmLogic(info, OUR_ID, SwarmConfig.DEFAULT, new MemoryStorage(PieceMap.of(info)),
                new PieceSet(pieces), new PieceSet(pieces), PieceRecorder.NONE, () -> { }, new SplittableRandom(1),
                new DownloadOptions(List.of(FilePriority.SKIP), false), SessionBudgets.unlimited(), edges);
        assertThat(logic.completion()).as("its one file skipped, it wants nothing").isDone();
    }

    @ParameterizedTest(name = "the close reported {0} the new priorities")
    @ValueSource(strings = {"before", "after"})
    void aSeedDroppedWhileNothingWasWantedIsDialledAgainAtOnceWhenMoreIs(String order) {
        logic.handle(new SwarmEvent.PeersFound(List.of(SEED)));
        assertThat(dialled).containsExactly(SEED);
        RecordingConnection seed = new RecordingConnection(SEED, true, seedHandshake);
        joinAsASeed(seed);
        CloseReason dropped = seed.closeReason();
        assertThat(dropped).as("two seeds have nothing to trade").isNotNull();
        assertThat(dropped.kind()).isEqualTo(CloseReason.Kind.NOT_WANTED);

        if (order.equals("before")) {
            reportClosed(seed, dropped);
            wantEverything();
        } else {
            wantEverything();
            reportClosed(seed, dropped);
        }
        logic.turn(now);

        assertThat(dialled).as("dialled again at once, the clock standing still").containsExactly(SEED, SEED);
    }

    /**
     * The seed dialled us while we dialled it: both ends keep the seed's connection (ours is the higher id), and
     * ours is refused as a duplicate. Its address must not stay marked connected once that connection goes, or it is
     * never dialled again.
     */
    @Test
    void anAddressWhoseConnectionWasRefusedAsADuplicateIsDialledAgainWhenMoreIsWanted() {
        logic.handle(new SwarmEvent.PeersFound(List.of(SEED)));
        RecordingConnection theirs = new RecordingConnection(SEED_DIALLING, false, seedHandshake);
        logic.handle(new SwarmEvent.Connected(theirs));
        RecordingConnection ours = new RecordingConnection(SEED, true, seedHandshake);
        logic.handle(new SwarmEvent.Connected(ours));
        assertThat(ours.closeReason()).as("a second connection to the same peer").isNotNull();
        assertThat(ours.started).isNotDone();
        logic.handle(new SwarmEvent.FromPeer(new PeerEvent.Received(theirs, new Message.HaveAll())));
        assertThat(theirs.closeReason()).as("two seeds have nothing to trade").isNotNull();
        reportClosed(theirs, theirs.closeReason());

        wantEverything();
        logic.turn(now);

        assertThat(dialled).as("dialled again at once, the clock standing still").containsExactly(SEED, SEED);
    }

    /**
     * A peer dials us again once the connection it dialled before has ended, before that end is handled (its reader
     * saw the close; the event is still on its way): the new connection takes its place, rather than being refused as
     * a duplicate and the peer left to wait out its back-off. A magnet link's search hands over to its swarm that
     * way, on the other side. While the old connection is live, a second with its peer id is refused
     * ({@code HostilePeerTest}): a peer id is no secret, and must not let a stranger push a peer out.
     */
    @Test
    void aPeerThatDialsUsAgainOnceItsConnectionEndedIsTakenAtOnce() {
        RecordingConnection first = new RecordingConnection(SEED_DIALLING, false, seedHandshake);
        logic.handle(new SwarmEvent.Connected(first));
        assertThat(first.started).isDone();
        first.close(CloseReason.of(CloseReason.Kind.NETWORK_ERROR, "the peer closed the connection"));
        RecordingConnection again = new RecordingConnection(
                new InetSocketAddress(SEED_DIALLING.getAddress(), SEED_DIALLING.getPort() + 1), false, seedHandshake);
        logic.handle(new SwarmEvent.Connected(again));

        assertThat(again.started).isDone();
        assertThat(again.closeReason()).isNull();
        reportClosed(first, first.closeReason()); // comes late, and changes nothing
        assertThat(again.closeReason()).isNull();
    }

    /** The connection joins and says it has every piece: we, wanting nothing, close it. */
    private void joinAsASeed(RecordingConnection connection) {
        logic.handle(new SwarmEvent.Connected(connection));
        logic.handle(new SwarmEvent.FromPeer(new PeerEvent.Received(connection, new Message.HaveAll())));
    }

    /** What the connection's reader reports once the socket is closed. */
    private void reportClosed(PeerConnection connection, CloseReason reason) {
        logic.handle(new SwarmEvent.FromPeer(new PeerEvent.Closed(connection, reason)));
    }

    /** The skipped file is wanted now, as {@code TorrentHandle.setFilePriority} asks of a running torrent. */
    private void wantEverything() {
        logic.handle(new SwarmEvent.PrioritiesChanged(List.of(FilePriority.NORMAL)));
        assertThat(logic.stats().complete()).isFalse();
    }

    private static byte[] filled(byte value) {
        byte[] bytes = new byte[PeerId.LENGTH];
        Arrays.fill(bytes, value);
        return bytes;
    }

    /** Events the logic posts to itself (disk results, budget room): none matter here. */
    private static final class DroppedEvents implements SwarmInbox {
        @Override
        public void post(SwarmEvent event) {
        }

        @Override
        public void putFromReader(PeerEvent event) {
        }
    }

    /** The torrent as the connector would hand connections back to it; the test hands them itself. */
    private record Target(InfoHash infoHash, InfoDictionary info) implements ConnectionTarget {
        @Override
        public PeerMessageValidator validator(Handshake theirs) {
            return PeerMessageValidator.of(info, theirs);
        }

        @Override
        public void accept(PeerConnection connection) {
            throw new AssertionError("the test hands connections to the logic itself");
        }

        @Override
        public void connectFailed(InetSocketAddress address, String reason) {
            throw new AssertionError("the test reports no failed dial");
        }
    }
}
