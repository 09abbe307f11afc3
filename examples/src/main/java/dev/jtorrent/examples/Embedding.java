package dev.jtorrent.examples;

import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.FileStatus;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import dev.jtorrent.session.SessionEvent;
import dev.jtorrent.session.TorrentHandle;
import dev.jtorrent.session.TorrentState;
import dev.jtorrent.session.TorrentStatus;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Downloads one torrent with jtorrent embedded as a library, printing its progress and the session's events, then
 * stops cleanly. The README's "Embedding" section walks through it.
 *
 * <pre>
 * java --enable-native-access=dev.jtorrent -p jtorrent-core.jar:jtorrent-examples.jar \
 *     -m dev.jtorrent.examples/dev.jtorrent.examples.Embedding \
 *     debian.torrent downloads [PORT [BIND_ADDRESS]]
 * </pre>
 */
public final class Embedding {
    private Embedding() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 4) {
            System.err.println("usage: Embedding TORRENT DIRECTORY [PORT [BIND_ADDRESS]]");
            System.exit(2);
        }
        Torrent torrent = Torrent.load(Path.of(args[0]));
        Path directory = Files.createDirectories(Path.of(args[1]));
        SessionConfig.Builder config = SessionConfig.builder()
                .port(args.length > 2 ? Integer.parseInt(args[2]) : 6881)
                .resumeDirectory(directory.resolve(".resume"));
        if (args.length > 3) {
            config.bindAddress(InetAddress.getByName(args[3]));
        }

        try (Session session = Session.start(config.build())) {
            // Events come on a thread of their own; a slow listener never holds the download up.
            session.subscribe(event -> {
                switch (event) {
                    case SessionEvent.StateChanged changed -> System.out.println(
                            changed.torrent().name() + ": " + changed.from() + " -> " + changed.to());
                    case SessionEvent.FileCompleted file -> System.out.println(
                            "finished " + file.torrent().files().get(file.fileIndex()).path());
                    case SessionEvent.TrackerFailed failed -> System.out.println(
                            "tracker " + failed.url() + ": " + failed.message());
                    default -> { }
                }
            });

            TorrentHandle handle = session.add(torrent, AddOptions.builder().downloadDirectory(directory).build());
            while (true) {
                try {
                    handle.completion().get(1, TimeUnit.SECONDS);
                    break;
                } catch (TimeoutException notYet) {
                    TorrentStatus status = handle.status();
                    if (status.state() instanceof TorrentState.Failed failed && !failed.retrying()) {
                        throw new IllegalStateException(failed.message());
                    }
                    System.out.printf(Locale.ROOT, "%5.1f%%  %7.1f KiB/s  %d peers%n", status.progress() * 100,
                            status.downloadRate() / 1024, status.peers());
                }
            }
            for (FileStatus file : handle.files()) {
                System.out.printf(Locale.ROOT, "%s: %d bytes%n", file.path(), file.verifiedBytes());
            }
            System.out.println("complete: " + handle.name());
        } // close() tells the trackers "stopped" and saves resume data
    }
}
