package dev.jtorrent.digest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * SHA-1 of byte buffers, for piece hashes (BEP 3). {@link #create()} gives OpenSSL's libcrypto, called through the
 * JDK's foreign function API, where it can be used (see {@link #implementation()}), and the JDK's own digest
 * everywhere else; both give the same bytes at about the same speed once warm. The difference is warming up: the
 * JDK's digest is fast only once C2 has compiled it, because its SHA-NI intrinsic is C2's alone, while libcrypto is
 * fast from the first piece under any compiler, which lets a short `download` run with C1 alone.
 *
 * <p>An instance is for one thread at a time.
 */
public interface Sha1 {
    /** The length of a SHA-1 digest in bytes. */
    int LENGTH = 20;

    /** The SHA-1 of the remaining bytes of {@code data}; the buffer's position is not moved. */
    byte[] digest(ByteBuffer data);

    /** Whether the SHA-1 of the remaining bytes of {@code data} is {@code expected}, without moving its position. */
    default boolean matches(byte[] expected, ByteBuffer data) {
        if (expected.length != LENGTH) {
            throw new IllegalArgumentException("a SHA-1 is " + LENGTH + " bytes, not " + expected.length);
        }
        return MessageDigest.isEqual(expected, digest(data));
    }

    /** A digest for the calling thread: libcrypto's where it can be used, the JDK's otherwise. */
    static Sha1 create() {
        return Sha1Implementations.create();
    }

    /** The JDK's digest, whatever {@link #create()} gives. */
    static Sha1 jdk() {
        return new JdkSha1();
    }

    /**
     * Which implementation {@link #create()} gives, and if it is the JDK's, why libcrypto is not used: it needs
     * Linux, a JDK of release 22 or newer, native access enabled for jtorrent ({@code --enable-native-access}, or
     * the {@code Enable-Native-Access} attribute of the manifest of the jar run with {@code java -jar}), and a
     * loadable {@code libcrypto.so.3}; the system property {@code jtorrent.sha1=jdk} turns it off.
     */
    static String implementation() {
        return Sha1Implementations.description();
    }
}
