package dev.jtorrent.daemon.transmission;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.jtorrent.session.SessionEvent;
import dev.jtorrent.session.TorrentState;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;

import static dev.jtorrent.daemon.transmission.RpcFixture.args;
import static org.assertj.core.api.Assertions.assertThat;

class TorrentActionsTest {
    @TempDir
    Path dir;

    @Test
    void speedLimitsReadBackInKilobytesAndApplyToTheSession() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            int id = rpc.addPaused("a.bin", 1000);
            rpc.ok("torrent-set", args("ids", id, "downloadLimit", 250, "downloadLimited", true, "uploadLimit", 40));
            JsonNode t = get(rpc, id, "downloadLimit", "downloadLimited", "uploadLimit", "uploadLimited");
            assertThat(t.get("downloadLimit").asInt()).isEqualTo(250);
            assertThat(t.get("downloadLimited").asBoolean()).isTrue();
            assertThat(t.get("uploadLimit").asInt()).isEqualTo(40);
            assertThat(t.get("uploadLimited").asBoolean()).isFalse();
            var handle = rpc.daemon.torrents().byId(id).orElseThrow().handle();
            assertThat(handle.downloadLimit()).isEqualTo(250_000);
            assertThat(handle.uploadLimit()).isZero();

            rpc.ok("torrent-set", args("ids", id, "downloadLimited", false));
            assertThat(handle.downloadLimit()).isZero();
            assertThat(get(rpc, id, "downloadLimit").get("downloadLimit").asInt()).isEqualTo(250);
        }
    }

    @Test
    void filesWantedPrioritiesAndLabelsAreSetAndABadIndexChangesNothing() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            int id = rpc.addPaused("a.bin", 1000);
            assertThat(rpc.call("torrent-set", args("ids", id, "files-unwanted", List.of(0), "priority-high",
                    List.of(99))).get("result").asString()).isEqualTo("file index out of range");
            assertThat(get(rpc, id, "wanted").get("wanted").get(0).asInt()).isEqualTo(1);

            rpc.ok("torrent-set", args("ids", id, "files-unwanted", List.of()));
            JsonNode t = get(rpc, id, "wanted", "sizeWhenDone", "fileStats");
            assertThat(t.get("wanted").get(0).asInt()).isZero();
            assertThat(t.get("sizeWhenDone").asLong()).isZero();
            assertThat(t.get("fileStats").get(0).get("wanted").asBoolean()).isFalse();
            rpc.ok("torrent-set", args("ids", id, "files-wanted", List.of(0), "priority-low", List.of(0)));
            assertThat(get(rpc, id, "priorities").get("priorities").get(0).asInt()).isEqualTo(-1);

            rpc.ok("torrent-set", args("ids", id, "labels", List.of("a", "b")));
            assertThat(get(rpc, id, "labels").get("labels").valueStream().map(JsonNode::asString).toList())
                    .containsExactly("a", "b");
            assertThat(rpc.call("torrent-set", args("ids", id, "labels", List.of("a,b"))).get("result").asString())
                    .isEqualTo("labels cannot contain comma (,) character");
            assertThat(rpc.call("torrent-set", args("ids", id, "labels", List.of("x".repeat(Labels.MAX_LENGTH + 1))))
                    .get("result").asString()).startsWith("a label is at most");
        }
    }

    @Test
    void startAndStopChangeTheStatusAndWithoutIdsActOnEveryTorrent() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            int a = rpc.addPaused("a.bin", 1000);
            int b = rpc.addPaused("b.bin", 1000);
            rpc.ok("torrent-start", args("ids", List.of(a)));
            awaitStatus(rpc, a, TorrentView.DOWNLOAD, TorrentView.SEED, TorrentView.CHECK, TorrentView.CHECK_WAIT);
            assertThat(get(rpc, b, "status").get("status").asInt()).isZero();
            rpc.ok("torrent-start-now", args());
            awaitStatus(rpc, b, TorrentView.DOWNLOAD, TorrentView.SEED, TorrentView.CHECK, TorrentView.CHECK_WAIT);
            rpc.ok("torrent-stop", args());
            assertThat(get(rpc, a, "status").get("status").asInt()).isZero();
            assertThat(get(rpc, b, "status").get("status").asInt()).isZero();
            rpc.ok("torrent-verify", args("ids", a));
        }
    }

    @Test
    void removeWithDeleteLocalDataDeletesTheFilesAndWithoutItKeepsThem() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            byte[] torrent = RpcFixture.metainfo(rpc.downloads(), "kept.bin", 1000);
            byte[] other = RpcFixture.metainfo(rpc.downloads(), "gone.bin", 1000);
            int kept = rpc.ok("torrent-add", args("metainfo", java.util.Base64.getEncoder().encodeToString(torrent),
                    "paused", true)).get("torrent-added").get("id").asInt();
            int gone = rpc.ok("torrent-add", args("metainfo", java.util.Base64.getEncoder().encodeToString(other),
                    "paused", true)).get("torrent-added").get("id").asInt();
            rpc.ok("torrent-remove", args("ids", kept));
            rpc.ok("torrent-remove", args("ids", gone, "delete-local-data", true));
            assertThat(rpc.daemon.torrents().size()).isZero();
            assertThat(rpc.downloads().resolve("kept.bin")).exists();
            assertThat(rpc.downloads().resolve("gone.bin")).doesNotExist();
        }
    }

    @Test
    void setLocationWantsAnAllowedAbsoluteLocationAndMovesTheData() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            byte[] torrent = RpcFixture.metainfo(rpc.downloads(), "moved.bin", 1000);
            int id = rpc.ok("torrent-add", args("metainfo", java.util.Base64.getEncoder().encodeToString(torrent),
                    "paused", true)).get("torrent-added").get("id").asInt();
            assertThat(setLocation(rpc, args("ids", id))).isEqualTo("no location");
            assertThat(setLocation(rpc, args("ids", id, "location", "rel", "move", true)))
                    .isEqualTo("new location path is not absolute");
            assertThat(setLocation(rpc, args("ids", id, "location", "/etc", "move", true)))
                    .isEqualTo(TorrentActions.LOCATION_NOT_ALLOWED);
            Path target = rpc.downloads().resolve("elsewhere");
            assertThat(setLocation(rpc, args("ids", id, "location", target.toString())))
                    .isEqualTo(TorrentActions.MOVE_ONLY);
            CompletableFuture<Void> moved = new CompletableFuture<>();
            try (var subscription = rpc.daemon.session().subscribe(event -> {
                if (event instanceof SessionEvent.StateChanged changed
                        && changed.from() instanceof TorrentState.Moving) {
                    moved.complete(null);
                }
            })) {
                assertThat(setLocation(rpc, args("ids", id, "location", target.toString(), "move", true)))
                        .isEqualTo("success");
                moved.get(20, TimeUnit.SECONDS);
            }
            assertThat(target.resolve("moved.bin")).exists();
            assertThat(get(rpc, id, "downloadDir").get("downloadDir").asString()).isEqualTo(target.toString());
        }
    }

    @Test
    void renamePathRenamesOneTorrentsPath() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            int a = rpc.addPaused("a.bin", 1000);
            int b = rpc.addPaused("b.bin", 1000);
            assertThat(rename(rpc, args("ids", List.of(a, b), "path", "a.bin", "name", "x")))
                    .isEqualTo("torrent-rename-path requires 1 torrent");
            assertThat(rename(rpc, args("ids", a, "path", "a.bin", "name", "x/y"))).isEqualTo("Invalid argument");
            assertThat(rename(rpc, args("ids", a, "path", "nothing", "name", "x"))).isEqualTo("Invalid argument");
            assertThat(rename(rpc, args("ids", a, "name", "x"))).isEqualTo("Invalid argument");
            JsonNode renamed = rpc.ok("torrent-rename-path", args("ids", a, "path", "a.bin", "name", "x.bin"));
            assertThat(renamed.get("id").asInt()).isEqualTo(a);
            assertThat(renamed.get("path").asString()).isEqualTo("a.bin");
            assertThat(renamed.get("name").asString()).isEqualTo("x.bin");
            assertThat(get(rpc, a, "files").get("files").get(0).get("name").asString()).isEqualTo("x.bin");
            rpc.ok("torrent-reannounce", args("ids", a));
            assertThat(get(rpc, b, "queuePosition").get("queuePosition").asInt()).isEqualTo(1);
        }
    }

    @Test
    void trackerEditsReplaceAddAndRemoveTrackers() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            int a = rpc.addPaused("a.bin", 1000);
            rpc.ok("torrent-set", args("ids", a, "trackerList",
                    "http://a.example/announce\nhttp://b.example/announce\n\nudp://c.example:80/announce\n"));
            assertThat(get(rpc, a, "trackerList").get("trackerList").asString())
                    .isEqualTo("http://a.example/announce\nhttp://b.example/announce\n\nudp://c.example:80/announce\n");
            JsonNode trackers = get(rpc, a, "trackers").get("trackers");
            assertThat(trackers.valueStream().map(t -> t.get("tier").asInt()).toList()).containsExactly(0, 0, 1);
            assertThat(trackers.get(0).get("scrape").asString()).isEqualTo("http://a.example/scrape");
            assertThat(trackers.get(0).get("sitename").asString()).isEqualTo("a");

            rpc.ok("torrent-set", args("ids", a, "trackerRemove", List.of(1), "trackerAdd",
                    List.of("http://d.example/announce"), "trackerReplace", List.of(0, "http://e.example/announce")));
            assertThat(get(rpc, a, "trackers").get("trackers").valueStream().map(t -> t.get("announce").asString())
                    .toList()).containsExactly("http://e.example/announce", "udp://c.example:80/announce",
                    "http://d.example/announce");
            assertThat(rpc.call("torrent-set", args("ids", a, "trackerAdd", List.of("ftp://nope")))
                    .get("result").asString()).isNotEqualTo("success");
        }
    }

    private static String setLocation(RpcFixture rpc, Map<String, Object> arguments) throws Exception {
        return rpc.call("torrent-set-location", arguments).get("result").asString();
    }

    private static String rename(RpcFixture rpc, Map<String, Object> arguments) throws Exception {
        return rpc.call("torrent-rename-path", arguments).get("result").asString();
    }

    static JsonNode get(RpcFixture rpc, int id, String... fields) throws Exception {
        return rpc.ok("torrent-get", args("ids", id, "fields", List.of(fields))).get("torrents").get(0);
    }

    /** Waits (on the session's events, through the status) for one of {@code statuses}. */
    private static void awaitStatus(RpcFixture rpc, int id, int... statuses) throws Exception {
        var handle = rpc.daemon.torrents().byId(id).orElseThrow().handle();
        handle.checked().get(20, java.util.concurrent.TimeUnit.SECONDS);
        int status = get(rpc, id, "status").get("status").asInt();
        assertThat(statuses).contains(status);
    }
}
