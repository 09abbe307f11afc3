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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile requests seen from a seeding swarm (issue 5, "Hostile peers"): a flood past the queue cap, requests while
 * choked and for pieces we lack. The swarm runs on a disk that never answers, so that every read it starts stays
 * queued and can be counted: nothing is served, and what the cap lets through is exactly what reached the disk.
 * Malformed requests (out of range, zero or more than 16 KiB long, past a piece's end) close the connection; those
 * are in {@code HostilePeerTest}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HostilePeerUploadTest {
    private static final int BLOCK = BlockRef.SIZE;
    private static final int PIECE = 4 * BLOCK;
    /** 600 pieces of 4 blocks: more blocks than may be queued; the last piece is missing. */
    private static final int PIECES = 600;
    private static final int MISSING = PIECES - 1;

    private final StuckDisk disk = new StuckDisk();
    private Swarm swarm;
    private Socket socket;
    private WireReader fromSwarm;

    @BeforeEach
    void startSwarm() throws IOException {
        InfoDictionary info = new InfoDictionary("flood", PIECE, new byte[20 * PIECES], false,
                List.of(FileEntry.of(List.of("flood"), (long) PIECE * PIECES, 0)), false, Optional.empty(), false);
        PieceSet have = PieceSet.all(PIECES);
        have.remove(MISSING);
        InfoHash infoHash = InfoHash.of(new byte[20]);
        swarm = new Swarm(infoHash, info, PeerId.random("-JT0010-"), SwarmConfig.DEFAULT,
                new MemoryStorage(PieceMap.of(info)), have, new PieceSet(PIECES), disk, (address, s) -> { },
                () -> { }, PieceRecorder.NONE, new SplittableRandom(1));
        swarm.start();

        InetAddress loopback = InetAddress.getLoopbackAddress();
        Socket ours;
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            socket = new Socket(loopback, server.getLocalPort());
            ours = server.accept();
        }
        InputStream input = ours.getInputStream();
        Handshake remote = Handshake.of(infoHash, PeerId.random("-XX0000-")).withFast(true);
        swarm.accept(SocketConnection.open(ours, remote, false, input, WireReader.of(input),
                WireWriter.of(ours.getOutputStream()), info));
        fromSwarm = WireReader.of(socket.getInputStream());
        socket.setSoTimeout(10_000);
        assertThat(fromSwarm.read()).isInstanceOf(Message.Bitfield.class);
    }

    @AfterEach
    void stop() throws IOException {
        swarm.stop();
        socket.close();
    }

    /**
     * 10,000 requests at once, for every block we have (2,396) over and over: the first 2,000 are queued, and each
     * one past the cap is rejected (BEP 6) without a read; the connection stays. Of the queued ones, only those of
     * the pieces that the peer's memory allowance covers are read (one read for each piece, 64 of the 500): the
     * rest wait until blocks already read have been written to it.
     */
    @Test
    void aFloodOfRequestsPastTheQueueCapIsRejected() throws Exception {
        unchoked();
        int requests = 10_000;
        int blocks = MISSING * 4;
        ByteArrayOutputStream flood = new ByteArrayOutputStream();
        for (int i = 0; i < requests; i++) {
            int block = i % blocks;
            flood.write(WireCodec.encode(new Message.Request(block / 4, block % 4 * BLOCK, BLOCK)));
        }
        send(flood.toByteArray());

        int queued = Uploads.MAX_QUEUED_UPLOADS;
        assertThat(read(requests - queued)).as("every request past the cap is rejected")
                .allMatch(m -> m instanceof Message.Reject);
        assertThat(disk.jobs.get()).as("reads started: one per piece that the peer's memory allowance covers")
                .isEqualTo((int) (Uploads.MIN_PEER_MEMORY / PIECE));
        assertStillAnswers();
    }

    @Test
    void requestsForAPieceWeLackAreRejectedWithoutADiskRead() throws Exception {
        unchoked();
        send(WireCodec.encode(new Message.Request(MISSING, 0, BLOCK)));

        assertThat(fromSwarm.read()).isEqualTo(new Message.Reject(MISSING, 0, BLOCK));
        assertThat(disk.jobs.get()).isZero();
    }

    /** A choked peer's requests are rejected, without a disk read. */
    @Test
    void requestsWhileChokedAreRejected() throws Exception {
        for (int i = 0; i < 10; i++) {
            send(WireCodec.encode(new Message.Request(i, 0, BLOCK)));
        }

        List<Message> answers = read(10);
        for (int i = 0; i < 10; i++) {
            assertThat(answers.get(i)).isEqualTo(new Message.Reject(i, 0, BLOCK));
        }
        assertThat(disk.jobs.get()).isZero();
        assertStillAnswers();
    }

    /**
     * A choked peer that keeps requesting is closed after {@link Choking#MAX_CHOKED_REQUESTS} rejects (libtorrent's
     * rule): each costs us a reject queued for it, so a flood from a peer that reads nothing would fill its queue.
     */
    @Test
    void aPeerThatKeepsRequestingWhileChokedIsClosed() throws Exception {
        ByteArrayOutputStream flood = new ByteArrayOutputStream();
        for (int i = 0; i < 10_000; i++) {
            flood.write(WireCodec.encode(new Message.Request(i % MISSING, 0, BLOCK)));
        }
        try {
            send(flood.toByteArray());
        } catch (IOException e) {
            // closed while we were still sending: fine
        }

        int rejects = 0;
        try {
            for (Message m = fromSwarm.read(); m != null; m = fromSwarm.read()) {
                assertThat(m).isInstanceOf(Message.Reject.class);
                rejects++;
            }
        } catch (java.net.SocketException e) {
            // reset: closed with our requests unread
        }
        assertThat(rejects).isLessThanOrEqualTo(Choking.MAX_CHOKED_REQUESTS);
        assertThat(disk.jobs.get()).isZero();
    }

    /** Requests on the way when we choke a peer (here: it lost interest) are rejected, not held against it. */
    @Test
    void requestsRightAfterAChokeAreForgiven() throws Exception {
        unchoked();
        send(WireCodec.encode(new Message.NotInterested()));
        assertThat(fromSwarm.read()).isInstanceOf(Message.Choke.class);
        int requests = 2 * Choking.MAX_CHOKED_REQUESTS;
        for (int i = 0; i < requests; i++) {
            send(WireCodec.encode(new Message.Request(i, 0, BLOCK)));
        }

        assertThat(read(requests)).allMatch(m -> m instanceof Message.Reject);
        assertStillAnswers();
    }

    private void unchoked() throws IOException {
        send(WireCodec.encode(new Message.Interested()));
        assertThat(fromSwarm.read()).isInstanceOf(Message.Unchoke.class);
    }

    /** A request for a piece we lack still gets its reject: the connection is open and the swarm answering. */
    private void assertStillAnswers() throws IOException {
        send(WireCodec.encode(new Message.Request(MISSING, BLOCK, BLOCK)));
        assertThat(fromSwarm.read()).isEqualTo(new Message.Reject(MISSING, BLOCK, BLOCK));
    }

    private void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    private List<Message> read(int count) throws IOException {
        List<Message> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(fromSwarm.read());
        }
        return messages;
    }

    /** A disk pool whose jobs never run: a read for an upload stays queued, and is counted. */
    private static final class StuckDisk extends AbstractExecutorService {
        final AtomicInteger jobs = new AtomicInteger();
        private volatile boolean shutdown;

        @Override
        public void execute(Runnable command) {
            jobs.incrementAndGet();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
