package dev.jtorrent.peer;

import dev.jtorrent.utp.UtpStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link PeerChannel} over a uTP stream (BEP 29). The stream already blocks as a peer connection wants: reads wait
 * for data and end at the peer's FIN, writes wait for room in its send buffer, and a close from any thread wakes
 * both, which is how the handshake's deadline ends a handshake that stalls. Closing sends FIN after what was
 * written.
 */
public final class UtpChannel implements PeerChannel {
    private final UtpStream stream;

    private UtpChannel(UtpStream stream) {
        this.stream = stream;
    }

    public static UtpChannel of(UtpStream stream) {
        return new UtpChannel(Objects.requireNonNull(stream, "stream"));
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
        return stream.read(destination);
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        return stream.write(source);
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
        return stream.write(sources, offset, length);
    }

    @Override
    public long write(ByteBuffer[] sources) throws IOException {
        return stream.write(sources);
    }

    @Override
    public int available() {
        return stream.available();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return stream.remoteAddress();
    }

    @Override
    public Transport transport() {
        return Transport.UTP;
    }

    @Override
    public boolean isOpen() {
        return stream.isOpen();
    }

    @Override
    public void close() {
        stream.close();
    }

    @Override
    public String toString() {
        return "utp:" + remoteAddress();
    }
}
