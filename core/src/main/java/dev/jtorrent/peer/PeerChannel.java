package dev.jtorrent.peer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;

/**
 * A connection to a peer as a blocking stream of bytes, whatever carries it: TCP, uTP, either one under protocol
 * encryption. The handshakes and then a connection's reader and writer threads use it; they never see a socket.
 *
 * <p>Reads and writes block (on virtual threads). One thread reads and one writes at a time, concurrently. {@link
 * #close()} may come from any thread, and wakes a read or write blocked in another with an exception: that is how a
 * handshake's deadline ends a handshake that stalls, and how a connection is closed while its threads wait.
 */
public interface PeerChannel extends ByteChannel, GatheringByteChannel {
    /** The peer's address. */
    InetSocketAddress remoteAddress();

    /** How many bytes can be read now without blocking (at least); 0 when unknown. */
    int available() throws IOException;

    /** What carries the bytes. */
    Transport transport();

    /** Whether the bytes are encrypted on their way (MSE's RC4). */
    default boolean encrypted() {
        return false;
    }
}
