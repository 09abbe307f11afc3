package dev.jtorrent.storage;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Writes of spans with direct I/O ({@code O_DIRECT}), which takes the data from the caller's memory to the disk
 * without copying it into the page cache: after hashing, that copy was the largest single cost of a download.
 *
 * <p>Only a span that starts and ends on a {@link #ALIGNMENT} boundary of its file, given in direct memory on such a
 * boundary (as {@link #allocateAligned} gives it), can go this way. Direct I/O applies to a whole descriptor, so
 * these writes have channels of their own, in a {@link ChannelCache} beside the one for reads and buffered writes.
 * The first time the file system refuses direct I/O (tmpfs on old kernels, some FUSE file systems), it is turned off
 * for the storage, and the caller writes the span again through the page cache: a refusal never loses a write.
 */
final class DirectWrites {
    /**
     * File offsets, lengths and memory addresses of direct writes are multiples of this: the block size direct I/O
     * needs on every common file system (and a multiple of the 512 bytes some need).
     */
    static final int ALIGNMENT = 4096;
    private static final Set<OpenOption> WRITE_DIRECT = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
            LinkOption.NOFOLLOW_LINKS, ExtendedOpenOption.DIRECT);

    private final ChannelCache channels;
    private final Creator creator;
    /** Until the file system first refuses direct I/O. */
    private volatile boolean enabled = true;

    /** Opens a file for writing with the given options, creating it (and its directories) as a buffered write would. */
    @FunctionalInterface
    interface Creator {
        FileChannel open(int fileIndex, Set<OpenOption> options) throws IOException;
    }

    DirectWrites(int maxOpenFiles, Creator creator) {
        this.channels = new ChannelCache(maxOpenFiles);
        this.creator = creator;
    }

    /**
     * Direct memory of at least {@code length} bytes whose first byte is on an {@link #ALIGNMENT} boundary: a piece
     * in it, written whole, goes to the disk with direct I/O where the file system allows it.
     */
    static ByteBuffer allocateAligned(int length) {
        int rounded = (int) Math.min(Integer.MAX_VALUE - ALIGNMENT,
                ((long) length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT);
        return ByteBuffer.allocateDirect(rounded + ALIGNMENT).alignedSlice(ALIGNMENT);
    }

    /** Whether writes still try direct I/O (the file system has not refused it). */
    boolean enabled() {
        return enabled;
    }

    /**
     * Writes a span with direct I/O if it can go that way; false if it cannot, or the file system refused, with
     * {@code src} as it was (after turning direct I/O off, for a refusal). A real fault (a full disk, a lost
     * permission) is then met again by the buffered write, which reports it with the file's name.
     */
    boolean write(FileSpan span, ByteBuffer src) throws IOException {
        if (!enabled || !aligned(span, src)) {
            return false;
        }
        int start = src.position();
        ChannelCache.Handle handle;
        try {
            handle = channels.acquire(span.fileIndex(), true,
                    (fileIndex, write) -> creator.open(fileIndex, WRITE_DIRECT));
        } catch (ClosedByInterruptException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            enabled = false;
            return false;
        }
        try {
            while (src.hasRemaining()) {
                handle.channel.write(src, span.fileOffset() + src.position() - start);
            }
            return true;
        } catch (ClosedByInterruptException e) {
            throw e;
        } catch (IOException e) {
            channels.invalidate(handle);
            enabled = false;
            src.position(start);
            return false;
        } finally {
            channels.release(handle);
        }
    }

    private static boolean aligned(FileSpan span, ByteBuffer src) {
        return src.isDirect() && span.fileOffset() % ALIGNMENT == 0 && src.remaining() % ALIGNMENT == 0
                && src.alignmentOffset(src.position(), ALIGNMENT) == 0;
    }

    /** Closes the channels not in use, and the rest as their users release them. */
    void close() {
        channels.close();
    }
}
