package dev.jtorrent.peer;

import java.io.IOException;
import java.net.InetSocketAddress;

/** Opens connections to peers over one transport, for the {@link Handshaker} to handshake on. */
public interface Dialer {
    /** What the connections it opens run over. */
    Transport transport();

    /**
     * Connects to {@code address}, blocking (on a virtual thread) until the connection is made or has failed.
     *
     * @throws IOException if the peer cannot be reached over this transport
     */
    PeerChannel dial(InetSocketAddress address) throws IOException;

    /**
     * Whether {@code address} can be dialled over this transport at all: not when the addresses we are bound to
     * have none of its family. Every address by default.
     */
    default boolean canReach(InetSocketAddress address) {
        return true;
    }
}
