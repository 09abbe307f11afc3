import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * jtorrent's side of bench/many-torrents.py, compiled by it against cli/target/jtorrent.jar:
 *
 * <pre>java -cp jtorrent.jar:CLASSES ManyTorrents TORRENT_DIR SAVE_DIR IP PORT</pre>
 *
 * Parses every .torrent in TORRENT_DIR, then adds them all to one session listening on IP:PORT, with their data in
 * SAVE_DIR (absent), and prints {@code added N in S s}: the seconds from the first add until the last returned (each
 * add checks what data there is, none). Then it idles until its standard input ends, when it closes the session.
 */
public final class ManyTorrents {
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ManyTorrents TORRENT_DIR SAVE_DIR IP PORT");
            System.exit(2);
        }
        List<Torrent> torrents = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".torrent")).sorted().toList()) {
                torrents.add(Torrent.parse(Files.readAllBytes(file)));
            }
        }
        System.out.println("parsed " + torrents.size());
        Path save = Path.of(args[1]);
        SessionConfig config = SessionConfig.DEFAULT.withBindAddress(InetAddress.getByName(args[2]))
                .withPort(Integer.parseInt(args[3]));
        try (Session session = Session.start(config)) {
            long start = System.nanoTime();
            for (Torrent torrent : torrents) {
                session.add(torrent, save, new AtomicLong());
            }
            System.out.printf("added %d in %.3f s%n", torrents.size(), (System.nanoTime() - start) / 1e9);
            System.out.flush();
            while (System.in.read() >= 0) {
                // idle until the bench closes our standard input
            }
        }
    }
}
