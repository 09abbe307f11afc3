package dev.jtorrent.daemon.transmission;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static dev.jtorrent.daemon.transmission.RpcFixture.args;
import static org.assertj.core.api.Assertions.assertThat;

class TorrentGetTest {
    @TempDir
    Path dir;

    /** The fields of check 30 of rpc.md, with those @ctrl/transmission and both web clients ask for. */
    static final List<String> CLIENT_FIELDS = List.of("activityDate", "addedDate", "bandwidthPriority", "comment",
            "corruptEver", "creator", "dateCreated", "desiredAvailable", "doneDate", "downloadDir", "downloadedEver",
            "downloadLimit", "downloadLimited", "editDate", "error", "errorString", "eta", "etaIdle", "file-count",
            "files", "fileStats", "group", "hashString", "haveUnchecked", "haveValid", "honorsSessionLimits", "id",
            "isFinished", "isPrivate", "isStalled", "labels", "leftUntilDone", "magnetLink", "manualAnnounceTime",
            "maxConnectedPeers", "metadataPercentComplete", "name", "peer-limit", "peers", "peersConnected",
            "peersFrom", "peersGettingFromUs", "peersSendingToUs", "percentComplete", "percentDone", "pieces",
            "pieceCount", "pieceSize", "primary-mime-type", "priorities", "queuePosition", "rateDownload",
            "rateUpload", "recheckProgress", "secondsDownloading", "secondsSeeding", "seedIdleLimit", "seedIdleMode",
            "seedRatioLimit", "seedRatioMode", "sizeWhenDone", "startDate", "status", "torrentFile", "totalSize",
            "trackers", "trackerList", "trackerStats", "uploadedEver", "uploadLimit", "uploadLimited", "uploadRatio",
            "wanted", "webseeds", "webseedsSendingToUs");

