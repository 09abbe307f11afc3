package dev.jtorrent.digest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The JDK's SHA-1 ({@code MessageDigest}); its state is reset at every call. */
final class JdkSha1 implements Sha1 {
    private final MessageDigest digest;

    JdkSha1() {
        try {
            digest = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-1", e);
        }
    }

    @Override
    public byte[] digest(ByteBuffer data) {
        digest.reset();
        digest.update(data.duplicate());
        return digest.digest();
    }
}
