package dev.jtorrent.mse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * What an MSE handshake has read of the peer's side, in an array of a fixed size: the most the handshake can be by
 * the spec. It reads only as far as the step at hand needs (the bytes a step takes, or the sync search's bound), so
 * it never holds more than the capacity and never reads past a bound before giving up. Bytes read beyond the
 * handshake stay here for {@link #rest()}.
 */
final class HandshakeInput {
    private final ReadableByteChannel channel;
    private final byte[] bytes;
    /** Bytes read so far, from the start of the peer's stream. */
    private int filled;
    /** Bytes the handshake has used so far. */
    private int consumed;

    /**
     * @param alreadyRead the peer's first bytes, read by the caller to tell MSE from a plaintext handshake; consumed
     *                    from its position to its limit
     */
    HandshakeInput(ReadableByteChannel channel, int capacity, ByteBuffer alreadyRead) {
        if (alreadyRead.remaining() > capacity) {
            throw new IllegalArgumentException(alreadyRead.remaining() + " bytes already read, more than " + capacity);
        }
        this.channel = channel;
        this.bytes = new byte[capacity];
        this.filled = alreadyRead.remaining();
        alreadyRead.get(bytes, 0, filled);
    }

    /** The next {@code count} bytes of the peer's stream, read if they are not here yet. */
    byte[] take(int count) throws IOException {
        if (consumed + count > bytes.length) {
            throw new IllegalStateException("an MSE handshake step past the handshake's bound");
        }
        while (filled < consumed + count) {
            readUpTo(consumed + count);
        }
        byte[] taken = Arrays.copyOfRange(bytes, consumed, consumed + count);
        consumed += count;
        return taken;
    }

    /**
     * Finds {@code marker} in the peer's stream, and consumes everything up to its end. It must end within the
     * first {@code bound} bytes of the stream: this reads no further.
     *
     * @throws MseException if it is not there within the bound
     */
    void syncOn(byte[] marker, int bound, String what) throws IOException {
        int from = consumed;
        while (true) {
            int found = indexOf(marker, from, filled);
            if (found >= 0) {
                consumed = found + marker.length;
                return;
            }
            if (filled >= bound) {
                throw new MseException("MSE: no " + what + " within the " + bound + " bytes the spec allows");
            }
            from = Math.max(from, filled - marker.length + 1);
            readUpTo(bound);
        }
    }

    /** The bytes read beyond what the handshake used, in a buffer of their own. */
    ByteBuffer rest() {
        return ByteBuffer.wrap(Arrays.copyOfRange(bytes, consumed, filled));
    }

    /** Bytes read from the peer, the caller's included: for tests of the bounds. */
    int filled() {
        return filled;
    }

    private void readUpTo(int end) throws IOException {
        int n = channel.read(ByteBuffer.wrap(bytes, filled, end - filled));
        if (n < 0) {
            throw new MseException("MSE: the peer closed the connection after " + filled + " bytes of its handshake");
        }
        filled += n;
    }

    private int indexOf(byte[] marker, int from, int to) {
        for (int at = from; at + marker.length <= to; at++) {
            if (Arrays.equals(bytes, at, at + marker.length, marker, 0, marker.length)) {
                return at;
            }
        }
        return -1;
    }
}
