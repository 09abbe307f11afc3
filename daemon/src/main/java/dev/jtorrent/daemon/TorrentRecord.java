package dev.jtorrent.daemon;

import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.FilePriority;
import dev.jtorrent.session.FileStatus;
import dev.jtorrent.session.TorrentHandle;
import dev.jtorrent.session.TorrentState;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the daemon keeps of one torrent beyond the session's resume data (which keeps the pieces and the files'
 * states): when it was added, its labels and category, its download directory, whether it is paused, its rate
 * limits, its sequential flag and its files' priorities. One JSON file per torrent, {@code <info hash>.json}.
 *
 * @param filePriorities the priorities of the torrent's files in order; empty for a torrent without metadata yet
 */
record TorrentRecord(Instant addedAt, List<String> labels, String category, Path downloadDir, boolean paused,
                     long uploadLimit, long downloadLimit, boolean sequential, List<FilePriority> filePriorities) {
    /** Files of one torrent at most in a record: {@code MetainfoLimits}' own limit. */
    static final int MAX_FILES = 500_000;
    /** Labels of one torrent at most, as a record keeps them. */
    static final int MAX_LABELS = 1_000;

    TorrentRecord {
        labels = List.copyOf(labels);
        filePriorities = List.copyOf(filePriorities);
    }

    /** The record of a torrent as it is now. */
    static TorrentRecord of(DaemonTorrent torrent) {
        TorrentHandle handle = torrent.handle();
        boolean paused = handle.status().state() instanceof TorrentState.Paused;
        List<FilePriority> priorities = handle.files().stream().map(FileStatus::priority).toList();
        return new TorrentRecord(torrent.addedAt(), torrent.labels(), torrent.category(), handle.directory(), paused,
                handle.uploadLimit(), handle.downloadLimit(), handle.sequential(), priorities);
    }

    /** How the torrent is added back at the next start. */
    AddOptions addOptions() {
        return AddOptions.builder().downloadDirectory(downloadDir).paused(paused).uploadLimit(uploadLimit)
                .downloadLimit(downloadLimit).sequential(sequential).filePriorities(filePriorities).build();
    }

    byte[] toJson() {
        ObjectNode node = DaemonSettings.JSON.createObjectNode();
        node.put("added", addedAt.toString());
        ArrayNode labelNodes = node.putArray("labels");
        labels.forEach(labelNodes::add);
        node.put("category", category);
        node.put("download-dir", downloadDir.toString());
        node.put("paused", paused);
        node.put("upload-limit", uploadLimit);
        node.put("download-limit", downloadLimit);
        node.put("sequential", sequential);
        ArrayNode priorityNodes = node.putArray("file-priorities");
        filePriorities.forEach(priority -> priorityNodes.add(priority.name().toLowerCase(Locale.ROOT)));
        return DaemonSettings.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    }

    /**
     * Reads a record.
     *
     * @throws IllegalArgumentException with a short reason, for anything but a well-formed record
     */
    static TorrentRecord parse(byte[] bytes) {
        JsonNode root;
        try {
            root = DaemonSettings.JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode node)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        try {
            Instant added = Instant.parse(string(node, "added"));
            List<String> labels = new ArrayList<>();
            for (JsonNode label : array(node, "labels", MAX_LABELS)) {
                labels.add(label.asString());
            }
            List<FilePriority> priorities = new ArrayList<>();
            for (JsonNode priority : array(node, "file-priorities", MAX_FILES)) {
                priorities.add(FilePriority.valueOf(priority.asString().toUpperCase(Locale.ROOT)));
            }
            return new TorrentRecord(added, labels, string(node, "category"), Path.of(string(node, "download-dir")),
                    bool(node, "paused"), limit(node, "upload-limit"), limit(node, "download-limit"),
                    bool(node, "sequential"), priorities);
        } catch (DateTimeException | InvalidPathException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static String string(ObjectNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException(key + " is not a string");
        }
        return value.asString();
    }

    private static boolean bool(ObjectNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isBoolean()) {
            throw new IllegalArgumentException(key + " is not true or false");
        }
        return value.booleanValue();
    }

    private static long limit(ObjectNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new IllegalArgumentException(key + " is not a rate (an integer, 0 or more)");
        }
        return value.longValue();
    }

    private static ArrayNode array(ObjectNode node, String key, int max) {
        JsonNode value = node.get(key);
        if (!(value instanceof ArrayNode array) || array.size() > max) {
            throw new IllegalArgumentException(key + " is not a list of at most " + max + " strings");
        }
        for (JsonNode element : array) {
            if (!element.isString()) {
                throw new IllegalArgumentException(key + " is not a list of strings");
            }
        }
        return array;
    }
}
