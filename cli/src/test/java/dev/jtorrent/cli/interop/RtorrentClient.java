package dev.jtorrent.cli.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * rtorrent 0.9.8 (libtorrent 0.13.8, rakshasa's) seeding or downloading, configured by an rc file of its own.
 *
 * <p>The recipe, and why:
 * <ul>
 *   <li>{@code system.daemon.set = true}: rtorrent 0.9.8 then runs without its curses interface, so it needs no
 *       terminal ({@code script} or tmux are not needed) and reads nothing from standard input; it stays in the
 *       foreground, so the pid is the client's. {@code -n} skips {@code ~/.rtorrent.rc}, and {@code -o import=} reads
 *       this file instead.</li>
 *   <li>{@code network.bind_address} binds the peer socket and the outgoing connections (HTTP announces through
 *       libcurl and UDP announces included); {@code network.local_address} is also sent to the tracker as
 *       {@code ip=}.</li>
 *   <li>{@code dht.mode = disable}, {@code protocol.pex = no}; rtorrent has no uTP, LSD, UPnP or NAT-PMP.
 *       {@code trackers.use_udp = yes} is the default, set to say that UDP announces are wanted.</li>
 *   <li>{@code load.start_verbose} loads the torrent and starts it: with no session data about it rtorrent hashes the
 *       existing files first, and a seed announces with {@code left=0} once they check out. rtorrent gives no simple
 *       "seeding" signal outside its SCGI interface, so whether it seeds is for the tracker to tell.</li>
 *   <li>Nor has it an exit-when-done, so {@code event.download.finished}, which rtorrent fires once every chunk of a
 *       download has passed its hash check, touches a marker file ({@code execute.nothrow = touch, FILE}) that the
 *       test waits for. rtorrent writes through shared memory maps, so by then the data is what any reader of the
 *       files sees.</li>
 * </ul>
 */
final class RtorrentClient extends ReferenceClient {

    private static final ExternalTool TOOL = new ExternalTool("rtorrent", "rtorrent");

    RtorrentClient(Role role) {
        super("rtorrent", role);
    }

    @Override
    void launch(Path torrent, Path saveDir, String ip, int port) {
        Path executable = TOOL.require();
        Path rc = workDir.resolve("rtorrent.rc");
        try {
            Files.createDirectories(workDir.resolve("session"));
            Files.writeString(rc, """
                    system.daemon.set = true
                    network.bind_address.set = %1$s
                    network.local_address.set = %1$s
                    network.port_range.set = %2$d-%2$d
                    network.port_random.set = no
                    dht.mode.set = disable
                    protocol.pex.set = no
                    trackers.use_udp.set = yes
                    directory.default.set = "%3$s"
                    session.path.set = "%4$s"
                    log.open_file = "main", "%5$s"
                    log.add_output = "info", "main"
                    log.add_output = "tracker_debug", "main"
                    method.set_key = event.download.finished, jtorrent_test_done, "execute.nothrow=touch,%6$s"
                    load.start_verbose = "%7$s"
                    """.formatted(ip, port, saveDir, workDir.resolve("session"), mainLog(), finishedMarker(),
                    torrent));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startProcess(List.of(executable.toString(), "-n", "-o", "import=" + rc), Map.of("TERM", "dumb"));
        process.requireAlive();
    }

    @Override
    void awaitDownloaded(Duration timeout) {
        Await.untilTrue("rtorrent to finish the download (event.download.finished)", timeout, () -> {
            process.requireAlive();
            return Files.exists(finishedMarker());
        }, this::describe);
    }

    @Override
    String details() {
        return BackgroundProcess.lastLines(mainLog(), 30);
    }

    private Path mainLog() {
        return workDir.resolve("rtorrent-main.log");
    }

    private Path finishedMarker() {
        return workDir.resolve("download-finished");
    }
}
