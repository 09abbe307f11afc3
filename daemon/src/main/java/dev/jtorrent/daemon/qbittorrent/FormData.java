package dev.jtorrent.daemon.qbittorrent;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The parameters of one request: its fields (from the query and the body; a later field of the same name replaces
 * an earlier one, as in qBittorrent's maps) and the files of a multipart body.
 */
record FormData(Map<String, String> fields, List<Upload> files) {
    /** One file of a multipart body: its field name, the file name the client gave, and its bytes. */
    record Upload(String field, String filename, byte[] content) {
        Upload {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(filename, "filename");
            Objects.requireNonNull(content, "content");
        }
    }

    FormData {
        fields = Map.copyOf(fields);
        files = List.copyOf(files);
    }

    static FormData empty() {
        return new FormData(Map.of(), List.of());
    }

    Optional<String> field(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    /** The field, or the empty string when absent: how qBittorrent reads a parameter it does not require. */
    String get(String name) {
        return fields.getOrDefault(name, "");
    }

    boolean has(String name) {
        return fields.containsKey(name);
    }
}
