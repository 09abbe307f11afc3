package dev.jtorrent.swarm;

import dev.jtorrent.wire.PeerId;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.PeerEvent;
import dev.jtorrent.wire.Message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The search's thread: what one connection may queue for it is bounded, and a stopped search takes nothing. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MetadataFetchTest {
    private static final InfoHash HASH = InfoHash.of(new byte[20]);

    @Test
    void aPeerThatQueuesMoreThanTheBoundIsClosed() throws Exception {
        MetadataFetch fetch = new MetadataFetch(HASH, PeerId.random("-JT0010-"), 6881, (address, target) -> { });
        // The connection floods as it starts, on the search's own thread, so that none of it is handled meanwhile.
        RecordingConnection flooder = flooding(MetadataFetch.MAX_PENDING_PER_PEER + 1);
        fetch.start();
        fetch.accept(flooder);

        CloseReason reason = flooder.closed.get(5, TimeUnit.SECONDS);
        assertThat(reason.kind()).isEqualTo(CloseReason.Kind.PROTOCOL_VIOLATION);
        assertThat(reason.detail()).contains(Integer.toString(MetadataFetch.MAX_PENDING_PER_PEER));
        fetch.stop();
    }

    @Test
    void aPeerWithinTheBoundStaysConnected() throws Exception {
        MetadataFetch fetch = new MetadataFetch(HASH, PeerId.random("-JT0010-"), 6881, (address, target) -> { });
        RecordingConnection modest = flooding(MetadataFetch.MAX_PENDING_PER_PEER);
        fetch.start();
        fetch.accept(modest);
        modest.started.get(5, TimeUnit.SECONDS);
        Thread.sleep(200); // its events handled

        assertThat(modest.closed).isNotDone();
        assertThat(fetch.peers()).isEqualTo(1);
        fetch.stop();
        assertThat(modest.closed.get(5, TimeUnit.SECONDS).kind()).isEqualTo(CloseReason.Kind.STOPPING);
    }

    @Test
    void aStoppedSearchClosesAConnectionAtOnce() throws Exception {
        MetadataFetch fetch = new MetadataFetch(HASH, PeerId.random("-JT0010-"), 6881, (address, target) -> { });
        fetch.start();
        fetch.stop();
        RecordingConnection late = flooding(0);
        fetch.accept(late);
        assertThat(late.closed.get(5, TimeUnit.SECONDS).kind()).isEqualTo(CloseReason.Kind.STOPPING);
        assertThat(late.started).isNotDone();
    }

    /** A connection that sends {@code haves} have messages the moment it is started. */
    private static RecordingConnection flooding(int haves) {
        RecordingConnection connection = new RecordingConnection(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 7000), false, HASH);
        return connection.onStart(events -> {
            for (int i = 0; i < haves; i++) {
                events.accept(new PeerEvent.Received(connection, new Message.Have(i)));
            }
        });
    }
}
