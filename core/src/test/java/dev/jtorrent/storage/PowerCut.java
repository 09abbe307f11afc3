package dev.jtorrent.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A disk that a test can cut the power to. {@link #cut()} undoes every write not yet forced, as a power cut drops
 * what is still only in the page cache, and every write or force after it fails. Writes are remembered per file,
 * by its file key (inode), so that a rename does not hide them, until a force of any channel on that file: a
 * force flushes the whole file, whichever descriptor wrote.
 *
 * <p>What it does not model: directory entries (a new file, or a rename, not yet made durable by forcing its
 * directory), and the disk's own reordering. Channels opened after the cut fail.
 */
public final class PowerCut implements ChannelOpener {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Object, Unforced> unforced = new HashMap<>();
    /** How long a force takes, as on a slow disk: the writes it covers stay unforced, and a cut drops them, meanwhile. */
    private final Duration forceTakes;
    private boolean cut;

    public PowerCut() {
        this(Duration.ZERO);
    }

    /** A disk whose forces each take {@code forceTakes}, so that a cut at any moment is likely to find writes unforced. */
    public PowerCut(Duration forceTakes) {
        this.forceTakes = forceTakes;
    }

    /** Bytes written to one file since its last force, and what they replaced. */
    private static final class Unforced {
        final FileChannel restore;
        long sizeBefore;
        final List<Region> regions = new ArrayList<>();

        Unforced(FileChannel restore, long sizeBefore) {
            this.restore = restore;
            this.sizeBefore = sizeBefore;
        }
    }

    /** A write: where, how long, and the bytes it replaced (shorter than the write where it grew the file). */
    private record Region(long position, long length, byte[] before) {
        boolean overlaps(long from, long to) {
            return position < to && from < position + length;
        }
    }

    @Override
    public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
        lock.lock();
        try {
            failIfCut();
            if (options.contains(StandardOpenOption.TRUNCATE_EXISTING) && Files.exists(path)) {
                Object key = keyOf(path);
                remember(key, path, 0, Files.size(path));
            }
            FileChannel channel = FileChannel.open(path, options);
            return new Channel(channel, path, keyOf(path));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Cuts the power: every unforced write is undone on disk, and the disk refuses everything from now on.
     *
     * @return the bytes of writes undone
     */
    public long cut() throws IOException {
        lock.lock();
        try {
            cut = true;
            long undone = 0;
            for (Unforced file : unforced.values()) {
                for (Region region : file.regions.reversed()) {
                    undone += region.length();
                    file.restore.write(ByteBuffer.wrap(region.before()), region.position());
                }
                file.restore.truncate(file.sizeBefore);
                file.restore.force(true);
                file.restore.close();
            }
            unforced.clear();
            return undone;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code length} bytes at {@code position} of the file at {@code path} were all forced since written. */
    public boolean durable(Path path, long position, long length) throws IOException {
        lock.lock();
        try {
            Unforced file;
            try {
                file = unforced.get(keyOf(path));
            } catch (NoSuchFileException e) {
                return false;
            }
            return file == null || file.regions.stream().noneMatch(r -> r.overlaps(position, position + length));
        } finally {
            lock.unlock();
        }
    }

    /** The unforced writes to a file, as "[position+length, ...]", for failure messages. */
    public String unforcedWrites(Path path) throws IOException {
        lock.lock();
        try {
            Unforced file = unforced.get(keyOf(path));
            return file == null ? "[]" : file.regions.stream().map(r -> r.position() + "+" + r.length()).toList()
                    .toString();
        } finally {
            lock.unlock();
        }
    }

    private void failIfCut() throws IOException {
        if (cut) {
            throw new IOException("Input/output error (the power is off)");
        }
    }

    private void remember(Object key, Path path, long position, long length) throws IOException {
        Unforced file = unforced.get(key);
        if (file == null) {
            FileChannel restore = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            file = new Unforced(restore, restore.size());
            unforced.put(key, file);
        }
        long size = file.restore.size();
        int replaced = (int) Math.max(0, Math.min(length, size - position));
        ByteBuffer before = ByteBuffer.allocate(replaced);
        while (before.hasRemaining() && file.restore.read(before, position + before.position()) >= 0) {
            // until the replaced bytes are all read
        }
        file.regions.add(new Region(position, length, before.array()));
    }

    private static Object keyOf(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }

    private final class Channel extends ForwardingChannel {
        private final Path path;
        private final Object key;

        Channel(FileChannel inner, Path path, Object key) {
            super(inner);
            this.path = path;
            this.key = key;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            lock.lock();
            try {
                failIfCut();
                remember(key, path, position, src.remaining());
                return inner.write(src, position);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            lock.lock();
            try {
                failIfCut();
                remember(key, path, inner.position(), src.remaining());
                return inner.write(src);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            throw new UnsupportedOperationException("gathering writes are not simulated");
        }

        @Override
        public FileChannel truncate(long size) {
            throw new UnsupportedOperationException("truncation is not simulated");
        }

        @Override
        public void force(boolean metaData) throws IOException {
            List<Region> covered;
            long sizeAtStart;
            lock.lock();
            try {
                failIfCut();
                Unforced file = unforced.get(key);
                covered = file == null ? List.of() : List.copyOf(file.regions);
                sizeAtStart = inner.size();
            } finally {
                lock.unlock();
            }
            if (forceTakes.isPositive()) {
                try {
                    Thread.sleep(forceTakes);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while forcing");
                }
            }
            lock.lock();
            try {
                failIfCut();
                inner.force(metaData);
                // What the force covers is what was written when it began; later writes stay unforced.
                Unforced file = unforced.get(key);
                if (file != null) {
                    file.regions.removeAll(covered);
                    if (file.regions.isEmpty()) {
                        unforced.remove(key);
                        file.restore.close();
                    } else {
                        file.sizeBefore = sizeAtStart;
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
