package dev.jtorrent.daemon;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.InvalidMagnetLinkException;
import dev.jtorrent.metainfo.InvalidTorrentException;
import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.MetainfoLimits;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.SessionEvent;
import dev.jtorrent.session.Subscription;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The daemon's torrents kept in its config directory, so that they come back after a restart or a crash: under
 * {@code torrents/}, each torrent's {@code <info hash>.torrent} (the bytes it was added from) or {@code
 * <info hash>.magnet} (its link, as text, while the session's resume directory keeps the metadata fetched for it),
 * its {@link TorrentRecord} as {@code <info hash>.json}, and {@code order.json}, the info hashes in the order of
 * the session's queue ({@link dev.jtorrent.session.TorrentHandle#queuePosition()}, which the session does not keep
 * across restarts): the torrents are added back in that order, which gives each its place again.
 *
 * <p>Every file is written atomically ({@link AtomicFiles}). A torrent's source is written before its add returns,
 * so an add that was answered survives a kill -9. Records and the order are written by one thread of their own
 * as soon as they change ({@link TorrentTable.Listener}, the session's state changes), a burst of changes in one
 * pass, and once every {@link #SWEEP} whatever changed unseen (a rate limit set on a handle directly); a record is
 * rewritten only when its bytes differ from the last written. {@link #close} writes every record once more, before
 * the session stops its torrents (which would record them paused), within a bounded time.
 *
 * <p>At {@link #restore}, a record or a source that cannot be read is one log line, and that torrent is skipped
 * (its files and data are left alone); the rest load. A source without a record (a kill -9 between the two
 * writes) comes back with default settings.
 */
final class StateStore implements TorrentTable.Listener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StateStore.class.getName());
    static final String DIRECTORY = "torrents";
    static final String ORDER_FILE = "order.json";
    /** How often every record is compared with the torrent, to catch changes no one told of. */
    static final Duration SWEEP = Duration.ofSeconds(30);
    /** A record larger than this is refused before it is read: 500,000 file priorities take about 4 MiB. */
    static final int MAX_RECORD_SIZE = 16 * 1024 * 1024;
    /** The order of up to 1,000,000 torrents, 44 bytes each. */
    static final int MAX_ORDER_SIZE = 64 * 1024 * 1024;

    private final Path directory;
    private final TorrentTable table;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition done = lock.newCondition();
    /** Torrents whose record may have changed, by info hash. */
    private final Map<InfoHash, DaemonTorrent> dirty = new LinkedHashMap<>();
    /** Torrents removed since the last pass: their files are deleted by the writer. */
    private final List<InfoHash> removed = new ArrayList<>();
    private boolean orderDirty;
    private boolean sweep;
    private boolean closed;
    /** Passes asked for and passes finished: a flush waits for the pass after its call to finish. */
    private long requested;
    private long finished;
    /** The bytes last written of each record, written by the writer thread alone. */
    private final Map<InfoHash, byte[]> written = new HashMap<>();
    /** The bytes of the order last written, by the writer thread alone. */
    private byte[] writtenOrder;
    private final Thread writer;
    private Subscription events;

    StateStore(Path configDir, TorrentTable table) {
        this.directory = configDir.resolve(DIRECTORY);
        this.table = table;
        this.writer = Thread.ofVirtual().name("jtorrent-state").unstarted(this::run);
    }

    /**
     * Adds back every torrent kept, in the saved order (those the order does not name after, oldest first), then
     * starts listening to the table and the session. Returns how many came back.
     */
    int restore() throws IOException {
        Files.createDirectories(directory);
        Map<InfoHash, Path> sources = new LinkedHashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.{torrent,magnet}")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String hex = name.substring(0, name.lastIndexOf('.'));
                try {
                    sources.put(InfoHash.fromHex(hex), file);
                } catch (IllegalArgumentException e) {
                    LOG.log(System.Logger.Level.WARNING, file + ": not named by an info hash; ignored");
                }
            }
        }
        int restored = 0;
        for (Map.Entry<InfoHash, Path> entry : ordered(sources).entrySet()) {
            if (restore(entry.getKey(), entry.getValue())) {
                restored++;
            }
        }
        table.listen(this);
        events = table.session().subscribe(event -> {
            switch (event) {
                case SessionEvent.StateChanged changed -> table.byHash(changed.torrent().infoHash())
                        .ifPresent(this::changed);
                case SessionEvent.MetadataReceived received -> table.byHash(received.torrent().infoHash())
                        .ifPresent(this::changed);
                default -> {
                }
            }
        });
        writer.start();
        return restored;
    }

    /** The sources in the saved order, those it does not name after it by their files' age. */
    private Map<InfoHash, Path> ordered(Map<InfoHash, Path> sources) {
        Map<InfoHash, Path> ordered = new LinkedHashMap<>();
        for (InfoHash infoHash : savedOrder()) {
            Path source = sources.get(infoHash);
            if (source != null) {
                ordered.put(infoHash, source);
            }
        }
        List<Map.Entry<InfoHash, Path>> rest = new ArrayList<>(sources.entrySet());
        rest.removeIf(entry -> ordered.containsKey(entry.getKey()));
        rest.sort(Comparator.comparing(entry -> modified(entry.getValue())));
        rest.forEach(entry -> ordered.put(entry.getKey(), entry.getValue()));
        return ordered;
    }

    private List<InfoHash> savedOrder() {
        Path file = directory.resolve(ORDER_FILE);
        try {
            byte[] bytes = read(file, MAX_ORDER_SIZE);
            List<InfoHash> order = new ArrayList<>();
            JsonNode root = DaemonSettings.JSON.readTree(bytes);
            if (!(root instanceof ArrayNode array)) {
                throw new IllegalArgumentException("not a JSON list");
            }
            for (JsonNode hex : array) {
                order.add(InfoHash.fromHex(hex.asString("")));
            }
            return order;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, file + ": cannot be read (" + e.getMessage()
                    + "); the torrents come back in the order they were added");
            return List.of();
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.MAX;
        }
    }

    private boolean restore(InfoHash infoHash, Path source) {
        Path recordFile = directory.resolve(infoHash.hex() + ".json");
        try {
            TorrentTable.Source from;
            if (source.getFileName().toString().endsWith(".magnet")) {
                String link = new String(read(source, MagnetLink.MAX_LENGTH), StandardCharsets.UTF_8).strip();
                from = new TorrentTable.Source.Magnet(MagnetLink.parse(link));
            } else {
                from = new TorrentTable.Source.Metainfo(read(source, MetainfoLimits.DEFAULT.maxFileSize()));
            }
            TorrentRecord record;
            try {
                byte[] bytes = read(recordFile, MAX_RECORD_SIZE);
                record = TorrentRecord.parse(bytes);
                written.put(infoHash, bytes);
            } catch (NoSuchFileException e) {
                record = new TorrentRecord(modified(source), List.of(), "", table.session().config()
                        .downloadDirectory(), false, 0, 0, false, List.of());
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, recordFile + ": not a torrent record (" + e.getMessage()
                        + "); the torrent " + infoHash.hex() + " is skipped, its files are left as they are");
                return false;
            }
            AddOptions options = record.addOptions();
            table.restore(from, options, record.labels(), record.category(), record.addedAt());
            return true;
        } catch (IOException | InvalidTorrentException | InvalidMagnetLinkException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, source + ": cannot be added back (" + e.getMessage()
                    + "); the torrent is skipped, its files are left as they are");
            return false;
        }
    }

    /** A file's bytes, refused before reading when it is larger than {@code limit}. */
    private static byte[] read(Path file, int limit) throws IOException {
        if (Files.size(file) > limit) {
            throw new IOException("larger than " + limit + " bytes");
        }
        return Files.readAllBytes(file);
    }

    @Override
    public void added(DaemonTorrent torrent, TorrentTable.Source source) {
        String hex = torrent.infoHash().hex();
        try {
            switch (source) {
                case TorrentTable.Source.Metainfo metainfo ->
                        AtomicFiles.write(directory.resolve(hex + ".torrent"), metainfo.bytes());
                case TorrentTable.Source.Magnet magnet -> AtomicFiles.write(directory.resolve(hex + ".magnet"),
                        (magnet.link().toString() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, torrent + ": cannot keep its source in " + directory + " ("
                    + e.getMessage() + "); it will not come back after a restart");
        }
        lock.lock();
        try {
            dirty.put(torrent.infoHash(), torrent);
            orderDirty = true;
            request();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void removed(DaemonTorrent torrent) {
        lock.lock();
        try {
            dirty.remove(torrent.infoHash());
            removed.add(torrent.infoHash());
            orderDirty = true;
            request();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void changed(DaemonTorrent torrent) {
        lock.lock();
        try {
            if (closed || table.byHash(torrent.infoHash()).orElse(null) != torrent) {
                return;
            }
            dirty.put(torrent.infoHash(), torrent);
            // A queue move is told as a change of the torrent moved; the order is rewritten only if it changed.
            orderDirty = true;
            request();
        } finally {
            lock.unlock();
        }
    }

    /** The order changed (a queue move): it is written in the next pass. */
    void orderChanged() {
        lock.lock();
        try {
            orderDirty = true;
            request();
        } finally {
            lock.unlock();
        }
    }

    private void request() {
        requested++;
        work.signal();
    }

    /**
     * Waits until everything changed before this call is written, or {@code timeout} passed; returns whether it
     * was.
     */
    boolean flush(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long target = ++requested;
            work.signal();
            long nanos = timeout.toNanos();
            while (finished < target) {
                if (nanos <= 0 || !writer.isAlive()) {
                    return false;
                }
                nanos = done.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            Map<InfoHash, DaemonTorrent> records;
            List<InfoHash> gone;
            boolean order;
            long pass;
            lock.lock();
            try {
                while (requested == finished && !sweep && !closed) {
                    try {
                        if (!work.await(SWEEP.toNanos(), TimeUnit.NANOSECONDS)) {
                            sweep = true;
                        }
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                if (closed && requested == finished) {
                    return;
                }
                if (sweep) {
                    table.all().forEach(torrent -> dirty.putIfAbsent(torrent.infoHash(), torrent));
                    orderDirty = true;
                    sweep = false;
                }
                records = new LinkedHashMap<>(dirty);
                dirty.clear();
                gone = new ArrayList<>(removed);
                removed.clear();
                order = orderDirty;
                orderDirty = false;
                pass = requested;
            } finally {
                lock.unlock();
            }
            write(records, gone, order);
            lock.lock();
            try {
                finished = Math.max(finished, pass);
                done.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void write(Map<InfoHash, DaemonTorrent> records, List<InfoHash> gone, boolean order) {
        for (InfoHash infoHash : gone) {
            written.remove(infoHash);
            for (String suffix : List.of(".json", ".torrent", ".magnet")) {
                try {
                    AtomicFiles.delete(directory.resolve(infoHash.hex() + suffix));
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, infoHash.hex() + suffix + ": cannot be deleted ("
                            + e.getMessage() + ")");
                }
            }
        }
        for (DaemonTorrent torrent : records.values()) {
            try {
                byte[] bytes = TorrentRecord.of(torrent).toJson();
                if (!Arrays.equals(bytes, written.get(torrent.infoHash()))) {
                    AtomicFiles.write(directory.resolve(torrent.infoHash().hex() + ".json"), bytes);
                    written.put(torrent.infoHash(), bytes);
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, torrent + ": cannot save its state (" + e.getMessage() + ")");
            }
        }
        if (order) {
            ArrayNode array = DaemonSettings.JSON.createArrayNode();
            queueOrder().forEach(torrent -> array.add(torrent.infoHash().hex()));
            byte[] bytes = DaemonSettings.JSON.writeValueAsBytes(array);
            try {
                if (!Arrays.equals(bytes, writtenOrder)) {
                    AtomicFiles.write(directory.resolve(ORDER_FILE), bytes);
                    writtenOrder = bytes;
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, ORDER_FILE + ": cannot be saved (" + e.getMessage() + ")");
            }
        }
    }

    /** The torrents in the session's queue order; one removed meanwhile goes last, and is dropped at the next pass. */
    private List<DaemonTorrent> queueOrder() {
        Map<DaemonTorrent, Integer> positions = new HashMap<>();
        for (DaemonTorrent torrent : table.all()) {
            int position;
            try {
                position = torrent.handle().queuePosition();
            } catch (IllegalStateException removed) {
                position = Integer.MAX_VALUE;
            }
            positions.put(torrent, position);
        }
        List<DaemonTorrent> ordered = new ArrayList<>(positions.keySet());
        ordered.sort(Comparator.comparing(positions::get));
        return ordered;
    }

    /**
     * Writes every record as the torrents are now, within {@code timeout}, then stops listening and writing. Call it
     * before the session closes: a closing session pauses its torrents, which is not their state to keep.
     */
    void close(Duration timeout) {
        if (events != null) {
            events.close();
        }
        lock.lock();
        try {
            if (closed) {
                return;
            }
            table.all().forEach(torrent -> dirty.put(torrent.infoHash(), torrent));
            orderDirty = true;
        } finally {
            lock.unlock();
        }
        try {
            if (writer.isAlive() && !flush(timeout)) {
                LOG.log(System.Logger.Level.WARNING, "the torrents' state was not all saved within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            closed = true;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    Path directory() {
        return directory;
    }
}
