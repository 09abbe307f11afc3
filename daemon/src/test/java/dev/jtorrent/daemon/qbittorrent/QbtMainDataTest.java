package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.daemon.DaemonTorrent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.jtorrent.daemon.qbittorrent.QbtApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code sync/maindata}'s rids: a full update, then only what changed, removals included, within the bound. */
class QbtMainDataTest {
    static final QbtLimits LIMITS = new QbtLimits(64 * 1024, 32 * 1024, 50, Duration.ofSeconds(3600), 4, 2, 5,
            Duration.ofSeconds(3600), 100, Duration.ofSeconds(1));

    @TempDir
    Path dir;
    QbtFixture qbt;

    @BeforeEach
    void start() throws Exception {
        qbt = new QbtFixture(dir, LIMITS, Clock.systemUTC(), true);
        qbt.login();
    }

    @AfterEach
    void stop() throws Exception {
        qbt.close();
    }

    DaemonTorrent add(String name, Map<String, String> fields) throws Exception {
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(fields);
        all.put("paused", "true");
        assertThat(qbt.upload(all, Map.of(name, qbt.metainfo(name, 1000))).body()).isEqualTo("Ok.");
        return qbt.table.all().getLast();
    }

    @Test
    void aFullUpdateThenOnlyWhatChangedThenTheRemovals() throws Exception {
        DaemonTorrent a = add("a", Map.of("category", "tv", "tags", "x"));
        String hashA = a.infoHash().hex();

        JsonNode full = json(qbt.get("sync/maindata"));
        assertThat(full.get("rid").asLong()).isEqualTo(1);
        assertThat(full.get("full_update").asBoolean()).isTrue();
        JsonNode row = full.get("torrents").get(hashA);
        assertThat(row.get("name").asString()).isEqualTo("a");
        assertThat(row.has("hash")).isFalse();
        assertThat(row.size()).isEqualTo(TorrentRow.FIELDS.size() - 1);
        assertThat(full.get("categories").get("tv").get("name").asString()).isEqualTo("tv");
        assertThat(full.get("tags").toString()).isEqualTo("[\"x\"]");
        assertThat(full.get("server_state").size()).isEqualTo(ServerState.FIELDS.size());
        assertThat(full.get("trackers").toString()).isEqualTo("{\"http://127.0.0.1:1/announce\":[\"" + hashA + "\"]}");

        // Nothing changed: the rid alone (the free disk space may move between two polls).
        JsonNode nothing = json(qbt.get("sync/maindata?rid=1"));
        assertThat(nothing.get("rid").asLong()).isEqualTo(2);
        assertThat(nothing.has("full_update")).isFalse();
        assertThat(nothing.has("torrents")).isFalse();
        assertThat(nothing.has("categories")).isFalse();
        assertThat(nothing.has("tags")).isFalse();
        assertThat(nothing.has("trackers")).isFalse();

        // One torrent's category and a new torrent; a new category and tag.
        qbt.post("torrents/createCategory", Map.of("category", "films"));
        qbt.post("torrents/setCategory", Map.of("hashes", hashA, "category", "films"));
        DaemonTorrent b = add("b", Map.of("tags", "y"));
        JsonNode changed = json(qbt.get("sync/maindata?rid=2"));
        assertThat(changed.get("rid").asLong()).isEqualTo(3);
        JsonNode changedA = changed.get("torrents").get(hashA);
        assertThat(changedA.size()).isEqualTo(1);
        assertThat(changedA.get("category").asString()).isEqualTo("films");
        assertThat(changed.get("torrents").get(b.infoHash().hex()).size()).isEqualTo(TorrentRow.FIELDS.size() - 1);
        assertThat(changed.get("categories").size()).isEqualTo(1);
        assertThat(changed.get("categories").get("films").get("savePath").asString()).isEmpty();
        assertThat(changed.get("tags").toString()).isEqualTo("[\"y\"]");
        assertThat(changed.get("trackers").get("http://127.0.0.1:1/announce").size()).isEqualTo(2);

        // Removals: a torrent, a category, a tag.
        qbt.post("torrents/delete", Map.of("hashes", hashA, "deleteFiles", "false"));
        qbt.post("torrents/removeCategories", Map.of("categories", "tv"));
        qbt.post("torrents/deleteTags", Map.of("tags", "x"));
        JsonNode removed = json(qbt.get("sync/maindata?rid=3"));
        assertThat(removed.get("torrents_removed").toString()).isEqualTo("[\"" + hashA + "\"]");
        assertThat(removed.get("categories_removed").toString()).isEqualTo("[\"tv\"]");
        assertThat(removed.get("tags_removed").toString()).isEqualTo("[\"x\"]");
        assertThat(removed.get("torrents").toString()).as("b moved up the queue into a's place")
                .isEqualTo("{\"" + b.infoHash().hex() + "\":{\"priority\":1}}");
        assertThat(removed.get("trackers").get("http://127.0.0.1:1/announce").toString())
                .isEqualTo("[\"" + b.infoHash().hex() + "\"]");

        // The same rid can be asked again (an answer lost on the way): the diff is against it still.
        JsonNode again = json(qbt.get("sync/maindata?rid=3"));
        assertThat(again.get("rid").asLong()).isEqualTo(5);
        assertThat(again.get("torrents_removed").toString()).isEqualTo("[\"" + hashA + "\"]");
    }

    @Test
    void aRidPushedOutOfTheBoundOrUnknownGetsAFullUpdate() throws Exception {
        add("a", Map.of());
        assertThat(json(qbt.get("sync/maindata")).get("rid").asLong()).isEqualTo(1);
        assertThat(json(qbt.get("sync/maindata?rid=1")).has("full_update")).isFalse();
        json(qbt.get("sync/maindata?rid=2"));
        // Two snapshots are kept (rids 2 and 3): rid 1 is gone.
        JsonNode stale = json(qbt.get("sync/maindata?rid=1"));
        assertThat(stale.get("full_update").asBoolean()).isTrue();
        assertThat(stale.get("torrents").size()).isEqualTo(1);
        assertThat(json(qbt.get("sync/maindata?rid=12345")).get("full_update").asBoolean()).isTrue();
        assertThat(json(qbt.get("sync/maindata?rid=nonsense")).get("full_update").asBoolean()).isTrue();
    }

    @Test
    void eachSessionHasItsOwnRids() throws Exception {
        add("a", Map.of());
        json(qbt.get("sync/maindata"));
        String first = qbt.sid;
        qbt.sid = null;
        qbt.login();
        assertThat(qbt.sid).isNotEqualTo(first);
        JsonNode other = json(qbt.get("sync/maindata?rid=1"));
        assertThat(other.get("full_update").asBoolean()).isTrue();
        assertThat(other.get("rid").asLong()).isEqualTo(1);
    }
}
