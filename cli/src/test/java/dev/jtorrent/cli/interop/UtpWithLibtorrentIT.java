package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.utp.UtpLimits;
import dev.jtorrent.utp.UtpSocket;
import dev.jtorrent.utp.UtpStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * jtorrent's uTP against libtorrent's: a libtorrent seeder with TCP off (ltpeer.py, from ../shared/recipes, with
 * 4 MiB UDP buffers as the recipe advises) on 127.0.72.2, and jtorrent's {@link UtpSocket} on 127.0.72.1 dialling
 * it. Over the {@link UtpStream}, by hand: the 68-byte plaintext BitTorrent handshake (libtorrent's comes back with
 * the same info hash), then interested, and requests for every block of the torrent; the pieces that come back
 * are the file, byte for byte. libtorrent sends the data, so this exercises our receiving side against its
 * sending one (its packets of at most 1,500 bytes, its LEDBAT), and our SYN, ACKs, SACKs and FIN against its.
 */
class UtpWithLibtorrentIT {
    private static final String JTORRENT_IP = "127.0.72.1";
    private static final String LIBTORRENT_IP = "127.0.72.2";
    private static final int SIZE = 8 << 20;
    private static final int PIECE = 256 << 10;
    private static final int BLOCK = 16 << 10;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<AutoCloseable> started = new ArrayList<>();

