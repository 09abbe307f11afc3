package dev.jtorrent.session;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.PeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seed's upload slot that frees up (its peer left, or lost interest) goes at once to a peer waiting for one, as in
 * libtorrent, not at the next rechoke up to 10 seconds later: a seed with more leechers than slots otherwise sits
 * idle while a leecher that needs it is choked.
 *
 * <p>Six raw peers, each with nothing and interested, connect in turn: the first four get the four regular slots at
 * once, the fifth the optimistic slot at the first rechoke, the sixth nothing. Right after that rechoke, one of the
 * four gives up its slot; the sixth must be unchoked well before the next rechoke, ten seconds on.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FreedUploadSlotTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int REGULAR_SLOTS = 4;
    /** The first rechoke after the peers connected comes within 10 s (the interval) and a tick. */
    private static final Duration RECHOKE_WAIT = Duration.ofSeconds(30);
    /** Well under the 10 s to the next periodic rechoke, and far more than the swarm thread needs. */
    private static final Duration SLOT_HANDED_ON = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private Session seeder;
    private Torrent torrent;
    private final List<RawPeer> peers = new ArrayList<>();

    /** How an unchoked peer gives its slot up. */
    enum GivesUp {
        DISCONNECTS, SENDS_NOT_INTERESTED
    }

    @BeforeEach
    void startSeeder() throws Exception {
        Path content = Files.createDirectories(dir.resolve("seed").resolve("data"));
        byte[] bytes = new byte[20 * 16_384];
        new Random(3).nextBytes(bytes);
        Files.write(content.resolve("file.bin"), bytes);
        TorrentBuilder builder = TorrentBuilder.of(content).withPieceLength(Optional.of(16_384));
        torrent = Torrent.parse(builder.build(builder.plan(), new AtomicLong()));
        seeder = Session.start(SessionConfig.builder().bindAddress(LOOPBACK).port(0).build());
        Adds.checked(seeder, torrent, content.getParent());
    }

    @AfterEach
    void stop() {
        peers.forEach(RawPeer::close);
        seeder.close();
    }

    @ParameterizedTest(name = "a peer holding a slot {0}")
    @EnumSource(GivesUp.class)
    void aWaitingPeerGetsTheSlotAtOnce(GivesUp how) throws Exception {
        for (int i = 0; i < REGULAR_SLOTS + 2; i++) {
            RawPeer peer = new RawPeer(seeder.port(), torrent);
            peers.add(peer);
            // One at a time, so the order the seed saw them connect is the order they asked for a slot.
            await("peer " + i + " to get the seed's pieces", Duration.ofSeconds(10), () -> peer.hasAll);
            if (i < REGULAR_SLOTS) {
                await("peer " + i + " to get a free slot", Duration.ofSeconds(10), () -> peer.unchoked);
            }
        }
        assertThat(unchokedCount()).as("unchoked before the first rechoke").isEqualTo(REGULAR_SLOTS);
        await("the rechoke to unchoke an optimistic peer", RECHOKE_WAIT,
                () -> unchokedCount() == REGULAR_SLOTS + 1);
        RawPeer waiting = peers.stream().filter(p -> !p.unchoked).findFirst().orElseThrow();
        RawPeer holder = peers.get(0);

        long gaveUp = System.nanoTime();
        if (how == GivesUp.DISCONNECTS) {
            holder.close();
        } else {
            holder.send(3); // not interested
        }
        await("the waiting peer to be unchoked", SLOT_HANDED_ON.plusSeconds(10), () -> waiting.unchoked);

        Duration took = Duration.ofNanos(waiting.unchokedAt - gaveUp);
        assertThat(took).as("time from the slot's release to the waiting peer's unchoke").isLessThan(SLOT_HANDED_ON);
    }

    private long unchokedCount() {
        return peers.stream().filter(p -> p.unchoked && !p.closed).count();
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /**
     * A peer speaking just enough of the protocol: handshake (fast extension), have-none, interested; then it reads
     * what the seed sends and notes chokes and unchokes.
     */
    private static final class RawPeer {
        private final Socket socket;
        private final OutputStream out;
        volatile boolean hasAll;
        volatile boolean unchoked;
        volatile long unchokedAt;
        volatile boolean closed;

        RawPeer(int port, Torrent torrent) throws IOException {
            socket = new Socket(LOOPBACK, port);
            out = socket.getOutputStream();
            out.write(Handshake.of(torrent.infoHash(), PeerId.random("-XX0000-")).withFast(true).encode());
            send(15); // have none
            send(2); // interested
            Thread.ofVirtual().start(this::read);
        }

        void send(int id) throws IOException {
            out.write(new byte[] {0, 0, 0, 1, (byte) id});
            out.flush();
        }

        private void read() {
            try {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                in.readFully(new byte[Handshake.LENGTH]);
                while (true) {
                    int length = in.readInt();
                    if (length == 0) {
                        continue;
                    }
                    int id = in.readUnsignedByte();
                    in.readFully(new byte[length - 1]);
                    switch (id) {
                        case 0 -> unchoked = false;
                        case 1 -> {
                            unchokedAt = System.nanoTime();
                            unchoked = true;
                        }
                        case 14 -> hasAll = true;
                        default -> {
                            // not needed here
                        }
                    }
                }
            } catch (IOException e) {
                closed = true;
            }
        }

        void close() {
            closed = true;
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
