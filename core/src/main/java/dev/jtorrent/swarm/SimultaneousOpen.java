package dev.jtorrent.swarm;

import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.wire.PeerId;

import java.util.Arrays;

/**
 * Which of two connections between the same two peers, one dialled by each, both ends keep. Two peers that learn of
 * each other at once (one from a tracker, the other by LSD, say) dial each other at once; if each then closed the
 * connection that completed second, each could close the one the other kept, and both be gone. Both ends instead keep
 * the connection dialled by the lower peer id, which each works out alone. Over uTP the two even share an address:
 * a peer's uTP connections leave from its listen port.
 */
final class SimultaneousOpen {
    private SimultaneousOpen() {
    }

    /** Whether {@code connection} is the one to keep, against one in the other direction to the same peer. */
    static boolean keeps(PeerId ourId, PeerConnection connection) {
        boolean weAreLower = Arrays.compareUnsigned(ourId.bytes(), connection.remote().peerId().bytes()) < 0;
        return connection.outgoing() == weAreLower;
    }
}
