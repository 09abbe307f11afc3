package dev.jtorrent.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens real files through {@link WrappedChannel}s: counts open channels and forces, and can fail writes, as a full
 * disk (no free space left) or as a fault with free space to spare.
 */
public final class FaultyDisk implements ChannelOpener {
    /** What a German system says for ENOSPC: jtorrent must know a full disk without understanding it. */
    public static final String GERMAN_NO_SPACE = "Auf dem Gerät ist kein Speicherplatz mehr verfügbar";

    /** The message writes fail with, or null while they succeed. */
    volatile String writeFailure;
    /** Whether the disk reports that no space is left. */
    volatile boolean full;
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger mostOpen = new AtomicInteger();
    final AtomicInteger forces = new AtomicInteger();

    @Override
    public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
        return new WrappedChannel(FileChannel.open(path, options), this);
    }

    @Override
    public long usableSpace(Path path) throws IOException {
        return full ? 0 : ChannelOpener.super.usableSpace(path);
    }

    /**
     * From now on the disk reports no free space, and every write fails after writing half of its bytes, with the
     * message of a German system.
     */
    public void fill() {
        writeFailure = GERMAN_NO_SPACE;
        full = true;
    }

    /**
     * From now on every write fails half way with {@code message}, while the disk reports its real free space: a
     * fault other than a full disk, whatever the message says.
     */
    public void failWrites(String message) {
        writeFailure = message;
        full = false;
    }

    /** Space is back, and writes succeed. */
    public void free() {
        writeFailure = null;
        full = false;
    }

    void opened() {
        mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
    }
}
