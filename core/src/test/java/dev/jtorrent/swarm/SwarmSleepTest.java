package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.peer.SocketConnection;
import dev.jtorrent.storage.MemoryStorage;
import dev.jtorrent.storage.PieceMap;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.WireCodec;
import dev.jtorrent.wire.WireReader;
import dev.jtorrent.wire.WireWriter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A swarm starts asleep, wakes for a connection or for peers found, and sleeps again once it has had nothing to do
 * for {@link SwarmConfig#sleepAfter}, keeping its pieces, totals and resume-data order across its spells awake.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SwarmSleepTest {
    private static final int BLOCK = BlockRef.SIZE;
    private static final int PIECE = 2 * BLOCK;
    private static final int PIECES = 8;
    private static final SwarmConfig CONFIG = SwarmConfig.DEFAULT.withSleepAfter(Duration.ofMillis(50));

    private final ExecutorService disk = Executors.newFixedThreadPool(2);
    private final InfoDictionary info = new InfoDictionary("sleepy", PIECE, new byte[20 * PIECES], false,
            List.of(FileEntry.of(List.of("sleepy"), (long) PIECE * PIECES, 0)), false, Optional.empty(), false);
    private final InfoHash infoHash = InfoHash.of(new byte[20]);
    private final List<Long> recorded = new CopyOnWriteArrayList<>();
    private final List<InetSocketAddress> dialled = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private Swarm swarm;

    @AfterEach
    void stop() throws IOException {
        if (swarm != null) {
            swarm.stop();
        }
        for (Socket socket : sockets) {
            socket.close();
        }
        disk.shutdownNow();
    }

    private Swarm seed() throws IOException {
        MemoryStorage storage = new MemoryStorage(PieceMap.of(info));
        for (int i = 0; i < PIECES; i++) {
            storage.writePiece(i, ByteBuffer.allocate(PIECE));
        }
        swarm = new Swarm(infoHash, info, PeerId.random("-JT0010-"), CONFIG, storage, PieceSet.all(PIECES),
                new PieceSet(PIECES), disk, (address, target) -> dialled.add(address), () -> { },
                (sequence, pieces) -> recorded.add(sequence), new SplittableRandom(1));
        return swarm;
    }

    @Test
    void aStartedSwarmSleepsAndKnowsWhatItHasWithoutWaking() throws Exception {
        seed().start();

        assertThat(swarm.isAwake()).isFalse();
        assertThat(swarm.completion()).as("every piece is ours from the start").isDone();
        SwarmStats stats = swarm.stats();
        assertThat(stats.havePieces()).isEqualTo(PIECES);
        assertThat(stats.complete()).isTrue();
        assertThat(stats.bytesLeft()).isZero();
        assertThat(swarm.peers().get()).isEmpty();
        assertThat(swarm.spells()).isZero();
    }

    @Test
    void aSwarmMissingPiecesKnowsWhatIsLeftWhileAsleep() {
        PieceSet half = new PieceSet(PIECES);
        for (int i = 0; i < PIECES / 2; i++) {
            half.add(i);
        }
        swarm = new Swarm(infoHash, info, PeerId.random("-JT0010-"), CONFIG, new MemoryStorage(PieceMap.of(info)),
                half, new PieceSet(PIECES), disk, (address, target) -> { }, () -> { }, PieceRecorder.NONE,
                new SplittableRandom(1));
        swarm.start();

        assertThat(swarm.completion()).isNotDone();
        assertThat(swarm.stats().bytesLeft()).isEqualTo((long) PIECE * PIECES / 2);
        assertThat(swarm.stats().complete()).isFalse();
        assertThat(swarm.isAwake()).isFalse();
    }

    @Test
    void aPeerWakesItAndItSleepsAgainKeepingItsTotals() throws Exception {
        seed().start();

        Socket peer = connect();
        assertThat(swarm.isAwake()).isTrue();
        download(peer, 0);
        // Counted at the next tick; a block still being counted as its peer leaves may go uncounted.
        await(() -> swarm.stats().uploaded() == BLOCK, "the block sent is counted");
        peer.close();

        await(() -> !swarm.isAwake(), "the swarm sleeps once its peer has gone");
        assertThat(swarm.stats().uploaded()).as("what it sent before it slept").isEqualTo(BLOCK);
        assertThat(swarm.stats().peers()).isZero();
        assertThat(swarm.piecesInMemory()).isZero();

        Socket again = connect();
        assertThat(swarm.spells()).as("woken a second time").isEqualTo(2);
        download(again, 1);
        await(() -> swarm.stats().uploaded() == 2L * BLOCK, "the totals of both spells are added");
    }

    @Test
    void aRecordThatEndsQuietlyAfterTheLastPeerLeftStillLetsItSleep() throws Exception {
        CountDownLatch recordMayEnd = new CountDownLatch(1);
        swarm = new Swarm(infoHash, info, PeerId.random("-JT0010-"), CONFIG, new MemoryStorage(PieceMap.of(info)),
                PieceSet.all(PIECES), new PieceSet(PIECES), disk, (address, target) -> { }, () -> { },
                (sequence, pieces) -> {
                    if (sequence > 1) { // the spell's own record, made at its first tick: held on the disk pool
                        awaitUninterruptibly(recordMayEnd);
                    }
                    recorded.add(sequence);
                }, new SplittableRandom(1));
        swarm.start();

        Socket peer = connect();
        await(() -> swarm.stats().peers() == 1, "the peer has joined");
        peer.close();
        await(() -> swarm.stats().peers() == 0, "the peer has gone");
        Thread.sleep(CONFIG.sleepAfter().toMillis() * 4);
        assertThat(swarm.isAwake()).as("awake while its record is on the disk pool").isTrue();

        recordMayEnd.countDown(); // the record ends and posts nothing: the disk pool's last job tells the swarm
        await(() -> !swarm.isAwake(), "the swarm sleeps once the record has ended");
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void peersFoundWakeItToDialThem() throws Exception {
        seed().start();
        InetSocketAddress somewhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);

        swarm.peersFound(List.of());
        assertThat(swarm.isAwake()).as("no peers: nothing to wake for").isFalse();
        swarm.peersFound(List.of(somewhere));

        await(() -> dialled.contains(somewhere), "the peer found is dialled");
        swarm.connectFailed(somewhere, "refused");
    }

    @Test
    void everyRecordIsNewerThanTheOnesBeforeAcrossSpellsAndAStopWhileAsleep() throws Exception {
        seed().start();
        await(() -> recorded.size() == 1, "what it started from is recorded");

        Socket peer = connect();
        download(peer, 0);
        peer.close();
        await(() -> !swarm.isAwake(), "the swarm sleeps once its peer has gone");
        swarm.stop();

        assertThat(swarm.verifiedPieces().count()).isEqualTo(PIECES);
        assertThat(recorded).as("a record at the start, in the spell, and at the stop").hasSizeGreaterThanOrEqualTo(3);
        for (int i = 1; i < recorded.size(); i++) {
            assertThat(recorded.get(i)).as("record %d is newer than the one before", i)
                    .isGreaterThan(recorded.get(i - 1));
        }
    }

    @Test
    void aStoppedSwarmNeverWakes() throws Exception {
        seed().start();
        swarm.stop();

        swarm.peersFound(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)));
        Socket peer = connect();

        assertThat(swarm.isAwake()).isFalse();
        assertThat(peer.getInputStream().read()).as("the connection is closed").isEqualTo(-1);
        assertThat(dialled).isEmpty();
    }

    /** A peer connected to the swarm over loopback, its handshake done. */
    private Socket connect() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Socket theirs = new Socket();
        Socket ours;
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            theirs.connect(new InetSocketAddress(loopback, server.getLocalPort()));
            ours = server.accept();
        }
        sockets.add(theirs);
        sockets.add(ours);
        theirs.setSoTimeout(10_000);
        InputStream input = ours.getInputStream();
        Handshake remote = Handshake.of(infoHash, PeerId.random("-XX0000-")).withFast(true);
        swarm.accept(SocketConnection.open(ours, remote, false, input, WireReader.of(input),
                WireWriter.of(ours.getOutputStream()), info));
        return theirs;
    }

    /** Asks for the first block of {@code piece} and reads until it comes. */
    private void download(Socket peer, int piece) throws IOException {
        WireReader fromSwarm = WireReader.of(peer.getInputStream());
        peer.getOutputStream().write(WireCodec.encode(new Message.Interested()));
        while (!(fromSwarm.read() instanceof Message.Unchoke)) {
            // HaveAll first
        }
        peer.getOutputStream().write(WireCodec.encode(new Message.Request(piece, 0, BLOCK)));
        while (!(fromSwarm.read() instanceof Message.Piece)) {
            // nothing else is asked for
        }
    }

    /** Waits for {@code condition}; generously, since a loaded machine has been seen to stall a test for 15 s. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
