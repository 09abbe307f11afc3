package dev.jtorrent.cli;

import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.TorrentHandle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code jtorrent metadata}: fetches only the metadata of a magnet link from peers and writes it as a .torrent file,
 * as {@code aria2c --bt-metadata-only --bt-save-metadata} does; nothing of the content is downloaded.
 */
@Command(name = "metadata", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Fetch a magnet link's metadata from peers and save it as a .torrent file; download nothing.",
        footer = {"", "Exits 0 once the file is written. Ctrl-C stops the search (exit code 130).", "",
                "Examples:", "  jtorrent metadata 'magnet:?xt=urn:btih:...&tr=...' -o album.torrent"})
final class MetadataCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MAGNET", description = "The magnet link.")
    String source;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to write the .torrent file (default: INFOHASH.torrent in the current directory, "
                    + "as aria2 names it).")
    Path output;

    @Mixin
    NetworkOptions network;

    @Mixin
    ResumeOptions resume;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (!MagnetSource.isMagnet(source)) {
            throw new UsageException("not a magnet link: " + source + " (it must start with magnet:?)");
        }
        MagnetLink link = MagnetLink.parse(source);
        if (link.infoHash().isEmpty()) {
            throw new UsageException("the magnet link has no BitTorrent v1 info hash (urn:btih); "
                    + "v2-only links are not supported yet");
        }
        Path file = output != null ? output : Path.of(link.infoHash().get().hex() + ".torrent");
        if (Files.isDirectory(file)) {
            throw new UsageException("-o: " + file + " is a directory; name the .torrent file to write");
        }
        PrintWriter out = spec.commandLine().getOut();
        // Nothing is written there: the torrent stops as soon as its metadata is in. It is not removed from the
        // session, which would forget what the resume directory keeps of it (a download of it may be under way).
        Path nowhere = Files.createTempDirectory("jtorrent-metadata-");
        try (Session session = Session.start(resume.apply(network.sessionConfig()))) {
            StatusLine status = new StatusLine(out, Terminal.isInteractive(), quiet);
            TorrentHandle handle = MagnetSource.fetchMetadata(session, link,
                    network.addOptions().downloadDirectory(nowhere), status);
            Torrent torrent = handle.torrent().orElseThrow();
            MagnetSource.save(torrent, file);
            if (!quiet) {
                int files = torrent.info().contentFiles().size();
                out.printf("Saved the metadata of %s (%d %s, %s) to %s%n", torrent.name(), files,
                        files == 1 ? "file" : "files", DataSize.format(torrent.info().totalLength()), file);
                out.flush();
            }
        } finally {
            Files.deleteIfExists(nowhere);
        }
        return ExitCode.OK;
    }
}
