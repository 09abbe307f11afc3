package dev.jtorrent.peer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/** A {@link PeerChannel} over a connected TCP socket channel in blocking mode. */
public final class TcpChannel implements PeerChannel {
    private final SocketChannel channel;
    /** The socket's stream, used only for {@link #available()}: a channel cannot say what waits in the kernel. */
    private final InputStream stream;
    private final InetSocketAddress remote;

    private TcpChannel(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.stream = channel.socket().getInputStream();
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
    }

    /**
     * A channel over {@code channel}, which must be connected and blocking.
     *
     * @throws IOException if it is not connected (any more)
     */
    public static TcpChannel of(SocketChannel channel) throws IOException {
        Objects.requireNonNull(channel, "channel");
        if (!channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in blocking mode");
        }
        if (!channel.isConnected()) {
            throw new IOException("the socket is not connected");
        }
        return new TcpChannel(channel);
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
        return channel.read(destination);
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        return channel.write(source);
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
        return channel.write(sources, offset, length);
    }

    @Override
    public long write(ByteBuffer[] sources) throws IOException {
        return channel.write(sources);
    }

    @Override
    public int available() throws IOException {
        return stream.available();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public Transport transport() {
        return Transport.TCP;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "tcp:" + remote;
    }
}
