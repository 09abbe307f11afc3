package dev.jtorrent.daemon;

import dev.jtorrent.metainfo.InvalidMagnetLinkException;
import dev.jtorrent.metainfo.InvalidTorrentException;
import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.MetainfoLimits;
import dev.jtorrent.session.AddOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The watch directory: {@code .torrent} files, and {@code .magnet} files holding a magnet link as text, dropped
 * there are added to the daemon with the default download directory, as transmission-daemon's {@code watch-dir}
 * does. The directory is listed every {@link #POLL} (a listing works on every file system, network mounts
 * included, where inotify does not), and a file is read once {@link WatchDirScan} saw it unchanged over two polls.
 * An added file (a duplicate too) is renamed {@code NAME.added}, as Transmission renames it; one that cannot be
 * added is renamed {@code NAME.invalid} with one log line, so that it is not tried again at every poll. A file
 * larger than a torrent may be ({@link MetainfoLimits}) is refused by its size before it is read.
 */
final class WatchDir implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WatchDir.class.getName());
    /** How often the directory is listed: a file is added two to four seconds after it is complete. */
    static final Duration POLL = Duration.ofSeconds(2);
    /** Files looked at in one poll at most; the rest wait for the next. */
    static final int MAX_FILES_PER_POLL = 10_000;

    private final Path directory;
    private final TorrentTable table;
    private final WatchDirScan scan = new WatchDirScan();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stop = lock.newCondition();
    private final ReentrantLock polling = new ReentrantLock();
    private boolean closed;
    private Thread thread;

    WatchDir(Path directory, TorrentTable table) {
        this.directory = directory;
        this.table = table;
    }

    /** Makes the directory if it is missing, and starts polling it. */
    void start() throws IOException {
        Files.createDirectories(directory);
        thread = Thread.ofVirtual().name("jtorrent-watch-dir").start(this::run);
    }

    private void run() {
        while (true) {
            lock.lock();
            try {
                if (!closed) {
                    stop.await(POLL.toNanos(), TimeUnit.NANOSECONDS);
                }
                if (closed) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            poll();
        }
    }

    /** Lists the directory once and adds the files found ready; returns their names. One poll at a time. */
    List<String> poll() {
        polling.lock();
        try {
            return pollOnce();
        } finally {
            polling.unlock();
        }
    }

    private List<String> pollOnce() {
        Map<String, WatchDirScan.Seen> listing = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                if (listing.size() == MAX_FILES_PER_POLL) {
                    break;
                }
                String name = file.getFileName().toString();
                if (!WatchDirScan.watched(name)) {
                    continue;
                }
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (attributes.isRegularFile()) {
                    listing.put(name, new WatchDirScan.Seen(attributes.size(),
                            attributes.lastModifiedTime().toMillis()));
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "watch dir " + directory + ": cannot be listed: " + e.getMessage());
            return List.of();
        }
        List<String> ready = scan.poll(listing);
        ready.forEach(this::add);
        return ready;
    }

    private void add(String name) {
        Path file = directory.resolve(name);
        try {
            long size = Files.size(file);
            boolean magnet = name.toLowerCase(java.util.Locale.ROOT).endsWith(".magnet");
            int limit = magnet ? MagnetLink.MAX_LENGTH : MetainfoLimits.DEFAULT.maxFileSize();
            if (size > limit) {
                throw new IOException("larger than the limit of " + limit + " bytes");
            }
            byte[] bytes = Files.readAllBytes(file);
            TorrentTable.Added added = magnet
                    ? table.add(MagnetLink.parse(new String(bytes, StandardCharsets.UTF_8).strip()),
                    AddOptions.defaults(), List.of(), "")
                    : table.add(bytes, AddOptions.defaults(), List.of(), "");
            LOG.log(System.Logger.Level.INFO, "watch dir: " + (added.duplicate() ? "already there: " : "added ")
                    + added.torrent().handle().name() + " from " + name);
            rename(file, ".added");
        } catch (IOException | InvalidTorrentException | InvalidMagnetLinkException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "watch dir: " + name + " cannot be added (" + e.getMessage()
                    + "); renamed " + name + ".invalid");
            rename(file, ".invalid");
        }
    }

    private void rename(Path file, String suffix) {
        try {
            Files.move(file, file.resolveSibling(file.getFileName() + suffix), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "watch dir: cannot rename " + file + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            stop.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            try {
                thread.join(POLL.toMillis() * 5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
