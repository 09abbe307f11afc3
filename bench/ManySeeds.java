import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import dev.jtorrent.session.TorrentHandle;
import dev.jtorrent.session.TorrentState;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * jtorrent's seeder in bench/many-seeds.py, compiled by it against cli/target/jtorrent.jar:
 *
 * <pre>java -cp jtorrent.jar:CLASSES ManySeeds LIST IP PORT trust|check</pre>
 *
 * LIST names one torrent a line, as {@code TORRENT_FILE<TAB>DATA_DIRECTORY}. Parses them all, then adds them all to
 * one session listening on IP:PORT, through the public API only, as an embedder would: {@code trust} takes their
 * data as complete ({@link AddOptions.Builder#trustData}), {@code check} checks it first. Once every torrent has
 * started and is seeding it prints {@code seeding N in S s}, the seconds from the first add; a torrent that is not
 * complete then ends the program, since the bench's figures would mean nothing. It then seeds until its standard
 * input ends, when it closes the session.
 */
public final class ManySeeds {
    public static void main(String[] args) throws Exception {
        if (args.length != 4 || !(args[3].equals("trust") || args[3].equals("check"))) {
            System.err.println("usage: ManySeeds LIST IP PORT trust|check");
            System.exit(2);
        }
        record Entry(Torrent torrent, Path directory) {
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t", 2);
            entries.add(new Entry(Torrent.load(Path.of(fields[0])), Path.of(fields[1])));
        }
        System.out.println("parsed " + entries.size());
        boolean trust = args[3].equals("trust");
        SessionConfig config = SessionConfig.builder().bindAddress(InetAddress.getByName(args[1]))
                .port(Integer.parseInt(args[2])).build();
        try (Session session = Session.start(config)) {
            long start = System.nanoTime();
            List<TorrentHandle> handles = new ArrayList<>();
            for (Entry entry : entries) {
                handles.add(session.add(entry.torrent(),
                        AddOptions.builder().downloadDirectory(entry.directory()).trustData(trust).build()));
            }
            // add() returns at once; a torrent seeds once its data is checked (or trusted) and it has started.
            CompletableFuture.allOf(handles.stream().map(TorrentHandle::checked)
                    .toArray(CompletableFuture[]::new)).join();
            double seconds = (System.nanoTime() - start) / 1e9;
            for (TorrentHandle handle : handles) {
                TorrentState state = handle.status().state();
                if (!(state instanceof TorrentState.Seeding)) {
                    System.err.println(handle.name() + " is not seeding after its start: " + state);
                    System.exit(1);
                }
            }
            System.out.printf("seeding %d in %.3f s%n", handles.size(), seconds);
            System.out.flush();
            while (System.in.read() >= 0) {
                // seed until the bench closes our standard input
            }
        }
    }
}
