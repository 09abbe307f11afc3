package dev.jtorrent.mse;

import dev.jtorrent.digest.Sha1;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The hashes of the MSE specification, HASH being SHA-1 of the concatenated arguments: the initiator's sync marker
 * HASH('req1', S), the torrent's name HASH('req2', SKEY) hidden by HASH('req3', S), and the RC4 keys HASH('keyA', S,
 * SKEY) for what the initiator (A) sends and HASH('keyB', S, SKEY) for what the responder (B) sends, each with the
 * first 1024 bytes of its keystream discarded. S is the Diffie-Hellman secret ({@value DhKeyPair#KEY_LENGTH}
 * bytes), SKEY the torrent's info hash.
 */
final class StreamKeys {
    static final byte[] REQ1 = ascii("req1");
    static final byte[] REQ2 = ascii("req2");
    static final byte[] REQ3 = ascii("req3");
    private static final byte[] KEY_A = ascii("keyA");
    private static final byte[] KEY_B = ascii("keyB");

    private StreamKeys() {
    }

    /**
     * SHA-1 of the parts, one after the other; through {@link Sha1} and not a {@code MessageDigest}, which would start
     * the JDK's security providers at every session's start, where each torrent added is indexed by its req2 hash.
     */
    static byte[] hash(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            all.put(part);
        }
        return Sha1.create().digest(all.flip());
    }

    /** The RC4 state of what the initiator sends. */
    static Rc4 initiatorStream(byte[] secret, byte[] skey) {
        return Rc4.dropping1024(hash(KEY_A, secret, skey));
    }

    /** The RC4 state of what the responder sends. */
    static Rc4 responderStream(byte[] secret, byte[] skey) {
        return Rc4.dropping1024(hash(KEY_B, secret, skey));
    }

    static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
