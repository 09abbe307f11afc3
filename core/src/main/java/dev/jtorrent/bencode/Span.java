package dev.jtorrent.bencode;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The exact bytes a decoded value was read from: {@code length} bytes of {@code source} starting at {@code offset}.
 * The source array is shared with the decoder's input and never modified; {@link #bytes()} returns a copy.
 */
public final class Span {
    private final byte[] source;
    private final int offset;
    private final int length;

    Span(byte[] source, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, source.length);
        this.source = source;
        this.offset = offset;
        this.length = length;
    }

    /** Offset of the value's first byte in the decoded input. */
    public int offset() {
        return offset;
    }

    /** Number of bytes the value occupies in the decoded input. */
    public int length() {
        return length;
    }

    /** A copy of the original bytes. */
    public byte[] bytes() {
        return Arrays.copyOfRange(source, offset, offset + length);
    }

    /** The original bytes, without copying them: a read-only view. */
    public ByteBuffer view() {
        return ByteBuffer.wrap(source, offset, length).slice().asReadOnlyBuffer();
    }

    @Override
    public String toString() {
        return "Span[offset=" + offset + ", length=" + length + "]";
    }
}
