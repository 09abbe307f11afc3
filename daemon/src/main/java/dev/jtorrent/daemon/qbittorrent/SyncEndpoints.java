package dev.jtorrent.daemon.qbittorrent;

import tools.jackson.core.JsonGenerator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code sync/maindata}, the poll of the web UIs and of Flood, and {@code transfer/info}.
 *
 * <p>A first poll ({@code rid} 0), or one whose {@code rid} the session no longer has, gets {@code full_update}:
 * every torrent, category, tag and the whole server state. A poll that passes back a {@code rid} it was given gets
 * what changed since: new torrents whole, changed torrents with only their changed fields, {@code
 * torrents_removed}, categories new or changed and {@code categories_removed}, new tags and {@code tags_removed},
 * {@code trackers} (each tracker URL with its torrents' hashes) where that changed and {@code trackers_removed}, and
 * the server state's changed fields; what did not change is left out, down to an answer of {@code {"rid":n}}.
 */
final class SyncEndpoints {
    private final Backend backend;

    SyncEndpoints(Backend backend) {
        this.backend = backend;
    }

    void register(Routes routes) {
        routes.get("sync/maindata", this::maindata)
                .get("transfer/info", call -> transferInfo());
    }

    private Reply maindata(Call call) {
        MainDataHistory history = call.session().orElseThrow().history();
        int accepted = (int) Math.max(0, Math.min(Integer.MAX_VALUE, call.longOrZero("rid")));
        MainDataHistory.Snapshot fresh = backend.snapshot();
        MainDataHistory.Snapshot now = new MainDataHistory.Snapshot(history.intern(fresh.torrents()),
                fresh.trackers(), fresh.categories(), fresh.tags(), fresh.serverState());
        MainDataHistory.Answer answer = history.send(accepted, now);
        return Reply.json(json -> write(json, answer.rid(), answer.base(), now));
    }

    /** The answer with id {@code rid} for a client that has {@code base} (null: it has nothing). */
    static void write(JsonGenerator json, int rid, MainDataHistory.Snapshot base, MainDataHistory.Snapshot now) {
        boolean full = base == null;
        json.writeStartObject();
        writeCategories(json, full ? Map.of() : base.categories(), now.categories(), full);
        if (full) {
            json.writeBooleanProperty("full_update", true);
        }
        json.writeNumberProperty("rid", rid);
        writeServerState(json, full ? null : base.serverState(), now.serverState());
        writeTags(json, full ? List.of() : base.tags(), now.tags(), full);
        writeTorrents(json, full ? Map.of() : base.torrents(), now.torrents(), full);
        writeTrackers(json, full ? Map.of() : base.trackers(), now.trackers(), full);
        json.writeEndObject();
    }

    private static void writeCategories(JsonGenerator json, Map<String, String> before, Map<String, String> after,
                                        boolean full) {
        List<String> changed = after.keySet().stream()
                .filter(name -> !Objects.equals(before.get(name), after.get(name))).sorted().toList();
        if (full || !changed.isEmpty()) {
            json.writeName("categories");
            json.writeStartObject();
            for (String name : changed) {
                json.writeName(name);
                json.writeStartObject();
                json.writeStringProperty("name", name);
                json.writeStringProperty("savePath", after.get(name));
                json.writeEndObject();
            }
            json.writeEndObject();
        }
        List<String> removed = before.keySet().stream().filter(name -> !after.containsKey(name)).sorted().toList();
        if (!removed.isEmpty()) {
            writeStrings(json, "categories_removed", removed);
        }
    }

    private static void writeServerState(JsonGenerator json, Object[] before, Object[] after) {
        List<Integer> changed = new ArrayList<>();
        for (int i = 0; i < after.length; i++) {
            if (before == null || !before[i].equals(after[i])) {
                changed.add(i);
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        json.writeName("server_state");
        json.writeStartObject();
        for (int i : changed) {
            json.writeName(ServerState.FIELDS.get(i));
            Json.value(json, after[i]);
        }
        json.writeEndObject();
    }

    private static void writeTags(JsonGenerator json, List<String> before, List<String> after, boolean full) {
        List<String> added = after.stream().filter(tag -> !before.contains(tag)).toList();
        if (full || !added.isEmpty()) {
            writeStrings(json, "tags", added);
        }
        List<String> removed = before.stream().filter(tag -> !after.contains(tag)).toList();
        if (!removed.isEmpty()) {
            writeStrings(json, "tags_removed", removed);
        }
    }

    private static void writeTorrents(JsonGenerator json, Map<String, Object[]> before, Map<String, Object[]> after,
                                      boolean full) {
        boolean opened = false;
        for (Map.Entry<String, Object[]> entry : after.entrySet()) {
            Object[] old = before.get(entry.getKey());
            Object[] row = entry.getValue();
            if (old == row || (old != null && Arrays.equals(old, row))) {
                continue;
            }
            if (!opened) {
                json.writeName("torrents");
                json.writeStartObject();
                opened = true;
            }
            json.writeName(entry.getKey());
            json.writeStartObject();
            for (int i = 0; i < row.length; i++) {
                if (i != TorrentRow.HASH && (old == null || !old[i].equals(row[i]))) {
                    json.writeName(TorrentRow.FIELDS.get(i));
                    Json.value(json, row[i]);
                }
            }
            json.writeEndObject();
        }
        if (full && !opened) {
            json.writeName("torrents");
            json.writeStartObject();
            opened = true;
        }
        if (opened) {
            json.writeEndObject();
        }
        List<String> removed = before.keySet().stream().filter(hash -> !after.containsKey(hash)).toList();
        if (!removed.isEmpty()) {
            writeStrings(json, "torrents_removed", removed);
        }
    }

    /** Each tracker URL with the hashes of its torrents: those new or changed, then {@code trackers_removed}. */
    private static void writeTrackers(JsonGenerator json, Map<String, List<String>> before,
                                      Map<String, List<String>> after, boolean full) {
        List<String> changed = after.keySet().stream()
                .filter(url -> !after.get(url).equals(before.get(url))).toList();
        if (full || !changed.isEmpty()) {
            json.writeName("trackers");
            json.writeStartObject();
            for (String url : changed) {
                writeStrings(json, url, after.get(url));
            }
            json.writeEndObject();
        }
        List<String> removed = before.keySet().stream().filter(url -> !after.containsKey(url)).toList();
        if (!removed.isEmpty()) {
            writeStrings(json, "trackers_removed", removed);
        }
    }

    private static void writeStrings(JsonGenerator json, String name, List<String> values) {
        json.writeName(name);
        json.writeStartArray();
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private Reply transferInfo() {
        Object[] state = ServerState.of(backend.session(), backend.totals());
        return Reply.json(json -> {
            json.writeStartObject();
            for (String field : ServerState.TRANSFER_FIELDS) {
                json.writeName(field);
                Json.value(json, state[ServerState.FIELDS.indexOf(field)]);
            }
            json.writeEndObject();
        });
    }
}
