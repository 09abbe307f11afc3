package dev.jtorrent.storage;

import dev.jtorrent.digest.Sha1;
import java.nio.ByteBuffer;

/** Checks a piece's bytes against its SHA-1 from the info dictionary (BEP 3). */
public final class PieceVerifier {
    private PieceVerifier() {
    }

    /**
     * Whether the SHA-1 of the remaining bytes of {@code data} is {@code expected}. The buffer's position is not
     * moved.
     */
    public static boolean matches(byte[] expected, ByteBuffer data) {
        return Sha1.create().matches(expected, data);
    }
}
