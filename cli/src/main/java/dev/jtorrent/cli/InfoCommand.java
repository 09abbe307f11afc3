package dev.jtorrent.cli;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoDictionary;
import dev.jtorrent.metainfo.InvalidMagnetLinkException;
import dev.jtorrent.metainfo.InvalidTorrentException;
import dev.jtorrent.metainfo.Torrent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code jtorrent info}: what a .torrent file or a magnet link describes. */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Show what a .torrent file or a magnet link describes.",
        footer = {"", "Examples:", "  jtorrent info ubuntu.iso.torrent", "  jtorrent info --json photos.torrent",
                "  jtorrent info 'magnet:?xt=urn:btih:...&dn=name&tr=udp://tracker.example:6969'"})
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "A .torrent file or a magnet: URI.")
    String source;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException, InvalidTorrentException, InvalidMagnetLinkException {
        PrintWriter out = spec.commandLine().getOut();
        if (source.regionMatches(true, 0, "magnet:", 0, 7)) {
            MagnetInfo.print(source, json, out);
            return ExitCode.OK;
        }
        Torrent torrent;
        try {
            torrent = Torrent.load(Path.of(source));
        } catch (InvalidTorrentException e) {
            throw new InvalidTorrentException(e.reason(), source + ": " + e.getMessage(), e);
        }
        out.println(json ? Json.write(toJson(torrent)) : text(torrent));
        return ExitCode.OK;
    }

    static Map<String, Object> toJson(Torrent torrent) {
        InfoDictionary info = torrent.info();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", info.name());
        map.put("infoHash", torrent.infoHash().hex());
        map.put("totalSize", info.contentLength());
        map.put("pieceLength", info.pieceLength());
        map.put("pieceCount", info.pieceCount());
        map.put("private", info.isPrivate());
        map.put("trackers", torrent.trackerTiers());
        map.put("webSeeds", torrent.webSeeds());
        List<FileEntry> contentFiles = info.contentFiles();
        List<Map<String, Object>> files = new ArrayList<>(contentFiles.size());
        for (FileEntry f : contentFiles) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("index", files.size() + 1); // as download --select-file takes it
            file.put("path", f.displayPath());
            file.put("size", f.length());
            files.add(file);
        }
        map.put("files", files);
        map.put("httpSeeds", torrent.httpSeeds());
        map.put("creationDate", torrent.creationDate().map(d -> d.getEpochSecond()).orElse(null));
        map.put("comment", torrent.comment().orElse(null));
        map.put("createdBy", torrent.createdBy().orElse(null));
        map.put("source", info.source().orElse(null));
        map.put("hybrid", info.hybrid());
        return map;
    }

    private static String text(Torrent torrent) {
        InfoDictionary info = torrent.info();
        StringBuilder s = new StringBuilder();
        line(s, "Name", info.name());
        line(s, "Info hash", torrent.infoHash().hex() + (info.hybrid() ? " (v1 half of a v1+v2 hybrid)" : ""));
        line(s, "Total size", DataSize.format(info.contentLength()) + " (" + info.contentLength() + " bytes)");
        line(s, "Pieces", info.pieceCount() + " of " + DataSize.format(info.pieceLength()));
        line(s, "Private", info.isPrivate() ? "yes" : "no");
        torrent.creationDate().ifPresent(d -> line(s, "Created",
                DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(d.atOffset(ZoneOffset.UTC)) + " UTC"));
        torrent.createdBy().ifPresent(c -> line(s, "Created by", c));
        torrent.comment().ifPresent(c -> line(s, "Comment", c));
        info.source().ifPresent(c -> line(s, "Source", c));
        s.append("Trackers:");
        if (torrent.trackerTiers().isEmpty()) {
            s.append(" none");
        }
        s.append('\n');
        List<List<String>> tiers = torrent.trackerTiers();
        for (int i = 0; i < tiers.size(); i++) {
            s.append(String.format(Locale.ROOT, "  tier %d: %s%n", i + 1, String.join("  ", tiers.get(i))));
        }
        if (!torrent.webSeeds().isEmpty()) {
            s.append("Web seeds:\n");
            torrent.webSeeds().forEach(url -> s.append("  ").append(url).append('\n'));
        }
        List<FileEntry> files = info.contentFiles();
        s.append("Files (").append(files.size()).append(", numbered as download --select-file takes them):\n");
        int width = Integer.toString(files.size()).length();
        for (int i = 0; i < files.size(); i++) {
            FileEntry file = files.get(i);
            s.append(String.format(Locale.ROOT, "  %" + width + "d  %10s  %s%n", i + 1, DataSize.format(file.length()),
                    file.displayPath()));
        }
        return s.toString().stripTrailing();
    }

    private static void line(StringBuilder s, String label, String value) {
        s.append(String.format(Locale.ROOT, "%-11s %s%n", label + ":", value));
    }
}
