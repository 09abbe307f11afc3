package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.tracker.TrackerServer;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.PeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer that breaks the protocol, in its handshake or after a correct one, loses its connection, and nothing else:
 * the seeder goes on serving honest peers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostilePeerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int PIECES = 42; // not a multiple of 8, so the bitfield has spare bits

    @TempDir
    Path dir;

    private TrackerServer tracker;
    private Session seederSession;
    private Torrent torrent;
    private Path content;

    @BeforeEach
    void startSeeder() throws Exception {
        tracker = TrackerServer.start(new InetSocketAddress(LOOPBACK, 0), Duration.ofSeconds(5));
        content = Files.createDirectories(dir.resolve("seed").resolve("data"));
        byte[] bytes = new byte[PIECES * 16_384 - 100];
        new Random(5).nextBytes(bytes);
        Files.write(content.resolve("file.bin"), bytes);
        TorrentBuilder builder = TorrentBuilder.of(content).withPieceLength(Optional.of(16_384))
                .withTrackerTiers(List.of(List.of(tracker.httpAnnounceUrl())));
        torrent = Torrent.parse(builder.build(builder.plan(), new AtomicLong()));
        seederSession = Session.start(SessionConfig.builder().bindAddress(LOOPBACK).port(0).build());
        Adds.checked(seederSession, torrent, content.getParent());
    }

    @AfterEach
    void stop() {
        seederSession.close();
        tracker.close();
    }

    static Stream<Arguments> violations() {
        int bitfieldBytes = (PIECES + 7) / 8;
        byte[] spareBits = new byte[bitfieldBytes];
        spareBits[bitfieldBytes - 1] = 1; // bit 47: past the last piece
        return Stream.of(
                Arguments.of("a bitfield of the wrong size", message(5, new byte[bitfieldBytes + 1])),
                Arguments.of("a bitfield with spare bits set", message(5, spareBits)),
                Arguments.of("a have past the last piece", message(4, ByteBuffer.allocate(4).putInt(PIECES).array())),
                Arguments.of("a length prefix of 4 GiB", new byte[] {-1, -1, -1, -1, 7}),
                Arguments.of("a length prefix one byte over the 1 MiB limit",
                        ByteBuffer.allocate(5).putInt(1024 * 1024 + 14).put((byte) 20).array()),
                Arguments.of("a request of the wrong length", message(6, new byte[5])),
                Arguments.of("a request for a piece past the last", request(PIECES, 0, 16_384)),
                Arguments.of("a request for zero bytes", request(0, 0, 0)),
                Arguments.of("a request for more than 16 KiB", request(0, 0, 16_385)),
                Arguments.of("a request past the end of its piece", request(0, 8_192, 16_384)),
                Arguments.of("a request past the end of the short last piece", request(PIECES - 1, 0, 16_384)),
                // a second bitfield is tolerated (aria2 sends one in place of many haves), but not a bad one
                Arguments.of("a second bitfield of the wrong size", concat(message(5, new byte[bitfieldBytes]),
                        message(5, new byte[bitfieldBytes + 1]))),
                // BEP 10: extension messages use the ids we named, and we name only ut_pex's, 1 (BEP 11), and
                // ut_metadata's, 2 (BEP 9)
                Arguments.of("an extension message with an id we never offered",
                        message(20, "\u0007garbage".getBytes(StandardCharsets.ISO_8859_1))),
                Arguments.of("a ut_pex message that is not a dictionary",
                        message(20, "\u0001garbage".getBytes(StandardCharsets.ISO_8859_1))),
                Arguments.of("a ut_pex message with part of an address",
                        message(20, "\u0001d5:added5:12345e".getBytes(StandardCharsets.ISO_8859_1))),
                Arguments.of("a ut_metadata message that is not a dictionary",
                        message(20, "\u0002garbage".getBytes(StandardCharsets.ISO_8859_1))),
                Arguments.of("a ut_metadata request with bytes after its dictionary",
                        message(20, "\u0002d8:msg_typei0e5:piecei0eeXX".getBytes(StandardCharsets.ISO_8859_1))),
                Arguments.of("blocks sent to a seed that asked for nothing", unrequestedBlocks(17)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void closesTheConnectionAndKeepsServingOthers(String what, byte[] violation) throws Exception {
        try (Socket socket = new Socket(LOOPBACK, seederSession.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(Handshake.of(torrent.infoHash(), PeerId.random("-XX0000-")).withFast(true)
                    .withExtensionProtocol(true).encode());
            out.write(violation);
            out.flush();
            assertThat(readsUntilClosed(socket.getInputStream())).as("the seeder closed the connection").isTrue();
        }

        anHonestLeecherStillDownloads();
    }

    static Stream<Arguments> badHandshakes() {
        byte[] notBitTorrent = new byte[Handshake.LENGTH];
        new Random(1).nextBytes(notBitTorrent);
        notBitTorrent[0] = 19; // the right length byte, then no "BitTorrent protocol"
        return Stream.of(
                Arguments.of("a handshake for another torrent", (HandshakeBytes) (torrent, ourId) ->
                        Handshake.of(InfoHash.of(new byte[20]), PeerId.random("-XX0000-")).encode()),
                Arguments.of("garbage bytes", (HandshakeBytes) (torrent, ourId) ->
                        "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                Arguments.of("68 bytes that are not a handshake", (HandshakeBytes) (torrent, ourId) -> notBitTorrent),
                Arguments.of("the seeder's own peer id", (HandshakeBytes) (torrent, ourId) ->
                        Handshake.of(torrent.infoHash(), ourId).encode()));
    }

    /** What to send in place of a handshake. */
    @FunctionalInterface
    interface HandshakeBytes {
        byte[] of(Torrent torrent, PeerId seedersId);
    }

    /** Refused before anything is sent back: not even our handshake, which would tell the peer what we seed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badHandshakes")
    void closesAConnectionWhoseHandshakeIsWrongWithoutAnswering(String what, HandshakeBytes bytes) throws Exception {
        try (Socket socket = new Socket(LOOPBACK, seederSession.port())) {
            // Bytes that are no plaintext handshake may be the start of an encrypted one (MSE), whose responder
            // waits for its 96-byte key until the handshake's 10 s deadline: wait past that deadline, not to it.
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes.of(torrent, seederSession.peerId()));
            out.flush();
            assertThat(bytesUntilClosed(socket.getInputStream())).as("bytes that came back before the close")
                    .isZero();
        }

        anHonestLeecherStillDownloads();
    }

    /**
     * Bytes read until the other side closed the connection (a reset counts: closing with our bytes unread sends
     * one); -1 if it stayed open.
     */
    private static int bytesUntilClosed(InputStream in) throws IOException {
        int count = 0;
        try {
            while (in.read() >= 0) {
                count++;
            }
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (java.net.SocketException e) {
            // reset
        }
        return count;
    }

    @Test
    void aSecondConnectionWithThePeerIdOfAConnectedPeerIsClosedAndTheFirstKept() throws Exception {
        byte[] handshake = Handshake.of(torrent.infoHash(), PeerId.random("-XX0000-")).withFast(true).encode();
        try (Socket first = new Socket(LOOPBACK, seederSession.port());
             Socket second = new Socket(LOOPBACK, seederSession.port())) {
            first.getOutputStream().write(handshake);
            DataInputStream fromSeeder = new DataInputStream(first.getInputStream());
            fromSeeder.readFully(new byte[Handshake.LENGTH]);
            // Its first message (HaveAll) comes once the swarm has taken the connection in: only then is the
            // second one a duplicate of it, and not the other way round.
            fromSeeder.readFully(new byte[fromSeeder.readInt()]);

            second.setSoTimeout(10_000);
            second.getOutputStream().write(handshake);
            assertThat(readsUntilClosed(second.getInputStream())).as("the duplicate was closed").isTrue();
            first.setSoTimeout(1_000);
            assertThat(readsUntilClosed(first.getInputStream())).as("the first was closed").isFalse();
        }

        anHonestLeecherStillDownloads();
    }

    /** The seeder serves an honest leecher in full after the hostile one. */
    private void anHonestLeecherStillDownloads() throws Exception {
        try (Session leecher = Session.start(SessionConfig.builder().bindAddress(LOOPBACK).port(0).build())) {
            Path downloads = Files.createDirectories(dir.resolve("downloads"));
            TorrentHandle handle = Adds.checked(leecher, torrent, downloads);
            handle.completion().get(30, TimeUnit.SECONDS);
            assertThat(Files.mismatch(content.resolve("file.bin"), downloads.resolve("data/file.bin"))).isEqualTo(-1);
            handle.pause();
        }
    }

    private static boolean readsUntilClosed(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        try {
            while (true) {
                if (data.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        }
    }

    private static byte[] request(int piece, int begin, int length) {
        return message(6, ByteBuffer.allocate(12).putInt(piece).putInt(begin).putInt(length).array());
    }

    /** {@code count} blocks of piece 0 over and over, more than the few a peer may send unasked. */
    private static byte[] unrequestedBlocks(int count) {
        byte[] block = message(7, ByteBuffer.allocate(8 + 16_384).putInt(0).putInt(0).array());
        ByteBuffer all = ByteBuffer.allocate(count * block.length);
        for (int i = 0; i < count; i++) {
            all.put(block);
        }
        return all.array();
    }

    private static byte[] message(int id, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).putInt(1 + payload.length).put((byte) id).put(payload).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }
}
