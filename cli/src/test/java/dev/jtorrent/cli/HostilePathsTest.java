package dev.jtorrent.cli;

import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BList;
import dev.jtorrent.bencode.BString;
import dev.jtorrent.bencode.BValue;
import dev.jtorrent.bencode.BencodeEncoder;
import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import dev.jtorrent.session.TorrentHandle;
import dev.jtorrent.session.TorrentState;
import dev.jtorrent.tracker.TrackerServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A torrent whose file paths aim outside the directory it is given ({@code ..}, {@code a/../../x}, absolute paths,
 * {@code C:\x}, UNC paths, NUL, an over-long name, reserved names, a bidi override, bytes that are not UTF-8) never
 * makes {@code download} write, or {@code seed} read, outside that directory: its files land at their sanitised names
 * inside. The torrent is written by hand with the bencode encoder, since {@code create} would never write one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostilePathsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int PIECE_LENGTH = 16_384;
    /** Files that would escape are two and a half pieces long, so that whatever pieces they share, one is theirs. */
    private static final int ESCAPING_LENGTH = 40_000;
    private static final int PLAIN_LENGTH = 3_000;

    @TempDir
    Path temp;

    /** An absolute path outside the test's directory, unique to this run; the torrent names it. */
    private final Path absolute = Path.of(System.getProperty("java.io.tmpdir"))
            .resolve("jtorrent-escape-" + System.nanoTime() + ".bin").toAbsolutePath();
    private final Map<List<byte[]>, byte[]> files = new LinkedHashMap<>();
    private TrackerServer tracker;
    private Path torrentFile;
    private Torrent torrent;
    private final List<AutoCloseable> open = new ArrayList<>();

    /** The hostile paths, element by element as the torrent lists them, and the names they must end up with. */
    private final Map<List<String>, List<String>> expected = new LinkedHashMap<>();

    @BeforeEach
    void writeTheTorrent() throws Exception {
        tracker = TrackerServer.start(new InetSocketAddress(LOOPBACK, 0), Duration.ofSeconds(5));
        open.add(tracker);
        file(ESCAPING_LENGTH, List.of("_", "dotdot-escape.bin"), "..", "..", "dotdot-escape.bin");
        file(ESCAPING_LENGTH, List.of("_", "a", "x.bin"), "a", "..", "..", "x.bin");
        file(ESCAPING_LENGTH, List.of("_", "a....slashes.bin"), "a/../../slashes.bin");
        List<String> absoluteElements = Arrays.asList(absolute.toString().split("/"));
        List<String> absoluteSanitised = new ArrayList<>(List.of("_"));
        absoluteSanitised.addAll(absoluteElements.stream().map(e -> e.isEmpty() ? "_" : e).toList());
        file(ESCAPING_LENGTH, absoluteSanitised, absoluteElements.toArray(String[]::new));
        file(ESCAPING_LENGTH, List.of("_", absolute.toString().replace("/", "")), absolute.toString());
        file(PLAIN_LENGTH, List.of("_", "C:windowsx.bin"), "C:\\windows\\x.bin");
        file(PLAIN_LENGTH, List.of("_", "srvshareunc.bin"), "\\\\srv\\share\\unc.bin");
        file(PLAIN_LENGTH, List.of("_", "nul_byte.bin"), "nul\0byte.bin");
        file(PLAIN_LENGTH, List.of("_", "y".repeat(236) + ".bin"), "y".repeat(300) + ".bin");
        file(PLAIN_LENGTH, List.of("_", "CON"), "CON");
        file(PLAIN_LENGTH, List.of("_", "com1.txt"), "com1.txt");
        file(PLAIN_LENGTH, List.of("_", "eviltxt.exe"), "evil\u202etxt.exe");
        file(PLAIN_LENGTH, List.of("_", "trailing-dot."), "trailing-dot.");
        file(PLAIN_LENGTH, List.of("_", "dot.bin"), ".", "dot.bin");
        file(PLAIN_LENGTH, List.of("_", "a", "_", "empty.bin"), "a", "", "empty.bin");
        files.put(List.of(new byte[] {(byte) 0xff, (byte) 0xfe, 'b', '.', 'b', 'i', 'n'}), content(PLAIN_LENGTH));
        expected.put(List.of("\\xff\\xfeb.bin"), List.of("_", "_b.bin"));

        torrentFile = temp.resolve("hostile.torrent");
        Files.write(torrentFile, torrentBytes(".."));
        torrent = Torrent.load(torrentFile);
        assertThat(torrent.info().files()).extracting(FileEntry::path)
                .as("the sanitised paths").containsExactlyElementsOf(expected.values());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        Files.deleteIfExists(absolute);
    }

    /**
     * The download directory lives alone inside a fresh parent, itself deep in the test's directory so that every
     * {@code ..} stays within what the test can inspect; after the download the parent holds it alone, no file
     * appeared anywhere else, and the files inside have their sanitised names and the right bytes.
     */
    @Test
    void downloadWritesOnlyInsideItsDirectoryAtTheSanitisedNames() throws Exception {
        Path seedDir = Files.createDirectories(temp.resolve("seed"));
        writeSanitisedLayout(seedDir);
        Session seeder = Session.start(SessionConfig.builder().bindAddress(LOOPBACK).port(0).build());
        open.add(seeder);
        TorrentHandle seeding = seeder.add(torrent, AddOptions.builder().downloadDirectory(seedDir).build()).checked().join();
        open.add(seeding::pause);
        assertThat((seeding.status().state() instanceof TorrentState.Seeding)).as("the seeder found the sanitised layout complete").isTrue();

        Path parent = Files.createDirectories(temp.resolve("one").resolve("two").resolve("three").resolve("parent"));
        Path downloads = parent.resolve("downloads");
        Set<Path> before = paths(temp);
        CliRun run = CliRun.of("download", torrentFile.toString(), "-d", downloads.toString(), "--bind", "127.0.0.1",
                "--port", "0");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Downloaded _", "all " + torrent.info().pieceCount() + " pieces verified");
        try (Stream<Path> siblings = Files.list(parent)) {
            assertThat(siblings).as("what the download directory's parent holds").containsExactly(downloads);
        }
        Set<Path> created = new TreeSet<>(paths(temp));
        created.removeAll(before);
        assertThat(created).as("files and directories the download created").isNotEmpty()
                .allMatch(p -> p.startsWith(downloads));
        assertThat(absolute).doesNotExist();
        assertSanitisedLayout(downloads);
    }

    /**
     * {@code seed} pointed at an empty directory, with the data lying where the unsanitised paths lead (outside it),
     * finds none of it: it fails with one line saying how many pieces it holds, and writes nothing anywhere.
     */
    @Test
    void seedReadsOnlyInsideItsDirectoryAndSaysWhatIsMissing() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("one").resolve("two").resolve("three").resolve("seed"));
        int decoys = 0;
        for (Map.Entry<List<byte[]>, byte[]> file : files.entrySet()) {
            Path naive = naivePath(dir, file.getKey());
            if (naive != null && !naive.startsWith(dir)) {
                try {
                    Files.createDirectories(naive.getParent());
                    Files.write(naive, file.getValue());
                    decoys++;
                } catch (java.nio.file.FileSystemException e) {
                    // A name the file system refuses (300 bytes): no one could have left data there.
                }
            }
        }
        assertThat(decoys).as("files placed where the unsanitised paths lead").isGreaterThanOrEqualTo(4);
        Map<Path, byte[]> before = contents(temp);
        byte[] atTheAbsolutePath = Files.readAllBytes(absolute);
        Set<Path> pathsBefore = paths(temp);

        CliRun run = CliRun.of("seed", torrentFile.toString(), "-d", dir.toString(), "--bind", "127.0.0.1",
                "--port", "0");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errorLine()).isEqualTo("jtorrent: " + dir + " holds 0 of " + torrent.info().pieceCount()
                + " pieces of _; seed needs all of them (download fetches the rest)");
        Set<Path> created = new TreeSet<>(paths(temp));
        created.removeAll(pathsBefore);
        assertThat(created).as("files and directories seed created outside its directory")
                .allMatch(p -> p.startsWith(dir));
        Map<Path, byte[]> after = contents(temp);
        before.forEach((path, bytes) -> assertThat(after.get(path)).as("%s after seed", path).isEqualTo(bytes));
        assertThat(Files.readAllBytes(absolute)).as("the file at the absolute path, untouched")
                .isEqualTo(atTheAbsolutePath);
    }

    /** Adds a file listed with {@code elements}, which must sanitise to {@code sanitised} below the torrent's name. */
    private void file(int length, List<String> sanitised, String... elements) {
        files.put(Arrays.stream(elements).map(e -> e.getBytes(StandardCharsets.UTF_8)).toList(), content(length));
        expected.put(List.of(elements), sanitised);
    }

    private byte[] content(int length) {
        byte[] bytes = new byte[length];
        new Random(files.size()).nextBytes(bytes);
        return bytes;
    }

    /** A multi-file torrent named {@code name} holding {@link #files}, announced to the embedded tracker. */
    private byte[] torrentBytes(String name) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<BValue> list = new ArrayList<>();
        for (Map.Entry<List<byte[]>, byte[]> file : files.entrySet()) {
            all.writeBytes(file.getValue());
            list.add(BDictionary.builder().put("length", file.getValue().length)
                    .put("path", BList.of(file.getKey().stream().map(BString::of).toList())).build());
        }
        byte[] content = all.toByteArray();
        ByteArrayOutputStream pieces = new ByteArrayOutputStream();
        for (int at = 0; at < content.length; at += PIECE_LENGTH) {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(content, at, Math.min(PIECE_LENGTH, content.length - at));
            pieces.writeBytes(sha1.digest());
        }
        BDictionary info = BDictionary.builder().put("files", BList.of(list)).put("name", name)
                .put("piece length", PIECE_LENGTH).put("pieces", BString.of(pieces.toByteArray())).build();
        return BencodeEncoder.encode(BDictionary.builder().put("announce", tracker.httpAnnounceUrl())
                .put("info", info).build());
    }

    /** Writes every file at its sanitised path under {@code root}, as a seeder that downloaded it would have it. */
    private void writeSanitisedLayout(Path root) throws IOException {
        List<byte[]> contents = List.copyOf(files.values());
        List<FileEntry> entries = torrent.info().files();
        for (int i = 0; i < entries.size(); i++) {
            Path path = resolve(root, entries.get(i).path());
            Files.createDirectories(path.getParent());
            Files.write(path, contents.get(i));
        }
    }

    private void assertSanitisedLayout(Path root) throws IOException {
        List<byte[]> contents = List.copyOf(files.values());
        List<FileEntry> entries = torrent.info().files();
        Set<Path> wanted = new TreeSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Path path = resolve(root, entries.get(i).path());
            wanted.add(path);
            assertThat(Files.readAllBytes(path)).as("%s", path).isEqualTo(contents.get(i));
        }
        assertThat(regularFiles(root)).as("the files downloaded").isEqualTo(wanted);
    }

    private static Path resolve(Path root, List<String> elements) {
        Path path = root;
        for (String element : elements) {
            path = path.resolve(element);
        }
        return path;
    }

    /**
     * Where a client that did not sanitise would put a file: the name {@code ..} and the raw elements joined with
     * '/' under {@code dir}; null where the raw bytes make no path at all (NUL).
     */
    private static Path naivePath(Path dir, List<byte[]> elements) {
        String joined = elements.stream().map(e -> new String(e, StandardCharsets.UTF_8))
                .collect(Collectors.joining("/"));
        try {
            return dir.resolve("..").resolve(joined).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /** Every file and directory under {@code root}. */
    private static Set<Path> paths(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<Path> regularFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Map<Path, byte[]> contents(Path root) throws IOException {
        Map<Path, byte[]> contents = new TreeMap<>();
        for (Path file : regularFiles(root)) {
            contents.put(file, Files.readAllBytes(file));
        }
        return contents;
    }
}
