package dev.jtorrent.mse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;

/**
 * A connection's channel after an MSE handshake: reads give first the bytes the handshake read beyond itself, then
 * the inner channel's, decrypted in place in the caller's buffer; writes are encrypted into a scratch buffer of our
 * own ({@value #SCRATCH} bytes, direct) and written from there, so a caller's buffer is never changed (piece data
 * may be shared with a read cache or other connections). With {@link CryptoMethod#PLAINTEXT} selected the bytes go
 * through as they are.
 *
 * <p>The inner channel must be in blocking mode: a write writes everything it is given before it returns, since
 * the keystream has moved on past what it encrypted. One thread may read while another writes, since the two
 * directions share nothing; two readers, or two writers, at a time are not supported. Closing closes the inner
 * channel.
 */
public final class MseChannel implements ByteChannel, GatheringByteChannel {
    /** Bytes encrypted and written at a time. */
    static final int SCRATCH = 32 * 1024;

    private final ByteChannel inner;
    private final ByteBuffer leftover;
    private final Rc4 decrypt;
    private final Rc4 encrypt;
    private ByteBuffer scratch;

    /** @param decrypt and {@code encrypt}: null for a plaintext payload */
    MseChannel(ByteChannel inner, ByteBuffer leftover, Rc4 decrypt, Rc4 encrypt) {
        this.inner = inner;
        this.leftover = leftover;
        this.decrypt = decrypt;
        this.encrypt = encrypt;
    }

    /** Whether the payload is encrypted (RC4), rather than only the handshake. */
    public boolean encrypted() {
        return encrypt != null;
    }

    /** Bytes the handshake read beyond itself that have not been read from here yet. */
    public int buffered() {
        return leftover.remaining();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (leftover.hasRemaining()) {
            int n = Math.min(leftover.remaining(), dst.remaining());
            dst.put(dst.position(), leftover, leftover.position(), n);
            leftover.position(leftover.position() + n);
            dst.position(dst.position() + n);
            return n;
        }
        int start = dst.position();
        int n = inner.read(dst);
        if (n > 0 && decrypt != null) {
            decrypt.apply(dst, start, start + n);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int count = src.remaining();
        if (encrypt == null) {
            while (src.hasRemaining()) {
                inner.write(src);
            }
            return count;
        }
        ByteBuffer out = scratch();
        while (src.hasRemaining()) {
            out.clear();
            encrypt.apply(src, out);
            writeFully(out.flip());
        }
        return count;
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (encrypt == null) {
            long written = 0;
            for (int i = offset; i < offset + length; i++) {
                while (srcs[i].hasRemaining()) {
                    written += inner.write(srcs[i]);
                }
            }
            return written;
        }
        ByteBuffer out = scratch();
        long written = 0;
        int next = offset;
        while (true) {
            out.clear();
            while (next < offset + length && out.hasRemaining()) {
                written += encrypt.apply(srcs[next], out);
                if (!srcs[next].hasRemaining()) {
                    next++;
                }
            }
            if (out.position() == 0) {
                return written;
            }
            writeFully(out.flip());
        }
    }

    private ByteBuffer scratch() {
        if (scratch == null) {
            scratch = ByteBuffer.allocateDirect(SCRATCH);
        }
        return scratch;
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            inner.write(bytes);
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
