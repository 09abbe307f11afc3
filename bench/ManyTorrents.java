import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import dev.jtorrent.session.TorrentHandle;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * jtorrent's side of bench/many-torrents.py, compiled by it against cli/target/jtorrent.jar:
 *
 * <pre>java -cp jtorrent.jar:CLASSES ManyTorrents TORRENT_DIR SAVE_DIR IP PORT</pre>
 *
 * Parses every .torrent in TORRENT_DIR, then adds them all to one session listening on IP:PORT, with their data in
 * SAVE_DIR (absent), and prints {@code added N in S s}: the seconds from the first add until every torrent has checked
 * what data there is (none) and started, as libtorrent's adds are timed to the last {@code torrent_checked_alert}.
 * Then it idles until its standard input ends, when it closes the session.
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
        SessionConfig config = SessionConfig.builder().bindAddress(InetAddress.getByName(args[2]))
                .port(Integer.parseInt(args[3])).build();
        AddOptions options = AddOptions.builder().downloadDirectory(save).build();
        try (Session session = Session.start(config)) {
            long start = System.nanoTime();
            List<TorrentHandle> handles = new ArrayList<>();
            for (Torrent torrent : torrents) {
                handles.add(session.add(torrent, options));
            }
            // add() returns at once; each torrent then checks its data in the session's queue, one at a time.
            CompletableFuture.allOf(handles.stream().map(TorrentHandle::checked)
                    .toArray(CompletableFuture[]::new)).join();
            System.out.printf("added %d in %.3f s%n", torrents.size(), (System.nanoTime() - start) / 1e9);
            System.out.flush();
            while (System.in.read() >= 0) {
                // idle until the bench closes our standard input
            }
        }
    }
}
