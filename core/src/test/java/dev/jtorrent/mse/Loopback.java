package dev.jtorrent.mse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;

/** Two ends of a TCP connection on loopback, blocking; and a wrapper that counts what a side reads. */
final class Loopback implements AutoCloseable {
    final SocketChannel dialer;
    final SocketChannel acceptor;

    Loopback() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            dialer = SocketChannel.open(server.getLocalAddress());
            acceptor = server.accept();
        }
    }

    @Override
    public void close() throws IOException {
        dialer.close();
        acceptor.close();
    }

    /** {@code inner}, counting the bytes read from it and keeping a copy of the bytes read and written. */
    static final class Counting implements ByteChannel {
        final ByteChannel inner;
        final AtomicLong read = new AtomicLong();
        final java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
        final java.io.ByteArrayOutputStream readBytes = new java.io.ByteArrayOutputStream();

        Counting(ByteChannel inner) {
            this.inner = inner;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int start = dst.position();
            int n = inner.read(dst);
            if (n > 0) {
                read.addAndGet(n);
                byte[] bytes = new byte[n];
                dst.get(start, bytes);
                synchronized (readBytes) {
                    readBytes.writeBytes(bytes);
                }
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            ByteBuffer copy = src.duplicate();
            int n = inner.write(src);
            byte[] bytes = new byte[n];
            copy.get(bytes);
            synchronized (written) {
                written.writeBytes(bytes);
            }
            return n;
        }

        byte[] writtenBytes() {
            synchronized (written) {
                return written.toByteArray();
            }
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
