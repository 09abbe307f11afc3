package dev.jtorrent.peer;

import dev.jtorrent.wire.BlockRef;
import dev.jtorrent.wire.Message;

import java.util.List;

/** What a connection hands its swarm: messages, piece data, and its end. */
public sealed interface PeerEvent {
    /** The connection the event came from. */
    PeerConnection connection();

    /** A message other than piece data arrived. */
    record Received(PeerConnection connection, Message message) implements PeerEvent {
    }

    /** Piece data arrived; {@code accepted} if it was written into its piece's memory, else it was dropped. */
    record BlockArrived(PeerConnection connection, BlockRef block, boolean accepted) implements PeerEvent {
    }

    /** What a connection read in one go, in order; handled in one turn of the swarm's loop. */
    record Burst(PeerConnection connection, List<PeerEvent> events) implements PeerEvent {
    }

    /** The connection ended, for {@code reason}; nothing follows it. */
    record Closed(PeerConnection connection, CloseReason reason) implements PeerEvent {
    }
}