    @Test
    void everyFieldClientsReadComesWithItsTypeAndThe300ValuesOfAPausedTorrent() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            int id = rpc.addPaused("one.bin", 40_000);
            JsonNode t = rpc.ok("torrent-get", args("ids", id, "fields", CLIENT_FIELDS)).get("torrents").get(0);
            assertThat(t.propertyNames()).containsExactlyElementsOf(CLIENT_FIELDS);
            assertThat(t.get("status").asInt()).isZero();
            assertThat(t.get("eta").asInt()).isEqualTo(-1);
            assertThat(t.get("uploadRatio").asDouble()).isEqualTo(-1);
            assertThat(t.get("doneDate").asInt()).isZero();
            assertThat(t.get("labels").isArray()).isTrue();
            assertThat(t.get("wanted").get(0).isInt()).isTrue();
            assertThat(t.get("wanted").get(0).asInt()).isEqualTo(1);
            assertThat(t.get("id").asInt()).isEqualTo(id);
            assertThat(t.get("name").asString()).isEqualTo("one.bin");
            assertThat(t.get("totalSize").asLong()).isEqualTo(40_000);
            assertThat(t.get("sizeWhenDone").asLong()).isEqualTo(40_000);
            assertThat(t.get("leftUntilDone").asLong()).isEqualTo(40_000);
            assertThat(t.get("pieceCount").asInt()).isEqualTo(3);
            assertThat(t.get("pieceSize").asInt()).isEqualTo(16 * 1024);
            assertThat(Base64.getDecoder().decode(t.get("pieces").asString())).containsExactly(0);
            assertThat(t.get("file-count").asInt()).isEqualTo(1);
            assertThat(t.get("files").get(0).get("name").asString()).isEqualTo("one.bin");
            assertThat(t.get("files").get(0).get("length").asLong()).isEqualTo(40_000);
            assertThat(t.get("fileStats").get(0).get("wanted").isBoolean()).isTrue();
            assertThat(t.get("hashString").asString()).hasSize(40).matches("[0-9a-f]+");
            assertThat(t.get("magnetLink").asString()).startsWith("magnet:?xt=urn:btih:" + t.get("hashString").asString());
            assertThat(t.get("downloadDir").asString()).isEqualTo(rpc.downloads().toString());
            assertThat(t.get("primary-mime-type").asString()).isEqualTo("application/octet-stream");
            assertThat(t.get("addedDate").asLong()).isPositive();
            assertThat(t.get("metadataPercentComplete").asDouble()).isEqualTo(1);
            assertThat(t.get("peersFrom").has("fromTracker")).isTrue();
            assertThat(t.get("percentDone").isNumber()).isTrue();
            assertThat(t.get("isFinished").isBoolean()).isTrue();
            assertThat(t.get("errorString").isString()).isTrue();
        }
    }

    @Test
    void onlyTheAskedFieldsComeBackAndAnUnknownOneIsZero() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            int id = rpc.addPaused("a.bin", 1000);
            JsonNode t = rpc.ok("torrent-get", args("ids", id, "fields", List.of("id", "noSuchField", "id")))
                    .get("torrents").get(0);
            assertThat(t.propertyNames()).containsExactly("id", "noSuchField");
            assertThat(t.get("noSuchField").asInt()).isZero();
            assertThat(rpc.call("torrent-get", args("ids", id)).get("result").asString())
                    .isEqualTo("no fields specified");
        }
    }

    @Test
    void idsAreAnIdAListAHashAMixOrNothingForAll() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            int a = rpc.addPaused("a.bin", 1000);
            int b = rpc.addPaused("b.bin", 2000);
            int c = rpc.addPaused("c.bin", 3000);
            String hashB = rpc.ok("torrent-get", args("ids", b, "fields", List.of("hashString")))
                    .get("torrents").get(0).get("hashString").asString();
            assertThat(ids(rpc, args("ids", a))).containsExactly(a);
            assertThat(ids(rpc, args("ids", List.of(c, a)))).containsExactly(c, a);
            assertThat(ids(rpc, args("ids", hashB))).containsExactly(b);
            assertThat(ids(rpc, args("ids", hashB.toUpperCase()))).containsExactly(b);
            assertThat(ids(rpc, args("ids", List.of(hashB, a, a, 999)))).containsExactly(b, a);
            assertThat(ids(rpc, args("ids", 999))).isEmpty();
            assertThat(ids(rpc, args("ids", List.of()))).isEmpty();
            assertThat(ids(rpc, args("ids", "not-a-hash"))).isEmpty();
            assertThat(ids(rpc, args("id", b))).containsExactly(b);
            assertThat(ids(rpc, args())).containsExactly(a, b, c);
        }
    }

    @Test
    void aHugeIdsListIsAnsweredWithTheTorrentsItNames() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            int a = rpc.addPaused("a.bin", 1000);
            List<Integer> many = new ArrayList<>();
            for (int i = 0; i < 500_000; i++) {
                many.add(i % 1000 == 0 ? a : 1_000_000 + i);
            }
            assertThat(ids(rpc, args("ids", many))).containsExactly(a);
        }
    }

    @Test
    void recentlyActiveAlsoListsTheIdsRemovedLately() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            int a = rpc.addPaused("a.bin", 1000);
            int b = rpc.addPaused("b.bin", 2000);
            rpc.ok("torrent-remove", args("ids", List.of(a)));
            JsonNode reply = rpc.ok("torrent-get", args("ids", "recently-active", "fields", List.of("id")));
            assertThat(reply.get("removed").valueStream().map(JsonNode::asInt).toList()).containsExactly(a);
            assertThat(reply.get("torrents").valueStream().map(t -> t.get("id").asInt()).toList()).containsExactly(b);
            assertThat(rpc.ok("torrent-get", args("fields", List.of("id"))).has("removed")).isFalse();
        }
    }

    @Test
    void theTableFormatIsARowOfNamesThenARowPerTorrent() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            int a = rpc.addPaused("a.bin", 1000);
            JsonNode torrents = rpc.ok("torrent-get", args("format", "table", "fields", List.of("id", "name", "x")))
                    .get("torrents");
            assertThat(torrents.size()).isEqualTo(2);
            assertThat(torrents.get(0).valueStream().map(JsonNode::asString).toList()).containsExactly("id", "name", "x");
            assertThat(torrents.get(1).get(0).asInt()).isEqualTo(a);
            assertThat(torrents.get(1).get(1).asString()).isEqualTo("a.bin");
            assertThat(torrents.get(1).get(2).asInt()).isZero();
        }
    }

    @Test
    void aNonAsciiFileNameRoundTripsExactly() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            String name = "Ünïcødé файл ✓.txt";
            int id = rpc.addPaused(name, 100);
            JsonNode t = rpc.ok("torrent-get", args("ids", id, "fields", List.of("name", "files"))).get("torrents").get(0);
            assertThat(t.get("name").asString()).isEqualTo(name);
            assertThat(t.get("files").get(0).get("name").asString()).isEqualTo(name);
        }
    }

    @Test
    void jsonRpcFieldsAreSnakeCaseAndWantedIsBooleans() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            int id = rpc.addPaused("a.bin", 40_000);
            JsonNode reply = rpc.reply("{\"jsonrpc\":\"2.0\",\"method\":\"torrent_get\",\"params\":{\"ids\":" + id
                    + ",\"fields\":[\"hash_string\",\"percent_done\",\"wanted\",\"files\",\"file_count\"]},\"id\":1}");
            JsonNode t = reply.get("result").get("torrents").get(0);
            assertThat(t.propertyNames()).containsExactly("hash_string", "percent_done", "wanted", "files", "file_count");
            assertThat(t.get("wanted").get(0).isBoolean()).isTrue();
            assertThat(t.get("files").get(0).get("bytes_completed").asLong()).isZero();
            assertThat(t.get("files").get(0).get("begin_piece").asInt()).isZero();
            assertThat(t.get("files").get(0).get("end_piece").asInt()).isEqualTo(3);
        }
    }

    private static List<Integer> ids(RpcFixture rpc, java.util.Map<String, Object> arguments) throws Exception {
        arguments.put("fields", List.of("id"));
        return rpc.ok("torrent-get", arguments).get("torrents").valueStream().map(t -> t.get("id").asInt()).toList();
    }
}
