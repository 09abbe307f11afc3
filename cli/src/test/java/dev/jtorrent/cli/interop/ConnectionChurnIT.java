package dev.jtorrent.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.WireCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection churn leaves the seed's resident memory where it was (issue 13). A {@code jtorrent seed} started
 * through the launcher, with the JVM settings users get, takes ten floods of 500 connections at once, each of which
 * completes the handshake and then leaves at once, asks for a few blocks and leaves, asks for blocks and never reads
 * them, or says nothing more; every flood is closed before the next. The 5,000 connections must raise the seed's
 * peak resident memory (VmHWM) by less than {@link #GROWTH_BOUND_KIB} over what it was once seeding: what a single
 * flood cost when each connection allocated buffers of its own.
 */
class ConnectionChurnIT {

    private static final String IP = "127.0.0.1";
    private static final long CONTENT_SIZE = 32L * 1024 * 1024;
    private static final int PIECE_SIZE = 256 * 1024;
    private static final int BLOCK = 16 * 1024;
    private static final int FLOODS = 10;
    private static final int CONNECTIONS_PER_FLOOD = 500;
    /**
     * Measured: 19 MiB of growth, most of it in one step while the JIT compiles the connections' paths (native memory
     * tracking puts the compilers' arenas at a peak of 22 MiB), and nothing per connection; 29 MiB with the JVM's
     * default settings, whose young generation the seed touches page by page.
     * When each connection that finished its handshake allocated 80 KiB of direct buffers, which only a garbage
     * collection frees: 397 MiB with the JVM's defaults, about 40 MiB a flood; 106 MiB with the launcher's, whose
     * small young generation is collected about once a flood.
     */
    private static final long GROWTH_BOUND_KIB = 40 * 1024;

    @TempDir
    Path dir;

    private JtorrentSeeder seeder;

    @Test
    @Timeout(180) // a backstop only: the test takes 10 to 20 s
    void floodsOfShortConnectionsLeaveTheSeedsResidentMemoryWhereItWas() throws Exception {
        Path content = SampleContent.file(dir.resolve("data"), "churn.bin", CONTENT_SIZE, 13);
        Path torrent = JtorrentCli.fromBuild().create(content, dir.resolve("churn.torrent"),
                List.of("--piece-size", PIECE_SIZE / 1024 + "KiB"));
        int port = Loopback.freePort(IP);
        seeder = new JtorrentSeeder(dir.resolve("seed"), JtorrentCli.fromLauncher(), List.of());
        seeder.start(torrent, content.getParent(), IP, port);
        Flood flood = new Flood(new InetSocketAddress(IP, port), Harness.infoHashOf(torrent));
        Path status = Path.of("/proc", Long.toString(seeder.pid()), "status");

        Memory seeding = Memory.of(status);
        List<String> report = new ArrayList<>(List.of("seeding: " + seeding));
        int handshakes = 0;
        for (int i = 1; i <= FLOODS; i++) {
            Flood.Outcome outcome = flood.run(CONNECTIONS_PER_FLOOD);
            handshakes += outcome.handshakes();
            report.add("after flood " + i + " (" + outcome + "): " + Memory.of(status));
        }
        Memory churned = Memory.of(status);
        seeder.requireAlive();
        String figures = String.join("\n", report);
        System.out.println("jtorrent seed's resident memory under connection churn:\n" + figures);

        assertThat(handshakes).as("connections that completed the handshake: the churn happened\n" + figures)
                .isGreaterThan(FLOODS * CONNECTIONS_PER_FLOOD * 9 / 10);
        assertThat(churned.peakKib() - seeding.peakKib())
                .as("growth of the seed's peak resident memory (VmHWM, KiB) over %d connections\n%s",
                        FLOODS * CONNECTIONS_PER_FLOOD, figures)
                .isLessThan(GROWTH_BOUND_KIB);
    }

    @AfterEach
    void stopTheSeed() {
        if (seeder != null) {
            seeder.close();
        }
    }

    /** A process's resident memory now and at its peak, from {@code /proc/PID/status} (Linux). */
    private record Memory(long residentKib, long peakKib) {

        static Memory of(Path status) throws IOException {
            if (!Files.isReadable(status)) {
                throw new AssertionError("cannot read " + status + ": this test measures resident memory as Linux"
                        + " reports it");
            }
            List<String> lines = Files.readAllLines(status);
            return new Memory(kib(lines, "VmRSS:"), kib(lines, "VmHWM:"));
        }

        private static long kib(List<String> lines, String field) {
            return lines.stream().filter(line -> line.startsWith(field)).findFirst()
                    .map(line -> Long.parseLong(line.substring(field.length()).replace("kB", "").strip()))
                    .orElseThrow(() -> new AssertionError("no " + field + " in /proc/PID/status: " + lines));
        }

        @Override
        public String toString() {
            return String.format("VmRSS %.1f MiB, VmHWM %.1f MiB", residentKib / 1024.0, peakKib / 1024.0);
        }
    }

    /**
     * Floods of connections to the seed, all at once, each on a virtual thread. They come in four kinds, in turn:
     * one that leaves after the seed's handshake; one that says it is interested, asks for four blocks if it is
     * unchoked in time, reads them and leaves; one that asks for 64 blocks and never reads; and one that says
     * nothing after its handshake. The last two stay until the flood's end, when every connection still open is
     * closed.
     */
    private static final class Flood {
        private static final int TIMEOUT_MILLIS = 5_000;
        /** How long a connection of the second kind waits to be unchoked: only four peers are at once. */
        private static final int UNCHOKE_WAIT_MILLIS = 1_000;
        private static final int PIECES = (int) (CONTENT_SIZE / PIECE_SIZE);
        /** Message ids (BEP 3). */
        private static final int UNCHOKE = 1;
        private static final int PIECE = 7;

        private final InetSocketAddress seed;
        private final byte[] handshake;
        private final InfoHash infoHash;

        Flood(InetSocketAddress seed, InfoHash infoHash) {
            this.seed = seed;
            this.infoHash = infoHash;
            this.handshake = Handshake.of(infoHash, PeerId.random("-CH0000-")).withFast(true).encode();
        }

        /** What one flood did: connections that got the seed's handshake, and blocks received. */
        record Outcome(int handshakes, int blocks) {
            @Override
            public String toString() {
                return handshakes + " handshakes, " + blocks + " blocks";
            }
        }

        Outcome run(int connections) {
            ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();
            AtomicInteger handshakes = new AtomicInteger();
            AtomicInteger blocks = new AtomicInteger();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < connections; i++) {
                    int kind = i % 4;
                    threads.execute(() -> {
                        try {
                            Socket socket = new Socket();
                            open.add(socket);
                            if (connect(socket)) {
                                handshakes.incrementAndGet();
                                blocks.addAndGet(behave(kind, socket));
                            }
                        } catch (IOException e) {
                            // the seed closed it (no room for another peer), or it timed out: that is churn too
                        }
                    });
                }
            } // waits for every connection's thread
            open.forEach(Flood::close);
            return new Outcome(handshakes.get(), blocks.get());
        }

        /** Connects and exchanges handshakes; false if the seed answered for another torrent. */
        private boolean connect(Socket socket) throws IOException {
            socket.connect(seed, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.getOutputStream().write(handshake);
            byte[] theirs = new byte[Handshake.LENGTH];
            new DataInputStream(socket.getInputStream()).readFully(theirs);
            return Handshake.decode(theirs).infoHash().equals(infoHash);
        }

        /** Does what a connection of this kind does after the handshake; returns the blocks it received. */
        private int behave(int kind, Socket socket) throws IOException {
            switch (kind) {
                case 0 -> socket.close();
                case 1 -> {
                    return downloadAFewBlocks(socket);
                }
                case 2 -> {
                    ByteArrayOutputStream requests = new ByteArrayOutputStream();
                    requests.writeBytes(WireCodec.encode(new Message.Interested()));
                    for (int i = 0; i < 64; i++) {
                        requests.writeBytes(WireCodec.encode(new Message.Request(i % PIECES, 0, BLOCK)));
                    }
                    socket.getOutputStream().write(requests.toByteArray());
                }
                default -> {
                    // silent until the flood ends
                }
            }
            return 0;
        }

        private int downloadAFewBlocks(Socket socket) throws IOException {
            socket.getOutputStream().write(WireCodec.encode(new Message.Interested()));
            socket.setSoTimeout(UNCHOKE_WAIT_MILLIS);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int received = 0;
            boolean requested = false;
            try {
                while (received < 4) {
                    int length = in.readInt();
                    if (length == 0) {
                        continue; // keep-alive
                    }
                    int id = in.readUnsignedByte();
                    in.skipNBytes(length - 1);
                    if (id == UNCHOKE && !requested) {
                        requested = true;
                        socket.setSoTimeout(TIMEOUT_MILLIS);
                        ByteArrayOutputStream requests = new ByteArrayOutputStream();
                        for (int i = 0; i < 4; i++) {
                            requests.writeBytes(WireCodec.encode(new Message.Request(i, 0, BLOCK)));
                        }
                        socket.getOutputStream().write(requests.toByteArray());
                    } else if (id == PIECE) {
                        received++;
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                // not unchoked in time: leaves, as a real peer would for another
            }
            socket.close();
            return received;
        }

        private static void close(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
