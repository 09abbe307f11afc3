package dev.jtorrent.daemon.transmission;

import dev.jtorrent.metainfo.FileEntry;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A torrent's {@code primary-mime-type}, which the Transmission 4.0 web client picks an icon by: the type of the
 * extension that holds the most bytes, as Transmission works it out.
 */
final class MimeTypes {
    static final String UNKNOWN = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("mkv", "video/x-matroska"), Map.entry("mp4", "video/mp4"), Map.entry("avi", "video/x-msvideo"),
            Map.entry("webm", "video/webm"), Map.entry("mov", "video/quicktime"), Map.entry("m4v", "video/mp4"),
            Map.entry("ts", "video/mp2t"), Map.entry("mpg", "video/mpeg"), Map.entry("wmv", "video/x-ms-wmv"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("flac", "audio/flac"), Map.entry("ogg", "audio/ogg"),
            Map.entry("opus", "audio/ogg"), Map.entry("m4a", "audio/mp4"), Map.entry("wav", "audio/wav"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("png", "image/png"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("txt", "text/plain"),
            Map.entry("nfo", "text/plain"), Map.entry("srt", "text/plain"), Map.entry("pdf", "application/pdf"),
            Map.entry("epub", "application/epub+zip"), Map.entry("zip", "application/zip"),
            Map.entry("rar", "application/vnd.rar"), Map.entry("7z", "application/x-7z-compressed"),
            Map.entry("gz", "application/gzip"), Map.entry("tar", "application/x-tar"),
            Map.entry("iso", "application/x-iso9660-image"), Map.entry("exe", "application/x-msdownload"),
            Map.entry("deb", "application/vnd.debian.binary-package"), Map.entry("html", "text/html"));

    private MimeTypes() {
    }

    static String primary(List<FileEntry> files) {
        if (files.size() == 1) {
            return of(files.get(0));
        }
        Map<String, Long> bytes = new HashMap<>();
        for (FileEntry file : files) {
            bytes.merge(of(file), file.length(), Long::sum);
        }
        return bytes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(UNKNOWN);
    }

    private static String of(FileEntry file) {
        String name = file.path().get(file.path().size() - 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? UNKNOWN : BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), UNKNOWN);
    }
}