    @Test
    @Timeout(180) // a backstop: each wait has its own limit
    void downloadsATorrentFromALibtorrentSeederOverUtpByHand() throws Exception {
        Libtorrent libtorrent = Libtorrent.require();
        Path data = Files.createDirectories(dir.resolve("data"));
        byte[] content = new byte[SIZE];
        new Random(72).nextBytes(content);
        Files.write(data.resolve("payload.bin"), content);
        Path torrent = dir.resolve("payload.torrent");
        libtorrent.create(data.resolve("payload.bin"), torrent, PIECE, Libtorrent.Layout.V1, List.of());
        Path script = dir.resolve("ltpeer.py");
        Files.writeString(script, Libtorrent.resource("ltpeer.py"));
        int port = Loopback.freePort(LIBTORRENT_IP);
        BackgroundProcess seeder = BackgroundProcess.start("libtorrent-utp-seeder", List.of(
                libtorrent.python().toString(), script.toString(), "--ip", LIBTORRENT_IP, "--port",
                Integer.toString(port), "--seed", torrent.toString(), "--data", data.toString(), "--transport", "utp",
                "--utp-buffers", "--exit-on-finish", "--max-seconds", "300"), dir, Map.of("HOME", dir.toString()));
        started.add(seeder);
        seeder.awaitLineStartingWith("{\"event\": \"ready\"", WAIT);
        String readyLine = Files.readAllLines(seeder.log()).stream().filter(l -> l.contains("\"ready\""))
                .findFirst().orElseThrow();
        byte[] infoHash = hex(readyLine.replaceAll(".*\"info_hash\": \"([0-9a-f]{40})\".*", "$1"));

        UtpSocket socket = UtpSocket.open(new InetSocketAddress(Loopback.address(JTORRENT_IP), 0), UtpLimits.DEFAULTS);
        started.add(socket);
        long start = System.nanoTime();
        // libtorrent adds the torrent a moment after it says it is ready, and until then accepts a uTP connection
        // only to close it at once: handshake until it answers
        UtpStream stream = Await.until("libtorrent's handshake over uTP", WAIT, () -> handshake(socket,
                new InetSocketAddress(Loopback.address(LIBTORRENT_IP), port), infoHash), seeder::describe);
        started.add(stream);
        DataInputStream in = new DataInputStream(Channels.newInputStream(stream));
        double handshakeSeconds = (System.nanoTime() - start) / 1e9;

        stream.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 2})); // interested
        awaitUnchoke(in);
        ByteBuffer requests = ByteBuffer.allocate(SIZE / BLOCK * 17);
        for (int offset = 0; offset < SIZE; offset += BLOCK) {
            requests.putInt(13).put((byte) 6).putInt(offset / PIECE).putInt(offset % PIECE).putInt(BLOCK);
        }
        long downloading = System.nanoTime();
        stream.write(requests.flip());
        byte[] received = new byte[SIZE];
        int blocks = 0;
        while (blocks < SIZE / BLOCK) {
            int length = in.readInt();
            if (length == 0) {
                continue; // keep-alive
            }
            int id = in.readUnsignedByte();
            if (id != 7) {
                in.skipNBytes(length - 1); // have, bitfield, choke... whatever else libtorrent says
                continue;
            }
            int index = in.readInt();
            int begin = in.readInt();
            in.readFully(received, index * PIECE + begin, length - 9);
            blocks++;
        }
        double seconds = (System.nanoTime() - downloading) / 1e9;
        assertThat(MessageDigest.getInstance("SHA-1").digest(received))
                .isEqualTo(MessageDigest.getInstance("SHA-1").digest(content));
        stream.close();
        System.out.printf("uTP with libtorrent: handshake after %.3f s; %d MiB downloaded by hand in %.2f s (%.1f MiB/s)%n",
                handshakeSeconds, SIZE >> 20, seconds, SIZE / 1048576.0 / seconds);
    }

    @Test
    @Timeout(180)
    void aLibtorrentLeecherWithTcpOffDownloadsFromUsOverUtp() throws Exception {
        Libtorrent libtorrent = Libtorrent.require();
        Path data = Files.createDirectories(dir.resolve("data"));
        byte[] content = new byte[SIZE];
        new Random(73).nextBytes(content);
        Files.write(data.resolve("payload.bin"), content);
        Path torrent = dir.resolve("payload.torrent");
        libtorrent.create(data.resolve("payload.bin"), torrent, PIECE, Libtorrent.Layout.V1, List.of());

        UtpSocket socket = UtpSocket.open(new InetSocketAddress(Loopback.address(JTORRENT_IP), 0), UtpLimits.DEFAULTS);
        started.add(socket);
        java.util.concurrent.CompletableFuture<String> served = new java.util.concurrent.CompletableFuture<>();
        socket.onAccept(stream -> Thread.ofVirtual().start(() -> {
            try (stream) {
                serve(stream, content);
            } catch (Exception e) {
                served.complete(e.toString()); // the leecher closes when done: an end is expected
            }
        }));
        Path script = dir.resolve("ltpeer.py");
        Files.writeString(script, Libtorrent.resource("ltpeer.py"));
        int port = Loopback.freePort(LIBTORRENT_IP);
        long start = System.nanoTime();
        BackgroundProcess leecher = BackgroundProcess.start("libtorrent-utp-leecher", List.of(
                libtorrent.python().toString(), script.toString(), "--ip", LIBTORRENT_IP, "--port",
                Integer.toString(port), "--torrent", torrent.toString(), "--save", dir.resolve("save").toString(),
                "--transport", "utp", "--utp-buffers", "--exit-on-finish", "--max-seconds", "300",
                // plaintext at once: libtorrent would try MSE first, which this seed by hand does not speak, and
                // come back in plaintext only after ten seconds
                "--enc", "disabled", "--connect", JTORRENT_IP + ":" + socket.localAddress().getPort()), dir, Map.of("HOME", dir.toString()));
        started.add(leecher);
        leecher.awaitLineStartingWith("{\"event\": \"finished\"", WAIT);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(Files.readAllBytes(dir.resolve("save").resolve("payload.bin"))).isEqualTo(content);
        String peers = String.join("\n", Files.readAllLines(leecher.log()));
        assertThat(peers).as("libtorrent's connection to us was uTP").contains("\"transport\": \"utp\"");
        System.out.printf("uTP to libtorrent: it downloaded %d MiB from us in %.2f s, start to finish%n",
                SIZE >> 20, seconds);
    }

    /** A seed by hand: handshake, a full bitfield, unchoke, and a piece message for every request. */
    private static void serve(UtpStream stream, byte[] content) throws IOException {
        DataInputStream in = new DataInputStream(Channels.newInputStream(stream));
        byte[] theirs = new byte[68];
        in.readFully(theirs);
        ByteBuffer ours = ByteBuffer.allocate(68);
        ours.put((byte) 19).put("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII)).put(new byte[8])
                .put(theirs, 28, 20).put("-JT0001-utp-interop2".getBytes(StandardCharsets.US_ASCII)).flip();
        stream.write(ours);
        int pieces = content.length / PIECE;
        ByteBuffer hello = ByteBuffer.allocate(4 + 1 + (pieces + 7) / 8 + 5);
        hello.putInt(1 + (pieces + 7) / 8).put((byte) 5);
        for (int i = 0; i < (pieces + 7) / 8; i++) {
            hello.put((byte) (i < pieces / 8 ? 0xFF : (0xFF << (8 - pieces % 8)) & 0xFF));
        }
        hello.putInt(1).put((byte) 1); // unchoke
        stream.write(hello.flip());
        ByteBuffer header = ByteBuffer.allocate(13);
        while (true) {
            int length = in.readInt();
            if (length == 0) {
                continue;
            }
            int id = in.readUnsignedByte();
            if (id != 6) {
                in.skipNBytes(length - 1);
                continue;
            }
            int index = in.readInt();
            int begin = in.readInt();
            int size = in.readInt();
            header.clear().putInt(9 + size).put((byte) 7).putInt(index).putInt(begin).flip();
            stream.write(new ByteBuffer[] {header, ByteBuffer.wrap(content, index * PIECE + begin, size)});
        }
    }

    /** A stream to {@code to} whose handshake named {@code infoHash}, or an exception (closed first). */
    private static Optional<UtpStream> handshake(UtpSocket socket, InetSocketAddress to, byte[] infoHash)
            throws IOException {
        UtpStream stream = socket.connect(to, Duration.ofSeconds(5));
        try {
            ByteBuffer ours = ByteBuffer.allocate(68);
            ours.put((byte) 19).put("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII)).put(new byte[8])
                    .put(infoHash).put("-JT0001-utp-interop1".getBytes(StandardCharsets.US_ASCII)).flip();
            stream.write(ours);
            ByteBuffer theirs = ByteBuffer.allocate(68);
            while (theirs.hasRemaining()) {
                if (stream.read(theirs) < 0) {
                    throw new IOException("libtorrent closed the connection before its handshake");
                }
            }
            assertThat(new String(theirs.array(), 1, 19, StandardCharsets.US_ASCII)).isEqualTo("BitTorrent protocol");
            assertThat(Arrays.copyOfRange(theirs.array(), 28, 48)).as("libtorrent's handshake names our torrent")
                    .isEqualTo(infoHash);
            return Optional.of(stream);
        } catch (IOException e) {
            stream.abort();
            throw e;
        }
    }

    private static void awaitUnchoke(DataInputStream in) throws IOException {
        while (true) {
            int length = in.readInt();
            if (length == 0) {
                continue;
            }
            int id = in.readUnsignedByte();
            in.skipNBytes(length - 1);
            if (id == 1) {
                return;
            }
        }
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }

    @AfterEach
    void stopEverything() {
        Harness.closeAll(started);
    }
}
