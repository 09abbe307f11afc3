package dev.jtorrent.peer;

import dev.jtorrent.mse.MseChannel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A {@link PeerChannel} after an MSE handshake on another: what the handshake read beyond itself first, then the
 * inner channel's bytes, decrypted and encrypted as the handshake selected ({@link MseChannel}). Closing it, or the
 * inner channel, closes both.
 */
final class EncryptedChannel implements PeerChannel {
    private final PeerChannel inner;
    private final MseChannel mse;

    EncryptedChannel(PeerChannel inner, MseChannel mse) {
        this.inner = inner;
        this.mse = mse;
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
        return mse.read(destination);
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        return mse.write(source);
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
        return mse.write(sources, offset, length);
    }

    @Override
    public long write(ByteBuffer[] sources) throws IOException {
        return mse.write(sources);
    }

    /** What the handshake left, and what waits in the inner channel (a byte of RC4 is a byte of payload). */
    @Override
    public int available() throws IOException {
        return mse.buffered() + inner.available();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return inner.remoteAddress();
    }

    @Override
    public Transport transport() {
        return inner.transport();
    }

    @Override
    public boolean encrypted() {
        return mse.encrypted();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    @Override
    public String toString() {
        return (encrypted() ? "rc4+" : "mse+") + inner;
    }
}
