package dev.jtorrent.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jtorrent.budget.RateBudget;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.net.BindAddresses;
import dev.jtorrent.swarm.PieceBuffers;
import dev.jtorrent.utp.UtpLimits;
import dev.jtorrent.utp.UtpSocket;
import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;
import dev.jtorrent.wire.PeerMessageValidator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The peer connection code over uTP: a {@link Handshaker} dials with a {@link UtpDialer}, another answers a stream
 * its {@link UtpSocket} accepted as a {@link UtpChannel}, and the two {@link PeerConnection}s that come out carry
 * messages and piece data as over TCP, marked as uTP.
 */
@Timeout(30)
class UtpChannelTest {
    private static final InfoHash INFO_HASH = InfoHash.of(new byte[20]);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private UtpSocket dialling;
    private UtpSocket answering;

    @AfterEach
    void close() throws IOException {
        dialling.close();
        answering.close();
    }

    private static ConnectionTarget target(CompletableFuture<PeerConnection> connected) {
        return new ConnectionTarget() {
            @Override
            public InfoHash infoHash() {
                return INFO_HASH;
            }

            @Override
            public PeerMessageValidator validator(Handshake theirs) {
                return new PeerMessageValidator(4, piece -> 4 * BlockRef.SIZE, true, false);
            }

            @Override
            public void accept(PeerConnection connection) {
                connected.complete(connection);
            }

            @Override
            public void connectFailed(InetSocketAddress address, String reason) {
                connected.completeExceptionally(new AssertionError(reason));
            }
        };
    }

    @Test
    void handshakesAndCarriesMessagesAndPieceDataOverUtp() throws Exception {
        dialling = UtpSocket.open(LOOPBACK, UtpLimits.DEFAULTS);
        answering = UtpSocket.open(LOOPBACK, UtpLimits.DEFAULTS);
        CompletableFuture<PeerConnection> outgoing = new CompletableFuture<>();
        CompletableFuture<PeerConnection> incoming = new CompletableFuture<>();
        Handshaker out = new Handshaker(PeerId.random("-JT0010-"), List.of(new UtpDialer(dialling.endpoint())),
                Handshaker.HANDSHAKE_TIMEOUT, 1, RateBudget.unlimited(), false);
        Handshaker in = new Handshaker(PeerId.random("-JT0010-"), BindAddresses.ANY, 1);
        answering.onAccept(stream -> Thread.ofVirtual().start(
                () -> in.accept(UtpChannel.of(stream), hash -> target(incoming))));

        Thread.ofVirtual().start(() -> out.connect(answering.localAddress(), target(outgoing)));
        PeerConnection ours = outgoing.get(10, TimeUnit.SECONDS);
        PeerConnection theirs = incoming.get(10, TimeUnit.SECONDS);
        assertThat(ours.transport()).isEqualTo(Transport.UTP);
        assertThat(theirs.transport()).isEqualTo(Transport.UTP);
        assertThat(ours.outgoing()).isTrue();

        LinkedBlockingQueue<PeerEvent> atTheirs = new LinkedBlockingQueue<>();
        PieceBuffers buffers = new PieceBuffers(4 * BlockRef.SIZE, p -> 4 * BlockRef.SIZE, 4);
        theirs.start(atTheirs::add, buffers);
        ours.start(event -> { }, new PieceBuffers(4 * BlockRef.SIZE, p -> 4 * BlockRef.SIZE, 4));
        ours.send(new Message.Interested());
        ours.flush();
        assertThat(received(atTheirs)).isEqualTo(new Message.Interested());

        // theirs asks for a block, ours sends it: the piece data lands in their piece buffer
        buffers.open(2);
        theirs.send(new Message.Request(2, BlockRef.SIZE, BlockRef.SIZE));
        theirs.flush();
        byte[] block = new byte[BlockRef.SIZE];
        java.util.Arrays.fill(block, (byte) 7);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        ours.send(new Message.Piece(2, BlockRef.SIZE, ByteBuffer.wrap(block)), () -> sent.complete(null));
        ours.flush();
        sent.get(10, TimeUnit.SECONDS);
        PeerEvent arrived;
        do {
            arrived = next(atTheirs);
        } while (!(arrived instanceof PeerEvent.BlockArrived));
        assertThat(((PeerEvent.BlockArrived) arrived).accepted()).isTrue();
        byte[] landed = new byte[BlockRef.SIZE];
        buffers.get(2).data().get(BlockRef.SIZE, landed);
        assertThat(landed).containsOnly(7);

        ours.close(CloseReason.of(CloseReason.Kind.NOT_WANTED, "test over"));
        PeerEvent last;
        do {
            last = next(atTheirs);
        } while (!(last instanceof PeerEvent.Closed));
    }

    /** Events of a burst that {@link #next} has not handed out yet. */
    private final java.util.ArrayDeque<PeerEvent> unread = new java.util.ArrayDeque<>();

    private Message received(LinkedBlockingQueue<PeerEvent> events) throws InterruptedException {
        while (true) {
            PeerEvent event = next(events);
            if (event instanceof PeerEvent.Received r) {
                return r.message();
            }
        }
    }

    private PeerEvent next(LinkedBlockingQueue<PeerEvent> events) throws InterruptedException {
        while (unread.isEmpty()) {
            PeerEvent event = events.poll(10, TimeUnit.SECONDS);
            assertThat(event).as("an event within 10 s").isNotNull();
            if (event instanceof PeerEvent.Burst burst) {
                unread.addAll(burst.events());
            } else {
                unread.add(event);
            }
        }
        return unread.poll();
    }
}
