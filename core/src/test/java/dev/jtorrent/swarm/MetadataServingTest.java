package dev.jtorrent.swarm;

import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BString;
import dev.jtorrent.bencode.BencodeEncoder;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.peer.SocketConnection;
import dev.jtorrent.storage.MemoryStorage;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.wire.ExtensionHandshake;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.MetadataCodec;
import dev.jtorrent.wire.MetadataMessage;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.WireCodec;
import dev.jtorrent.wire.WireReader;
import dev.jtorrent.wire.WireWriter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeding swarm serves its torrent's info dictionary over {@code ut_metadata} (BEP 9) to a peer on a real socket
 * that plays a client with a magnet link alone: every piece reassembles to the bytes whose SHA-1 is the info hash;
 * a piece past the end and requests past the per-peer bound are rejected; a private torrent offers nothing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MetadataServingTest {
    /** The id the scripted peer gives ut_metadata: ours is another, so a mix-up shows. */
    private static final int PEER_ID = 5;
    /** Pieces of 16 KiB, 2,000 of them: 40,000 bytes of hashes, an info dictionary of three metadata pieces. */
    private static final int PIECES = 2_000;

    private final ExecutorService diskPool = Executors.newSingleThreadExecutor();
    private Swarm swarm;
    private Socket socket;
    private WireReader fromSwarm;

    @AfterEach
    void stop() throws IOException {
        if (swarm != null) {
            swarm.stop();
        }
        if (socket != null) {
            socket.close();
        }
        diskPool.shutdownNow();
    }

    @Test
    void servesEveryPieceAndTheyHashToTheInfoHash() throws Exception {
        Torrent torrent = torrent(false);
        ExtensionHandshake ours = connect(torrent);
        assertThat(ours.messages()).containsEntry(MetadataMessage.EXTENSION_NAME, MetadataServer.OUR_ID);
        assertThat(ours.metadataSize()).hasValue(torrent.infoBytes().length);

        int size = ours.metadataSize().getAsInt();
        int pieces = (size + MetadataMessage.PIECE_SIZE - 1) / MetadataMessage.PIECE_SIZE;
        assertThat(pieces).isEqualTo(3);
        for (int piece = pieces - 1; piece >= 0; piece--) {
            request(piece);
        }
        ByteArrayOutputStream metadata = new ByteArrayOutputStream();
        byte[][] received = new byte[pieces][];
        for (int i = 0; i < pieces; i++) {
            MetadataMessage.Data data = (MetadataMessage.Data) nextMetadataMessage();
            assertThat(data.totalSize()).isEqualTo(size);
            received[data.piece()] = data.data();
        }
        for (byte[] piece : received) {
            metadata.write(piece);
        }
        assertThat(received[pieces - 1]).hasSize(size - 2 * MetadataMessage.PIECE_SIZE);
        assertThat(MessageDigest.getInstance("SHA-1").digest(metadata.toByteArray()))
                .isEqualTo(torrent.infoHash().bytes());
    }

    @Test
    void aPiecePastTheEndIsRejected() throws Exception {
        connect(torrent(false));
        request(3);
        assertThat(nextMetadataMessage()).isEqualTo(new MetadataMessage.Reject(3));
        request(0);
        assertThat(nextMetadataMessage()).isInstanceOf(MetadataMessage.Data.class);
    }

    @Test
    void requestsPastThePerPeerBoundAreRejected() throws Exception {
        connect(torrent(false));
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        int requests = MetadataServer.MAX_PIECES_PER_SECOND + 10;
        for (int i = 0; i < requests; i++) {
            burst.write(WireCodec.encode(new Message.Extended(MetadataServer.OUR_ID,
                    new MetadataMessage.Request(i % 3).encode())));
        }
        send(burst.toByteArray());

        int served = 0;
        int rejected = 0;
        for (int i = 0; i < requests; i++) {
            if (nextMetadataMessage() instanceof MetadataMessage.Data) {
                served++;
            } else {
                rejected++;
            }
        }
        // The burst takes milliseconds, well inside the bound's second.
        assertThat(served).isEqualTo(MetadataServer.MAX_PIECES_PER_SECOND);
        assertThat(rejected).isEqualTo(10);
    }

    @Test
    void aPrivateTorrentOffersNothingAndRejects() throws Exception {
        ExtensionHandshake ours = connect(torrent(true));
        assertThat(ours.messages()).doesNotContainKey(MetadataMessage.EXTENSION_NAME);
        assertThat(ours.metadataSize()).isEmpty();
        request(0);
        assertThat(nextMetadataMessage()).isEqualTo(new MetadataMessage.Reject(0));
    }

    @Test
    void aMalformedMetadataMessageClosesTheConnection() throws Exception {
        connect(torrent(false));
        send(WireCodec.encode(new Message.Extended(MetadataServer.OUR_ID,
                "d8:msg_typei7e5:piecei0ee".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
        try {
            for (Message m = fromSwarm.read(); m != null; m = fromSwarm.read()) {
                assertThat(m).isNotInstanceOf(Message.Extended.class);
            }
        } catch (java.net.SocketException reset) {
            // closed
        }
    }

    /** A torrent of {@value #PIECES} pieces, made and parsed as a file would be. */
    private static Torrent torrent(boolean isPrivate) throws Exception {
        byte[] hashes = new byte[20 * PIECES];
        new SplittableRandom(7).nextBytes(hashes);
        BDictionary.Builder info = BDictionary.builder()
                .put("length", (long) PIECES * 16_384)
                .put("name", "metadata")
                .put("piece length", 16_384)
                .put("pieces", BString.of(hashes));
        if (isPrivate) {
            info.put("private", 1);
        }
        return Torrent.parse(BencodeEncoder.encode(BDictionary.builder().put("info", info.build()).build()));
    }

    /**
     * Connects the scripted peer to a seeding swarm of {@code torrent}, exchanges extension handshakes (ours gives
     * ut_metadata {@link #PEER_ID}) and returns the swarm's.
     */
    private ExtensionHandshake connect(Torrent torrent) throws Exception {
        var info = torrent.info();
        swarm = new Swarm(torrent.infoHash(), info, PeerId.random("-JT0010-"),
                SwarmConfig.DEFAULT.withMetadata(TorrentMetadata.of(torrent.infoBytes())),
                new MemoryStorage(PieceMap.of(info)), PieceSet.all(info.pieceCount()),
                new PieceSet(info.pieceCount()), diskPool, (address, s) -> { }, () -> { }, PieceRecorder.NONE,
                new SplittableRandom(1));
        swarm.start();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Socket theirs;
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            socket = new Socket(loopback, server.getLocalPort());
            theirs = server.accept();
        }
        InputStream input = theirs.getInputStream();
        Handshake remote = Handshake.of(torrent.infoHash(), PeerId.random("-XX0000-")).withExtensionProtocol(true);
        swarm.accept(SocketConnection.open(theirs, remote, false, input, WireReader.of(input),
                WireWriter.of(theirs.getOutputStream()), info));
        socket.setSoTimeout(10_000);
        fromSwarm = WireReader.of(socket.getInputStream());
        send(WireCodec.encode(ExtensionHandshake.of(Map.of(MetadataMessage.EXTENSION_NAME, PEER_ID)).toMessage()));
        for (Message m = fromSwarm.read(); ; m = fromSwarm.read()) {
            if (m instanceof Message.Extended e && e.extendedId() == ExtensionHandshake.ID) {
                return ExtensionHandshake.from(e);
            }
        }
    }

    private void request(int piece) throws IOException {
        send(WireCodec.encode(new Message.Extended(MetadataServer.OUR_ID,
                new MetadataMessage.Request(piece).encode())));
    }

    /** The next ut_metadata message from the swarm, which must come with the id the peer gave it. */
    private MetadataMessage nextMetadataMessage() throws IOException {
        List<Message> skipped = new ArrayList<>();
        for (Message m = fromSwarm.read(); m != null; m = fromSwarm.read()) {
            if (m instanceof Message.Extended e && e.extendedId() != ExtensionHandshake.ID) {
                assertThat(e.extendedId()).isEqualTo(PEER_ID);
                return MetadataCodec.decode(e.payload());
            }
            skipped.add(m);
        }
        throw new AssertionError("the swarm closed the connection after " + skipped);
    }

    private void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }
}
