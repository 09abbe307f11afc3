package dev.jtorrent.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where one torrent's pieces are kept. Implementations are safe for use by several threads at once, as long as two
 * threads do not write the same piece at the same time.
 *
 * <p>Only whole pieces are written, and only after their hash has been checked in memory, so bad data never
 * reaches the disk and nothing is read back to verify it (DESIGN.md principle 4). A piece counts as ours only
 * after {@link #force()} has returned since it was written (principle 6).
 */
public interface Storage extends Closeable {

    /**
     * Writes a whole verified piece: the remaining bytes of {@code data}, which must be exactly the piece's size.
     * The buffer's position is not moved. Pad file bytes in it are not written.
     *
     * @throws IllegalArgumentException if {@code data} does not hold exactly the piece's size
     * @throws StorageException         if the disk refuses; pieces written before are left as they were
     */
    void writePiece(int piece, ByteBuffer data) throws IOException;

    /**
     * Fills the remaining bytes of {@code dst} from {@code begin} bytes into {@code piece}, moving its position to
     * its limit. Pad file bytes read as zeros.
     *
     * @throws IndexOutOfBoundsException if the range leaves the piece
     * @throws MissingDataException      if a file does not exist or is too short to hold the range
     * @throws StorageException          for any other failure
     */
    void read(int piece, int begin, ByteBuffer dst) throws IOException;

    /** Bytes free for writing where the data goes, if that can be known: enough to try again after a full disk? */
    default OptionalLong usableSpace() {
        return OptionalLong.empty();
    }

    /**
     * Which files are wanted changed: one {@link FilePriority} for each of the torrent's files, pad files included.
     * Called where writes are made, one at a time with them, so that no piece is written while its bytes change
     * place. Storage that keeps whole pieces rather than files (such as {@link MemoryStorage}) has nothing to move,
     * which is what this default does.
     *
     * @throws StorageException if bytes cannot be moved into place; they are then still where they were
     */
    default void filePrioritiesChanged(List<FilePriority> priorities) throws IOException {
    }

    /** Forces every file written since the last force to the storage device. */
    void force() throws IOException;

    /** Releases open files. Data written but not forced may still be in the operating system's cache. */
    @Override
    void close() throws IOException;
}
