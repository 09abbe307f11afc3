package dev.jtorrent.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Opens real files through {@link WrappedChannel}s: counts open channels and forces, and can fill up. */
public final class FaultyDisk implements ChannelOpener {
    final AtomicBoolean full = new AtomicBoolean();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger mostOpen = new AtomicInteger();
    final AtomicInteger forces = new AtomicInteger();

    @Override
    public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
        return new WrappedChannel(FileChannel.open(path, options), this);
    }

    /** From now on every write fails with "No space left on device", after writing half of its bytes. */
    public void fill() {
        full.set(true);
    }

    /** Space is back. */
    public void free() {
        full.set(false);
    }

    void opened() {
        mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
    }
}
