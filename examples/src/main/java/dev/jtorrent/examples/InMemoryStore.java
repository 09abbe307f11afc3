package dev.jtorrent.examples;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.metainfo.TorrentBuilder;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.PieceStore;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import dev.jtorrent.session.TorrentHandle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Keeps a torrent's pieces in memory rather than in files, through the library's {@link PieceStore}: a program that
 * streams what it downloads, or keeps it in a database, plugs its own store in the same way. It makes 4 MiB of random
 * bytes and their torrent in a temporary directory, seeds them from one session, downloads them on loopback into
 * memory in another, and checks them against the file. The README's "Embedding" section shows its store.
 *
 * <pre>
 * java -p jtorrent-core.jar:jtorrent-examples.jar -m dev.jtorrent.examples/dev.jtorrent.examples.InMemoryStore
 * </pre>
 */
public final class InMemoryStore {
    private InMemoryStore() {
    }

    /**
     * Pieces in memory, one map of them per torrent. The session opens a store at each start of a torrent (its add,
     * and each resume), so the maps outlive the stores: a paused torrent finds its pieces again when it resumes.
     */
    public static final class Pieces implements PieceStore.Factory {
        private final Map<InfoHash, Map<Integer, byte[]>> torrents = new ConcurrentHashMap<>();

        /** Creates a factory holding no piece. */
        public Pieces() {
        }

        @Override
        public PieceStore open(Torrent torrent) {
            Map<Integer, byte[]> pieces = torrents.computeIfAbsent(torrent.infoHash(), h -> new ConcurrentHashMap<>());
            // Reads come from several threads at once; a concurrent map is all the locking it needs.
            return new PieceStore() {
                @Override
                public boolean has(int piece) {
                    return pieces.containsKey(piece);
                }

                @Override
                public void writePiece(int piece, ByteBuffer data) {
                    byte[] copy = new byte[data.remaining()];
                    data.get(copy); // the buffer is only lent for the call
                    pieces.put(piece, copy);
                }

                @Override
                public void read(int piece, int offset, ByteBuffer destination) throws IOException {
                    byte[] bytes = pieces.get(piece);
                    if (bytes == null) {
                        throw new IOException("piece " + piece + " is not in memory");
                    }
                    destination.put(bytes, offset, destination.remaining());
                }

                @Override
                public void force() {
                    // Nothing survives the process anyway: a piece is as safe as it gets once it is in the map.
                }

                @Override
                public void close() {
                    // The pieces stay in the factory's map, for the next start.
                }
            };
        }

        @Override
        public void delete(Torrent torrent) {
            torrents.remove(torrent.infoHash());
        }

        /**
         * The torrent's bytes, its pieces end to end.
         *
         * @throws IllegalStateException if a piece is missing
         */
        public byte[] content(Torrent torrent) {
            Map<Integer, byte[]> pieces = torrents.getOrDefault(torrent.infoHash(), Map.of());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int piece = 0; piece < torrent.info().pieceCount(); piece++) {
                byte[] bytes = pieces.get(piece);
                if (bytes == null) {
                    throw new IllegalStateException("piece " + piece + " is not in memory");
                }
                out.writeBytes(bytes);
            }
            return out.toByteArray();
        }
    }

    /** Runs the demonstration in a temporary directory, deleted after. */
    public static void main(String[] args) throws Exception {
        Path directory = Files.createTempDirectory("jtorrent-in-memory-");
        try {
            run(directory, System.out);
        } finally {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /**
     * Seeds 4 MiB of random bytes from files in {@code directory} and downloads them into memory, telling {@code
     * out} how it went.
     *
     * @return the torrent's pieces, as the memory holds them
     * @throws IllegalStateException if what was downloaded differs from the file
     */
    public static byte[] run(Path directory, PrintStream out) throws Exception {
        byte[] random = new byte[4 * 1024 * 1024];
        new Random(14).nextBytes(random);
        Path file = Files.write(directory.resolve("random.bin"), random);
        TorrentBuilder builder = TorrentBuilder.of(file).withPieceLength(Optional.of(256 * 1024));
        Torrent torrent = Torrent.parse(builder.build(builder.plan(), new AtomicLong()));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        SessionConfig config = SessionConfig.builder().bindAddress(loopback).port(0).build();
        Pieces memory = new Pieces();

        try (Session seeder = Session.start(config); Session leecher = Session.start(config)) {
            seeder.add(torrent, AddOptions.builder().downloadDirectory(directory).build())
                    .checked().get(30, TimeUnit.SECONDS);
            long start = System.nanoTime();
            TorrentHandle handle = leecher.add(torrent, AddOptions.builder().storage(memory).build());
            // The torrent has no tracker: once it runs, it is told where the seed is.
            handle.checked().get(30, TimeUnit.SECONDS);
            handle.addPeer(new InetSocketAddress(loopback, seeder.port()));
            handle.completion().get(60, TimeUnit.SECONDS);
            out.printf("downloaded %d pieces of %s into memory in %d ms%n", torrent.info().pieceCount(),
                    torrent.name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
        byte[] kept = memory.content(torrent);
        if (!Arrays.equals(kept, random)) {
            throw new IllegalStateException("the pieces in memory differ from " + file);
        }
        out.println("they match " + file.getFileName());
        return kept;
    }
}
