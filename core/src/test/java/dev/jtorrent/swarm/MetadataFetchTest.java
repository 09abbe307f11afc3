package dev.jtorrent.swarm;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.peer.BlockMemory;
import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.DownloadLimit;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.wire.Handshake;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The search's thread: what one connection may queue for it is bounded, and a stopped search takes nothing. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MetadataFetchTest {
    private static final InfoHash HASH = InfoHash.of(new byte[20]);

    @Test
    void aPeerThatQueuesMoreThanTheBoundIsClosed() throws Exception {
        MetadataFetch fetch = new MetadataFetch(HASH, 6881, (address, target) -> { });
        // The connection floods as it starts, on the search's own thread, so that none of it is handled meanwhile.
        Flooding flooder = new Flooding(MetadataFetch.MAX_PENDING_PER_PEER + 1);
        fetch.start();
        fetch.accept(flooder);

        CloseReason reason = flooder.closedWith.get(5, TimeUnit.SECONDS);
        assertThat(reason.kind()).isEqualTo(CloseReason.Kind.PROTOCOL_VIOLATION);
        assertThat(reason.detail()).contains(Integer.toString(MetadataFetch.MAX_PENDING_PER_PEER));
        fetch.stop();
    }

    @Test
    void aPeerWithinTheBoundStaysConnected() throws Exception {
        MetadataFetch fetch = new MetadataFetch(HASH, 6881, (address, target) -> { });
        Flooding modest = new Flooding(MetadataFetch.MAX_PENDING_PER_PEER);
        fetch.start();
        fetch.accept(modest);
        modest.started.get(5, TimeUnit.SECONDS);
        Thread.sleep(200); // its events handled

        assertThat(modest.closedWith).isNotDone();
        assertThat(fetch.peers()).isEqualTo(1);
        fetch.stop();
        assertThat(modest.closedWith.get(5, TimeUnit.SECONDS).kind()).isEqualTo(CloseReason.Kind.STOPPING);
    }

    @Test
    void aStoppedSearchClosesAConnectionAtOnce() throws Exception {
        MetadataFetch fetch = new MetadataFetch(HASH, 6881, (address, target) -> { });
        fetch.start();
        fetch.stop();
        Flooding late = new Flooding(0);
        fetch.accept(late);
        assertThat(late.closedWith.get(5, TimeUnit.SECONDS).kind()).isEqualTo(CloseReason.Kind.STOPPING);
        assertThat(late.started).isNotDone();
    }

    /** A connection that sends {@code haves} have messages the moment it is started. */
    private static final class Flooding implements PeerConnection {
        final int haves;
        final CompletableFuture<Void> started = new CompletableFuture<>();
        final CompletableFuture<CloseReason> closedWith = new CompletableFuture<>();

        Flooding(int haves) {
            this.haves = haves;
        }

        @Override
        public InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), 7000);
        }

        @Override
        public Handshake remote() {
            return Handshake.of(HASH, PeerId.random("-XX0000-")).withExtensionProtocol(true).withFast(true);
        }

        @Override
        public boolean outgoing() {
            return false;
        }

        @Override
        public void start(Consumer<PeerEvent> events, BlockMemory memory, DownloadLimit limit) {
            for (int i = 0; i < haves; i++) {
                events.accept(new PeerEvent.Received(this, new Message.Have(i)));
            }
            started.complete(null);
        }

        @Override
        public void send(Message message) {
        }

        @Override
        public void send(Message.Piece piece, Runnable sent) {
        }

        @Override
        public void flush() {
        }

        @Override
        public void checkTimers(long now) {
        }

        @Override
        public void close(CloseReason reason) {
            closedWith.complete(reason);
        }

        @Override
        public boolean isClosed() {
            return closedWith.isDone();
        }

        @Override
        public boolean sendStalled(long now) {
            return false;
        }

        @Override
        public long takePayloadWritten() {
            return 0;
        }
    }
}
