package dev.jtorrent.mse;

import java.nio.ByteBuffer;

/**
 * RC4 as Message Stream Encryption uses it: keyed with a 20-byte SHA-1, and the first {@value #DISCARD} bytes of its
 * keystream thrown away (the spec's "RC4-drop1024", against the weak first bytes of RC4's output). Encryption and
 * decryption are the same operation, applied in place to a buffer's remaining bytes.
 *
 * <p>Our own rather than the JDK's {@code ARCFOUR} cipher: both are a plain Java loop over the same 256-entry state
 * (the JDK has no intrinsic for RC4), but the JDK's {@code Cipher.update(ByteBuffer, ByteBuffer)} copies a direct
 * buffer through a temporary array it allocates at every call, and a connection encrypts every block it sends and
 * decrypts every block it reads. This one copies direct memory through a scratch array of its own, and allocates
 * nothing after it is made. Checked against RFC 6229's test vectors in {@code Rc4Test}; the measurement that chose
 * it is in the package's notes in docs/architecture.md.
 *
 * <p>An instance is a position in one keystream, so it is for one thread at a time: a connection has one for each
 * direction.
 */
public final class Rc4 {
    /** Keystream bytes discarded after keying, as the MSE specification says. */
    public static final int DISCARD = 1024;
    /** How much of a direct buffer is copied into the heap at a time. */
    private static final int CHUNK = 8 * 1024;

    private final int[] state = new int[256];
    private int i;
    private int j;
    private byte[] scratch;

    private Rc4(byte[] key) {
        if (key.length == 0 || key.length > 256) {
            throw new IllegalArgumentException("an RC4 key has 1 to 256 bytes, not " + key.length);
        }
        for (int k = 0; k < 256; k++) {
            state[k] = k;
        }
        for (int k = 0, m = 0; k < 256; k++) {
            m = (m + state[k] + (key[k % key.length] & 0xff)) & 0xff;
            int t = state[k];
            state[k] = state[m];
            state[m] = t;
        }
    }

    /** RC4 keyed with {@code key}, at the start of its keystream: for the test vectors. */
    static Rc4 raw(byte[] key) {
        return new Rc4(key);
    }

    /** RC4 keyed with {@code key}, with the first {@value #DISCARD} keystream bytes already discarded. */
    public static Rc4 dropping1024(byte[] key) {
        Rc4 rc4 = new Rc4(key);
        rc4.skip(DISCARD);
        return rc4;
    }

    /** Moves the keystream {@code count} bytes on. */
    void skip(int count) {
        for (int k = 0; k < count; k++) {
            next();
        }
    }

    /** XORs {@code length} bytes of {@code bytes} from {@code offset} with the keystream, in place. */
    public void apply(byte[] bytes, int offset, int length) {
        // i, j and the state in locals: written back to the fields once, not at every byte
        int[] s = state;
        int x = i;
        int y = j;
        int end = offset + length;
        for (int k = offset; k < end; k++) {
            x = (x + 1) & 0xff;
            int sx = s[x];
            y = (y + sx) & 0xff;
            int sy = s[y];
            s[x] = sy;
            s[y] = sx;
            bytes[k] ^= (byte) s[(sx + sy) & 0xff];
        }
        i = x;
        j = y;
    }

    /** XORs the remaining bytes of {@code buffer} with the keystream, in place, and moves its position to its limit. */
    public void apply(ByteBuffer buffer) {
        apply(buffer, buffer.position(), buffer.limit());
        buffer.position(buffer.limit());
    }

    /**
     * XORs the bytes of {@code buffer} from index {@code from} to {@code to} with the keystream, in place, leaving
     * its position and limit as they were. Heap buffers are worked on in their array; direct ones are copied
     * through a scratch array, a chunk at a time.
     */
    public void apply(ByteBuffer buffer, int from, int to) {
        if (buffer.hasArray()) {
            apply(buffer.array(), buffer.arrayOffset() + from, to - from);
            return;
        }
        if (scratch == null) {
            scratch = new byte[CHUNK];
        }
        for (int at = from; at < to; ) {
            int n = Math.min(CHUNK, to - at);
            buffer.get(at, scratch, 0, n);
            apply(scratch, 0, n);
            buffer.put(at, scratch, 0, n);
            at += n;
        }
    }

    /**
     * Encrypts the remaining bytes of {@code source} into {@code target}, as many as both have room for, leaving
     * {@code source}'s bytes as they were: for bytes the caller still owns, such as piece data a read cache shares.
     * Both positions move on by the count, which is returned.
     */
    public int apply(ByteBuffer source, ByteBuffer target) {
        int count = Math.min(source.remaining(), target.remaining());
        if (scratch == null) {
            scratch = new byte[CHUNK];
        }
        for (int done = 0; done < count; ) {
            int n = Math.min(CHUNK, count - done);
            source.get(scratch, 0, n);
            apply(scratch, 0, n);
            target.put(scratch, 0, n);
            done += n;
        }
        return count;
    }

    private int next() {
        i = (i + 1) & 0xff;
        int si = state[i];
        j = (j + si) & 0xff;
        int sj = state[j];
        state[i] = sj;
        state[j] = si;
        return state[(si + sj) & 0xff];
    }
}
