package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.swarm.SwarmConfig;
import dev.jtorrent.wire.Message;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.jtorrent.session.FakePeer.await;
import static dev.jtorrent.session.FakePeer.block;
import static dev.jtorrent.session.FakePeer.corrupt;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile peers seen from a downloading session (issue 5, "Hostile peers"): fake peers on raw sockets serve the
 * download, some of them lying, and the download still completes bit-exact from the honest ones while the liars are
 * closed or banned. A ban is by IP, so a banned fake that connects again is refused; an honest one is let back in.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostilePeerDownloadTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int BLOCK = 16 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private Torrent torrent;
    private byte[] content;
    private int pieceLength;
    private Session leecher;
    private TorrentHandle download;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    /**
     * A seed that corrupts a quarter of the pieces it serves, beside an honest seed: it sends a bad piece alone (a
     * piece comes whole from one peer), so it is banned at once (libtorrent's rule for a sole sender), and the
     * download completes from the honest seed.
     */
    @Test
    void aSeedThatCorruptsAQuarterOfItsPiecesIsBanned() throws Exception {
        startDownload(32, 2 * BLOCK, SwarmConfig.DEFAULT);
        Set<Integer> servedPieces = ConcurrentHashMap.newKeySet();
        FakePeer liar = fake().serving((peer, r) -> {
            servedPieces.add(r.piece());
            byte[] data = block(content, pieceLength, r);
            // every fourth piece it is asked for goes out corrupt
            peer.sendPiece(r.piece(), r.begin(), servedPieces.size() % 4 == 0 ? corrupt(data) : data);
        }).actAsSeed();
        // The liar alone at first: it is asked for a whole pipeline (32 blocks, 16 pieces), so it certainly lies.
        await("the liar to be asked for four pieces", WAIT, () -> servedPieces.size() >= 4);
        FakePeer honest = fake().serving(FakePeer.honest(content, pieceLength)).actAsSeed();

        completesBitExact();
        assertThat(liar.awaitClosed(WAIT)).as("the liar was disconnected").isTrue();
        assertThat(download.stats().wasted()).as("the bad piece was counted as waste").isGreaterThan(0);
        assertBanned(liar);
        assertNotBanned(honest);
    }

    /**
     * Smart ban (libtorrent): a piece that fails with blocks from two peers puts both under suspicion; once the piece
     * passes, each sender's remembered blocks are compared with the good ones, and only the peer whose block differed
     * is banned. The honest fake serves blocks 0 and 1 of each piece and leaves 2 and 3 to the liar while the liar is
     * connected; the liar serves 2 and 3, corrupt the first time. Each piece thus fails once with both as senders,
     * then passes with the liar's good blocks: two shared failures cost both only trust, and without smart ban
     * nobody would be banned.
     */
    @Test
    void smartBanBlamesOnlyThePeerWhoseBlockWasWrong() throws Exception {
        startDownload(2, 4 * BLOCK, SwarmConfig.DEFAULT);
        Set<Message.Request> liedAbout = ConcurrentHashMap.newKeySet();
        FakePeer liar = fake().serving((peer, r) -> {
            if (r.begin() / BLOCK >= 2) {
                byte[] data = block(content, pieceLength, r);
                peer.sendPiece(r.piece(), r.begin(), liedAbout.add(r) ? corrupt(data) : data);
            }
        });
        HeldRequests held = new HeldRequests(liar);
        FakePeer honest = fake().serving((peer, r) -> {
            if (r.begin() / BLOCK < 2 || !held.hold(r)) {
                peer.sendPiece(r.piece(), r.begin(), block(content, pieceLength, r));
            }
        });
        held.releaseTo(honest);
        liar.actAsSeed();
        honest.actAsSeed();

        completesBitExact();
        assertThat(liedAbout).as("the liar's blocks were asked for").isNotEmpty();
        assertThat(liar.awaitClosed(WAIT)).as("the liar was disconnected").isTrue();
        assertBanned(liar);
        assertNotBanned(honest);
    }

    /** Requests the honest fake leaves unanswered while the liar is connected, and answers once it is gone. */
    private final class HeldRequests {
        private final List<Message.Request> requests = new ArrayList<>();
        private final FakePeer liar;
        private FakePeer honest;

        HeldRequests(FakePeer liar) {
            this.liar = liar;
        }

        /** Keeps {@code r} for later; false if the liar is already gone (answer it now). */
        synchronized boolean hold(Message.Request r) {
            if (liar.isClosed()) {
                return false;
            }
            requests.add(r);
            return true;
        }

        void releaseTo(FakePeer peer) {
            honest = peer;
            liar.closed().thenRun(this::release);
        }

        private synchronized void release() {
            try {
                for (Message.Request r : requests) {
                    honest.sendPiece(r.piece(), r.begin(), block(content, pieceLength, r));
                }
            } catch (IOException e) {
                // the honest fake is gone too; the test will say so
            }
            requests.clear();
        }
    }

    /** Data a peer sends that is not what was asked for; each kind is dropped without harm to the piece. */
    enum Junk {
        /** The block that is being fetched from the honest peer, corrupt, from a peer never asked for it. */
        UNREQUESTED,
        /** Half a block off: it would straddle two blocks. */
        CROSSING_A_BLOCK_BOUNDARY,
        /** 32 KiB of data, twice the largest block anyone requests (and under the 128 KiB that closes the peer). */
        OVERSIZED,
        /** Runs past the end of its piece. */
        PAST_THE_PIECE_END
    }

    /**
     * A peer sends data nobody asked it for, or that does not fit a block, into the pieces being fetched: whenever
     * the honest fake is asked for a block, the junk fake sends its junk for that place first. Junk is dropped (and
     * counted as waste), never mixed into a piece: no piece fails, so the honest peer is asked for each block once.
     * Past {@link dev.jtorrent.swarm.PeerConnection}'s few blocks of grace, the junk fake is closed.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Junk.class)
    void dataThatWasNotRequestedIsDropped(Junk junk) throws Exception {
        startDownload(16, 4 * BLOCK, SwarmConfig.DEFAULT);
        FakePeer sender = fake();
        sender.send(new Message.HaveNone()); // a leecher: it is never asked for anything
        Map<Message.Request, Integer> asked = new ConcurrentHashMap<>();
        FakePeer honest = fake().serving((peer, r) -> {
            asked.merge(r, 1, Integer::sum);
            byte[] data = block(content, pieceLength, r);
            if (!sender.isClosed()) {
                sendJunk(sender, junk, r, data);
            }
            peer.sendPiece(r.piece(), r.begin(), data);
        }).actAsSeed();

        completesBitExact();
        assertThat(asked.values()).as("no piece failed, so no block was asked for twice").containsOnly(1);
        assertThat(asked).hasSize((content.length + BLOCK - 1) / BLOCK);
        assertThat(sender.awaitClosed(WAIT)).as("the junk sender was disconnected").isTrue();
        assertNotBanned(honest);
    }

    /** Sends junk for the place of {@code r}; a sender closed meanwhile sends nothing more. */
    private void sendJunk(FakePeer sender, Junk junk, Message.Request r, byte[] data) {
        try {
            switch (junk) {
                case UNREQUESTED -> sender.sendPiece(r.piece(), r.begin(), corrupt(data));
                case CROSSING_A_BLOCK_BOUNDARY -> sender.sendPiece(r.piece(), r.begin() + BLOCK / 2,
                        corrupt(data));
                case OVERSIZED -> sender.sendPiece(r.piece(), r.begin(), new byte[2 * BLOCK]);
                case PAST_THE_PIECE_END -> sender.sendPiece(r.piece(), pieceLength - BLOCK / 2, corrupt(data));
            }
        } catch (IOException e) {
            // the leecher closed it for its junk: what this test expects
        }
    }

    /** Message lengths a peer may not send; the leecher closes the connection and downloads from the others. */
    enum TooLong {
        /** A length prefix of 1 MiB + 14, one byte over the limit (a bitfield for 2^23 pieces and its id). */
        MESSAGE_OVER_THE_LIMIT,
        /** A piece message with 256 KiB of data, over the 128 KiB ceiling for one block. */
        BLOCK_OVER_THE_CEILING
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TooLong.class)
    void aSeedThatSendsAnOverlongMessageIsClosed(TooLong what) throws Exception {
        startDownload(16, 4 * BLOCK, SwarmConfig.DEFAULT);
        FakePeer bad = fake().serving((peer, r) -> {
            ByteBuffer message = switch (what) {
                case MESSAGE_OVER_THE_LIMIT -> ByteBuffer.allocate(5).putInt(1024 * 1024 + 14).put((byte) 20);
                case BLOCK_OVER_THE_CEILING -> ByteBuffer.allocate(13).putInt(9 + 256 * 1024).put((byte) 7)
                        .putInt(r.piece()).putInt(r.begin());
            };
            peer.sendRaw(message.array());
        }).actAsSeed();
        assertThat(bad.awaitClosed(WAIT)).as("the leecher closed the connection").isTrue();
        fake().serving(FakePeer.honest(content, pieceLength)).actAsSeed();

        completesBitExact();
    }

    /**
     * A peer that unchokes and takes requests but never answers them is snubbed after the request timeout: its
     * requests are cancelled (it speaks BEP 6, so it is told) and given to others, and it gets no new ones. Not the
     * same as {@code LocalSwarmTest.peersThatNeverAnswerDoNotHoldUpTheDownload}, whose peers never finish the
     * handshake. The silent peer is alone at first, so nothing but the timeout can take its requests away.
     */
    @Test
    void requestsToAPeerThatNeverAnswersGoElsewhereAfterTheTimeout() throws Exception {
        int timeoutSecs = 2;
        startDownload(16, 4 * BLOCK, SwarmConfig.DEFAULT.withRequestTimeoutSecs(timeoutSecs));
        FakePeer silent = fake().actAsSeed(); // answers nothing
        await("the silent peer to be asked for blocks", WAIT, () -> !silent.received(Message.Request.class).isEmpty());
        long asked = System.nanoTime();
        await("its requests to be cancelled", WAIT, () -> cancelledAll(silent));
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("cancelled after the timeout, not before")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(timeoutSecs - 1));
        int requestsBefore = silent.received(Message.Request.class).size();

        fake().serving(FakePeer.honest(content, pieceLength)).actAsSeed();
        completesBitExact();
        assertThat(silent.received(Message.Request.class)).as("no new requests to the snubbed peer")
                .hasSize(requestsBefore);
    }

    private static boolean cancelledAll(FakePeer peer) {
        Set<List<Integer>> requested = new HashSet<>();
        for (Message.Request r : peer.received(Message.Request.class)) {
            requested.add(List.of(r.piece(), r.begin(), r.length()));
        }
        for (Message.Cancel c : peer.received(Message.Cancel.class)) {
            requested.remove(List.of(c.piece(), c.begin(), c.length()));
        }
        return requested.isEmpty();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private void startDownload(int pieces, int pieceLength, SwarmConfig swarm) throws Exception {
        this.pieceLength = pieceLength;
        Path data = Files.createDirectories(dir.resolve("seed").resolve("data"));
        content = new byte[pieces * pieceLength - 1000]; // a short last piece
        new Random(pieces).nextBytes(content);
        Files.write(data.resolve("file.bin"), content);
        TorrentBuilder builder = TorrentBuilder.of(data).withPieceLength(Optional.of(pieceLength));
        torrent = Torrent.parse(builder.build(builder.plan(), new AtomicLong()));
        leecher = Session.start(SessionConfig.builder().bindAddress(LOOPBACK).port(0).build().withSwarm(swarm));
        open.add(leecher);
        download = Adds.checked(leecher, torrent, Files.createDirectories(dir.resolve("downloads")));
        open.add(download::pause);
    }

    private FakePeer fake() throws IOException {
        FakePeer peer = FakePeer.connect(leecher.port(), torrent.infoHash());
        open.add(peer);
        return peer;
    }

    private void completesBitExact() throws Exception {
        download.completion().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(Files.readAllBytes(dir.resolve("downloads/data/file.bin"))).isEqualTo(content);
    }

    /** The peer's address is banned: connecting again from it, the session answers the handshake and hangs up. */
    private void assertBanned(FakePeer peer) throws Exception {
        try (FakePeer again = FakePeer.connect(peer.address(), leecher.port(), torrent.infoHash())) {
            again.send(new Message.HaveNone());
            assertThat(again.awaitClosed(WAIT)).as("%s connecting again is refused", peer).isTrue();
            assertThat(again.received(Message.HaveAll.class)).isEmpty();
        }
    }

    /** The peer's address is not banned: connecting again from it, it is taken in (and offered the pieces). */
    private void assertNotBanned(FakePeer peer) throws Exception {
        try (FakePeer again = FakePeer.connect(peer.address(), leecher.port(), torrent.infoHash())) {
            again.send(new Message.HaveNone());
            await(peer + " connecting again to be offered the pieces", WAIT,
                    () -> !again.received(Message.HaveAll.class).isEmpty() || again.isClosed());
            assertThat(again.isClosed()).as("%s connecting again is refused", peer).isFalse();
        }
    }
}
