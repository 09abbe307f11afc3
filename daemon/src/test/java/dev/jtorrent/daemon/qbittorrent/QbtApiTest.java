package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.session.FilePriority;
import dev.jtorrent.session.TorrentState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Web API over HTTP on loopback, as a client sees it. */
class QbtApiTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;
    QbtFixture qbt;

    @BeforeEach
    void start() throws Exception {
        qbt = new QbtFixture(dir, QbtLimits.DEFAULTS, Clock.systemUTC(), true);
    }

    @AfterEach
    void stop() throws Exception {
        qbt.close();
    }

    static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        return JSON.readTree(response.body());
    }

    /** Adds a paused torrent of one file by upload, and returns it. */
    DaemonTorrent addPaused(String name, int size, Map<String, String> fields) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("paused", "true");
        HttpResponse<String> added = qbt.upload(all, Map.of(name + ".torrent", qbt.metainfo(name, size)));
        assertThat(added.body()).isEqualTo("Ok.");
        return qbt.table.all().getLast();
    }

    @Test
    void loginGivesAStrictHttpOnlyCookieAndLogoutEndsTheSession() throws Exception {
        assertThat(qbt.get("app/version").statusCode()).isEqualTo(403);
        assertThat(qbt.get("app/version").body()).isEqualTo("Forbidden");

        HttpResponse<String> wrong = qbt.post("auth/login", Map.of("username", "admin", "password", "nope"));
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).isEqualTo("Fails.");
        assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();

        HttpResponse<String> login = qbt.login();
        assertThat(login.body()).isEqualTo("Ok.");
        assertThat(login.headers().firstValue("content-type")).contains("text/plain; charset=UTF-8");
        assertThat(login.headers().firstValue("set-cookie").orElseThrow())
                .matches("SID=[A-Za-z0-9_-]{32}; HttpOnly; path=/; SameSite=Strict");
        assertThat(qbt.get("app/version").body()).isEqualTo("v4.6.7");
        assertThat(qbt.get("app/webapiVersion").body()).isEqualTo("2.9.3");

        String sid = qbt.sid;
        assertThat(qbt.post("auth/logout", Map.of()).statusCode()).isEqualTo(200);
        assertThat(qbt.sid).isNull();
        qbt.sid = sid; // a client that kept the old cookie
        assertThat(qbt.get("app/version").statusCode()).isEqualTo(403);
    }

    @Test
    void fiveFailedLoginsBanTheClientEvenFromTheRightPassword() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertThat(qbt.post("auth/login", Map.of("username", "admin", "password", "x" + i)).body())
                    .isEqualTo("Fails.");
        }
        assertThat(qbt.post("auth/login", Map.of("username", "admin", "password", "x4")).body())
                .isEqualTo("Fails.");
        HttpResponse<String> banned = qbt.login();
        assertThat(banned.statusCode()).isEqualTo(403);
        assertThat(banned.body()).isEqualTo(AuthEndpoints.BANNED);
        assertThat(qbt.sid).isNull();
    }

    @Test
    void aSuccessForgetsEarlierFailures() throws Exception {
        for (int i = 0; i < 4; i++) {
            qbt.post("auth/login", Map.of("username", "admin", "password", "x"));
        }
        assertThat(qbt.login().body()).isEqualTo("Ok.");
        qbt.post("auth/logout", Map.of());
        for (int i = 0; i < 4; i++) {
            qbt.post("auth/login", Map.of("username", "admin", "password", "x"));
        }
        assertThat(qbt.login().body()).isEqualTo("Ok.");
    }

    @Test
    void anOriginOrRefererOfAnotherHostOrPortIsUnauthorized() throws Exception {
        qbt.login();
        String self = "http://127.0.0.1:" + qbt.port();
        HttpResponse<String> sameOrigin = qbt.send(HttpRequest.newBuilder(qbt.uri("app/version"))
                .header("Origin", self));
        assertThat(sameOrigin.statusCode()).isEqualTo(200);
        HttpResponse<String> otherOrigin = qbt.send(HttpRequest.newBuilder(qbt.uri("app/version"))
                .header("Origin", "http://evil.example:" + qbt.port()));
        assertThat(otherOrigin.statusCode()).isEqualTo(401);
        assertThat(otherOrigin.body()).isEqualTo("Unauthorized");
        HttpResponse<String> otherPort = qbt.send(HttpRequest.newBuilder(qbt.uri("app/version"))
                .header("Referer", "http://127.0.0.1:1/page"));
        assertThat(otherPort.statusCode()).isEqualTo(401);
        HttpResponse<String> sameReferer = qbt.send(HttpRequest.newBuilder(qbt.uri("app/version"))
                .header("Referer", self + "/index.html"));
        assertThat(sameReferer.statusCode()).isEqualTo(200);
        // A cross-site login is refused before the password is looked at.
        qbt.sid = null;
        HttpResponse<String> login = qbt.send(HttpRequest.newBuilder(qbt.uri("auth/login"))
                .header("Origin", "http://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(QbtFixture.form(Map.of("username", QbtFixture.USER,
                        "password", QbtFixture.PASSWORD)))));
        assertThat(login.statusCode()).isEqualTo(401);
        assertThat(qbt.sid).isNull();
    }

    @Test
    void anUnknownHostIsUnauthorizedAgainstDnsRebinding() throws Exception {
        qbt.login();
        // The JDK's client sets Host from the URI; "localhost" is allowed, an attacker's name is not.
        java.net.URI byName = java.net.URI.create("http://localhost:" + qbt.port() + "/api/v2/app/version");
        assertThat(qbt.send(HttpRequest.newBuilder(byName)).statusCode()).isEqualTo(200);
        assertThat(QbtApi.hostName("evil.example:8080")).isEqualTo("evil.example");
        assertThat(QbtApi.hostName("[::1]:8080")).isEqualTo("::1");
    }

    @Test
    void actionsArePostOnlyAndUnknownEndpointsAreNotFound() throws Exception {
        qbt.login();
        HttpResponse<String> get = qbt.get("torrents/pause?hashes=all");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.body()).isEqualTo("Method Not Allowed");
        assertThat(qbt.get("torrents/nosuch").statusCode()).isEqualTo(404);
        assertThat(qbt.get("nosuch").statusCode()).isEqualTo(404);
        assertThat(qbt.get("auth/logout").statusCode()).isEqualTo(405);
        assertThat(qbt.post("app/version", Map.of()).body()).isEqualTo("v4.6.7");
    }

    @Test
    void preferencesAreTheSessionsAndSetPreferencesChangesItsLimits() throws Exception {
        qbt.login();
        JsonNode preferences = json(qbt.get("app/preferences"));
        assertThat(preferences.get("save_path").asString()).isEqualTo(dir.resolve("downloads").toString());
        assertThat(preferences.get("listen_port").asLong()).isEqualTo(qbt.session.port());
        assertThat(preferences.get("dht").asBoolean()).isFalse();
        assertThat(preferences.get("queueing_enabled").asBoolean()).isTrue();
        assertThat(preferences.get("max_ratio_enabled").asBoolean()).isFalse();
        assertThat(preferences.get("web_ui_port").asLong()).isEqualTo(qbt.port());

        assertThat(qbt.post("app/setPreferences", Map.of("json", "{\"dl_limit\":50000,\"up_limit\":20000,"
                + "\"max_connec\":77,\"locale\":\"fr\",\"nested\":{\"a\":[1,2]}}")).statusCode()).isEqualTo(200);
        assertThat(qbt.session.downloadLimit()).isEqualTo(50_000);
        assertThat(qbt.session.uploadLimit()).isEqualTo(20_000);
        assertThat(qbt.session.maxConnections()).isEqualTo(77);
        assertThat(json(qbt.get("app/preferences")).get("dl_limit").asLong()).isEqualTo(50_000);
        assertThat(qbt.post("app/setPreferences", Map.of("json", "{not json")).statusCode()).isEqualTo(400);
        assertThat(qbt.post("app/setPreferences", Map.of("json", "{\"dl_limit\":\"x\"}")).statusCode())
                .isEqualTo(400);
        assertThat(qbt.post("app/setPreferences", Map.of()).statusCode()).isEqualTo(400);
    }

    @Test
    void addsByFileWithCategoryTagsAndPausedThenListsIt() throws Exception {
        qbt.login();
        DaemonTorrent torrent = addPaused("a.bin", 40_000, Map.of("category", "tv", "tags", "x, y,,",
                "sequentialDownload", "true", "dlLimit", "1000"));
        assertThat(torrent.category()).isEqualTo("tv");
        assertThat(torrent.labels()).containsExactly("x", "y");
        assertThat(torrent.handle().sequential()).isTrue();
        assertThat(torrent.handle().downloadLimit()).isEqualTo(1000);
        assertThat(torrent.handle().status().state()).isInstanceOf(TorrentState.Paused.class);
        assertThat(json(qbt.get("torrents/categories")).get("tv").get("savePath").asString()).isEmpty();
        assertThat(qbt.get("torrents/tags").body()).isEqualTo("[\"x\",\"y\"]");

        JsonNode info = json(qbt.get("torrents/info"));
        assertThat(info.size()).isEqualTo(1);
        JsonNode row = info.get(0);
        String hash = torrent.infoHash().hex();
        assertThat(row.get("hash").asString()).isEqualTo(hash);
        assertThat(row.get("name").asString()).isEqualTo("a.bin");
        assertThat(row.get("state").asString()).isEqualTo("pausedDL");
        assertThat(row.get("size").asLong()).isEqualTo(40_000);
        assertThat(row.get("amount_left").asLong()).isEqualTo(40_000);
        assertThat(row.get("category").asString()).isEqualTo("tv");
        assertThat(row.get("tags").asString()).isEqualTo("x, y");
        assertThat(row.get("save_path").asString()).isEqualTo(dir.resolve("downloads").toString());
        assertThat(row.get("seq_dl").asBoolean()).isTrue();
        assertThat(row.get("dl_limit").asLong()).isEqualTo(1000);
        assertThat(row.get("eta").asLong()).isEqualTo(TorrentRow.MAX_ETA);
        assertThat(row.get("magnet_uri").asString()).startsWith("magnet:?xt=urn:btih:" + hash + "&dn=a.bin&tr=");
        assertThat(row.get("trackers_count").asLong()).isEqualTo(1);
        assertThat(row.get("added_on").asLong()).isEqualTo(torrent.addedAt().getEpochSecond());
        assertThat(row.size()).isEqualTo(TorrentRow.FIELDS.size());

        // The same torrent again is a duplicate: nothing added, "Fails."
        HttpResponse<String> again = qbt.upload(Map.of(), Map.of("a.torrent", qbt.metainfo("a.bin", 40_000)));
        assertThat(again.body()).isEqualTo("Fails.");
        assertThat(qbt.table.size()).isEqualTo(1);
    }

    @Test
    void aFileThatIsNoTorrentIsUnsupportedMediaType() throws Exception {
        qbt.login();
        HttpResponse<String> bad = qbt.upload(Map.of(), Map.of("notes.txt", "hello".getBytes()));
        assertThat(bad.statusCode()).isEqualTo(415);
        assertThat(bad.body()).isEqualTo("Error: 'notes.txt' is not a valid torrent file.");
        assertThat(qbt.table.size()).isZero();
    }

    @Test
    void addsMagnetLinksAndBareHashesFromUrls() throws Exception {
        qbt.login();
        String hash = "0123456789abcdef0123456789abcdef01234567";
        HttpResponse<String> added = qbt.post("torrents/add", Map.of("urls",
                "magnet:?xt=urn:btih:" + hash + "&dn=linked\n  \nABCDEF0123456789ABCDEF0123456789ABCDEF01\nftp://x/y",
                "stopped", "true"));
        assertThat(added.body()).isEqualTo("Ok.");
        assertThat(qbt.table.size()).isEqualTo(2);
        JsonNode row = json(qbt.get("torrents/info?hashes=" + hash)).get(0);
        assertThat(row.get("name").asString()).isEqualTo("linked");
        assertThat(row.get("state").asString()).isIn("metaDL", "pausedDL");
        assertThat(qbt.post("torrents/add", Map.of("urls", "not a link")).body()).isEqualTo("Fails.");
    }

    @Test
    void aSavePathMustBeAbsoluteAndCannotClimbOut() throws Exception {
        qbt.login();
        byte[] metainfo = qbt.metainfo("p.bin", 1000);
        for (String path : List.of("relative/dir", dir + "/downloads/../../etc")) {
            HttpResponse<String> refused = qbt.upload(Map.of("savepath", path), Map.of("p.torrent", metainfo));
            assertThat(refused.statusCode()).as(path).isEqualTo(400);
        }
        assertThat(qbt.table.size()).isZero();
        Path elsewhere = dir.resolve("elsewhere");
        assertThat(qbt.upload(Map.of("savepath", elsewhere.toString(), "paused", "true"),
                Map.of("p.torrent", metainfo)).body()).isEqualTo("Ok.");
        assertThat(qbt.table.all().getFirst().handle().directory()).isEqualTo(elsewhere);
        assertThat(qbt.post("torrents/createCategory", Map.of("category", "c", "savePath", "../x")).statusCode())
                .isEqualTo(400);
        assertThat(qbt.post("torrents/setLocation", Map.of("hashes", "all", "location", "x/y")).statusCode())
                .isEqualTo(400);
        assertThat(qbt.post("torrents/setLocation", Map.of("hashes", "all", "location", " ")).body())
                .isEqualTo("Save path cannot be empty");
    }

    @Test
    void infoFiltersSortsAndPages() throws Exception {
        qbt.login();
        DaemonTorrent small = addPaused("small", 1000, Map.of("category", "a", "tags", "t1"));
        DaemonTorrent large = addPaused("large", 50_000, Map.of("category", "b"));
        DaemonTorrent middle = addPaused("middle", 20_000, Map.of());

        assertThat(names(qbt.get("torrents/info?sort=size"))).containsExactly("small", "middle", "large");
        assertThat(names(qbt.get("torrents/info?sort=size&reverse=true"))).containsExactly("large", "middle",
                "small");
        assertThat(names(qbt.get("torrents/info?sort=name&limit=2"))).containsExactly("large", "middle");
        assertThat(names(qbt.get("torrents/info?sort=name&limit=1&offset=-1"))).containsExactly("small");
        assertThat(names(qbt.get("torrents/info?sort=name&offset=7"))).containsExactly("large", "middle", "small");
        assertThat(names(qbt.get("torrents/info?sort=name&offset=-99999999999&limit=99999999999")))
                .containsExactly("large", "middle", "small");
        assertThat(names(qbt.get("torrents/info?category=a"))).containsExactly("small");
        assertThat(names(qbt.get("torrents/info?category="))).containsExactly("middle");
        assertThat(names(qbt.get("torrents/info?tag=t1"))).containsExactly("small");
        assertThat(names(qbt.get("torrents/info?tag="))).containsExactly("large", "middle");
        assertThat(names(qbt.get("torrents/info?hashes=" + small.infoHash().hex().toUpperCase() + "%7C"
                + large.infoHash().hex()))).containsExactly("small", "large");
        assertThat(names(qbt.get("torrents/info?filter=paused"))).hasSize(3);
        assertThat(names(qbt.get("torrents/info?filter=stopped"))).hasSize(3);
        assertThat(names(qbt.get("torrents/info?filter=downloading"))).hasSize(3);
        assertThat(names(qbt.get("torrents/info?filter=inactive"))).hasSize(3);
        for (String empty : List.of("seeding", "completed", "resumed", "running", "active", "stalled",
                "stalled_uploading", "stalled_downloading", "errored", "checking", "moving")) {
            assertThat(names(qbt.get("torrents/info?filter=" + empty))).as(empty).isEmpty();
        }
        HttpResponse<String> badSort = qbt.get("torrents/info?sort=nosuchfield");
        assertThat(badSort.statusCode()).isEqualTo(400);
        assertThat(badSort.body()).isEqualTo("'sort' parameter is invalid");
        assertThat(middle.category()).isEmpty();
    }

    static List<String> names(HttpResponse<String> response) {
        JsonNode rows = json(response);
        List<String> names = new java.util.ArrayList<>();
        rows.forEach(row -> names.add(row.get("name").asString()));
        return names;
    }

    @Test
    void propertiesFilesAndTrackersOfATorrentAndTheirErrors() throws Exception {
        qbt.login();
        DaemonTorrent torrent = addPaused("f.bin", 40_000, Map.of());
        String hash = torrent.infoHash().hex();

        JsonNode properties = json(qbt.get("torrents/properties?hash=" + hash));
        assertThat(properties.get("hash").asString()).isEqualTo(hash);
        assertThat(properties.get("pieces_num").asLong()).isEqualTo(3);
        assertThat(properties.get("piece_size").asLong()).isEqualTo(16_384);
        assertThat(properties.get("total_size").asLong()).isEqualTo(40_000);
        assertThat(properties.get("dl_limit").asLong()).isEqualTo(-1);
        assertThat(properties.get("save_path").asString()).isEqualTo(dir.resolve("downloads").toString());

        JsonNode files = json(qbt.get("torrents/files?hash=" + hash.toUpperCase()));
        assertThat(files.size()).isEqualTo(1);
        assertThat(files.get(0).get("name").asString()).isEqualTo("f.bin");
        assertThat(files.get(0).get("size").asLong()).isEqualTo(40_000);
        assertThat(files.get(0).get("priority").asLong()).isEqualTo(1);
        assertThat(files.get(0).get("piece_range").toString()).isEqualTo("[0,2]");
        assertThat(files.get(0).get("is_seed").asBoolean()).isFalse();
        assertThat(json(qbt.get("torrents/files?hash=" + hash + "&indexes=0")).size()).isEqualTo(1);
        assertThat(qbt.get("torrents/files?hash=" + hash + "&indexes=1").statusCode()).isEqualTo(409);
        assertThat(qbt.get("torrents/files?hash=" + hash + "&indexes=x").body())
                .isEqualTo("\"x\" is not a valid file index.");

        JsonNode trackers = json(qbt.get("torrents/trackers?hash=" + hash));
        assertThat(trackers.size()).isEqualTo(4);
        assertThat(trackers.get(0).get("url").asString()).isEqualTo("** [DHT] **");
        assertThat(trackers.get(3).get("url").asString()).isEqualTo("http://127.0.0.1:1/announce");
        assertThat(trackers.get(3).get("tier").asLong()).isZero();

        for (String endpoint : List.of("properties", "files", "trackers")) {
            HttpResponse<String> unknown = qbt.get("torrents/" + endpoint + "?hash=" + "0".repeat(40));
            assertThat(unknown.statusCode()).as(endpoint).isEqualTo(404);
            assertThat(unknown.body()).isEqualTo("Not Found");
            assertThat(qbt.get("torrents/" + endpoint).statusCode()).as(endpoint).isEqualTo(400);
            assertThat(qbt.get("torrents/" + endpoint + "?hash=zz").statusCode()).as(endpoint).isEqualTo(404);
        }
    }

    @Test
    void pausesResumesStopsStartsAndDeletesWithFiles() throws Exception {
        qbt.login();
        DaemonTorrent torrent = addPaused("d.bin", 20_000, Map.of());
        // The data is there already (the content dir is not the download dir: put it there).
        Files.copy(dir.resolve("content/d.bin"), dir.resolve("downloads/d.bin"));
        String hash = torrent.infoHash().hex();
        assertThat(qbt.post("torrents/resume", Map.of("hashes", hash)).statusCode()).isEqualTo(200);
        torrent.handle().checked().get();
        JsonNode seeding = json(qbt.get("torrents/info")).get(0);
        assertThat(seeding.get("state").asString()).isIn("stalledUP", "uploading");
        assertThat(seeding.get("completion_on").asLong())
                .isEqualTo(torrent.handle().times().completed().orElseThrow().getEpochSecond());
        assertThat(seeding.get("eta").asLong()).isEqualTo(TorrentRow.MAX_ETA);
        assertThat(qbt.post("torrents/pause", Map.of("hashes", "all")).statusCode()).isEqualTo(200);
        assertThat(json(qbt.get("torrents/info")).get(0).get("state").asString()).isEqualTo("pausedUP");
        assertThat(json(qbt.get("torrents/info?filter=completed")).size()).isEqualTo(1);
        qbt.post("torrents/start", Map.of("hashes", hash));
        assertThat(torrent.handle().status().state()).isNotInstanceOf(TorrentState.Paused.class);
        qbt.post("torrents/stop", Map.of("hashes", hash));
        assertThat(torrent.handle().status().state()).isInstanceOf(TorrentState.Paused.class);
        assertThat(qbt.post("torrents/pause", Map.of()).statusCode()).isEqualTo(400);

        assertThat(qbt.post("torrents/delete", Map.of("hashes", hash)).statusCode()).isEqualTo(400);
        assertThat(qbt.post("torrents/delete", Map.of("hashes", hash, "deleteFiles", "true")).statusCode())
                .isEqualTo(200);
        assertThat(qbt.table.size()).isZero();
        assertThat(dir.resolve("downloads/d.bin")).doesNotExist();
    }

    @Test
    void categoriesAndTagsFollowQbittorrentsRules() throws Exception {
        qbt.login();
        DaemonTorrent torrent = addPaused("c.bin", 1000, Map.of());
        String hash = torrent.infoHash().hex();
        Path movies = dir.resolve("movies");
        assertThat(qbt.post("torrents/createCategory", Map.of("category", "movies", "savePath", movies.toString()))
                .statusCode()).isEqualTo(200);
        assertThat(qbt.post("torrents/createCategory", Map.of("category", "movies")).body())
                .isEqualTo("Unable to create category");
        assertThat(qbt.post("torrents/createCategory", Map.of("category", "")).body())
                .isEqualTo("Category cannot be empty");
        assertThat(qbt.post("torrents/createCategory", Map.of("category", "a//b")).statusCode()).isEqualTo(409);
        assertThat(qbt.post("torrents/createCategory", Map.of("category", "a\\b")).statusCode()).isEqualTo(409);
        assertThat(qbt.post("torrents/editCategory", Map.of("category", "nope", "savePath", "")).body())
                .isEqualTo("Unable to edit category");
        assertThat(qbt.post("torrents/setCategory", Map.of("hashes", hash, "category", "nope")).body())
                .isEqualTo("Incorrect category name");
        qbt.post("torrents/setCategory", Map.of("hashes", hash, "category", "movies"));
        assertThat(torrent.category()).isEqualTo("movies");
        JsonNode categories = json(qbt.get("torrents/categories"));
        assertThat(categories.get("movies").get("savePath").asString()).isEqualTo(movies.toString());
        qbt.post("torrents/editCategory", Map.of("category", "movies", "savePath", ""));
        assertThat(qbt.categories.savePath("movies")).contains("");
        qbt.post("torrents/removeCategories", Map.of("categories", "movies\nother"));
        assertThat(torrent.category()).isEmpty();
        assertThat(qbt.categories.snapshot()).isEmpty();

        qbt.post("torrents/createTags", Map.of("tags", "unused"));
        qbt.post("torrents/addTags", Map.of("hashes", hash, "tags", "a,b"));
        assertThat(torrent.labels()).containsExactly("a", "b");
        assertThat(qbt.get("torrents/tags").body()).isEqualTo("[\"a\",\"b\",\"unused\"]");
        qbt.post("torrents/removeTags", Map.of("hashes", hash, "tags", "a"));
        assertThat(torrent.labels()).containsExactly("b");
        qbt.post("torrents/addTags", Map.of("hashes", "all", "tags", "c"));
        qbt.post("torrents/deleteTags", Map.of("tags", "c,unused"));
        assertThat(torrent.labels()).containsExactly("b");
        assertThat(qbt.get("torrents/tags").body()).isEqualTo("[\"a\",\"b\"]");
        qbt.post("torrents/removeTags", Map.of("hashes", hash));
        assertThat(torrent.labels()).isEmpty();
    }

    @Test
    void filePrioritiesLimitsAndSequentialWithTheirErrors() throws Exception {
        qbt.login();
        DaemonTorrent torrent = addPaused("p.bin", 1000, Map.of());
        String hash = torrent.infoHash().hex();
        assertThat(qbt.post("torrents/filePrio", Map.of("hash", hash, "id", "0", "priority", "0")).statusCode())
                .isEqualTo(200);
        assertThat(torrent.handle().files().getFirst().priority()).isEqualTo(FilePriority.SKIP);
        qbt.post("torrents/filePrio", Map.of("hash", hash, "id", "0", "priority", "7"));
        assertThat(torrent.handle().files().getFirst().priority()).isEqualTo(FilePriority.HIGH);
        assertThat(qbt.post("torrents/filePrio", Map.of("hash", hash, "id", "0", "priority", "x")).body())
                .isEqualTo("Priority must be an integer");
        assertThat(qbt.post("torrents/filePrio", Map.of("hash", hash, "id", "0", "priority", "3")).body())
                .isEqualTo("Priority is not valid");
        assertThat(qbt.post("torrents/filePrio", Map.of("hash", hash, "id", "1", "priority", "1")).statusCode())
                .isEqualTo(409);
        assertThat(qbt.post("torrents/filePrio", Map.of("hash", hash, "id", "z", "priority", "1")).body())
                .isEqualTo("File IDs must be integers");
        assertThat(qbt.post("torrents/filePrio", Map.of("hash", "0".repeat(40), "id", "0", "priority", "1"))
                .statusCode()).isEqualTo(404);

        qbt.post("torrents/setDownloadLimit", Map.of("hashes", hash, "limit", "4096"));
        qbt.post("torrents/setUploadLimit", Map.of("hashes", "all", "limit", "2048"));
        assertThat(torrent.handle().downloadLimit()).isEqualTo(4096);
        assertThat(torrent.handle().uploadLimit()).isEqualTo(2048);
        assertThat(qbt.post("torrents/downloadLimit", Map.of("hashes", hash)).body())
                .isEqualTo("{\"" + hash + "\":4096}");
        assertThat(qbt.post("torrents/uploadLimit", Map.of("hashes", "all")).body())
                .isEqualTo("{\"" + hash + "\":2048}");
        qbt.post("torrents/setDownloadLimit", Map.of("hashes", hash, "limit", "-1"));
        assertThat(torrent.handle().downloadLimit()).isZero();
        assertThat(qbt.post("torrents/setUploadLimit", Map.of("hashes", hash)).statusCode()).isEqualTo(400);

        qbt.post("torrents/toggleSequentialDownload", Map.of("hashes", hash));
        assertThat(torrent.handle().sequential()).isTrue();
    }

    @Test
    void whatTheSessionCannotDoIsAConflictNotASilentSuccess() throws Exception {
        qbt.login();
        DaemonTorrent torrent = addPaused("q.bin", 1000, Map.of());
        String hash = torrent.infoHash().hex();
        assertThat(qbt.post("torrents/setShareLimits", Map.of("hashes", hash, "ratioLimit", "2",
                "seedingTimeLimit", "60", "inactiveSeedingTimeLimit", "-2")).statusCode()).isEqualTo(409);
        assertThat(qbt.post("torrents/setShareLimits", Map.of("hashes", hash)).statusCode()).isEqualTo(400);
        assertThat(qbt.post("torrents/reannounce", Map.of("hashes", hash)).statusCode()).isEqualTo(200);
        assertThat(qbt.post("torrents/rename", Map.of("hash", hash, "name", "n")).statusCode()).isEqualTo(409);
        qbt.post("torrents/recheck", Map.of("hashes", hash));
    }

    @Test
    void editsTrackersAndRenamesFilesWithQbittorrentsAnswers() throws Exception {
        qbt.login();
        DaemonTorrent torrent = addPaused("t.bin", 1000, Map.of());
        String hash = torrent.infoHash().hex();
        String first = "http://127.0.0.1:1/announce";
        qbt.post("torrents/addTrackers", Map.of("hash", hash, "urls", "udp://127.0.0.1:2\nnot a tracker\n\n"));
        assertThat(trackerUrls(hash)).containsExactly(first, "udp://127.0.0.1:2");
        assertThat(qbt.post("torrents/editTracker", Map.of("hash", hash, "origUrl", first, "newUrl",
                "udp://127.0.0.1:2")).body()).isEqualTo("New tracker URL already exists");
        assertThat(qbt.post("torrents/editTracker", Map.of("hash", hash, "origUrl", "http://nope/announce",
                "newUrl", "http://127.0.0.1:3/announce")).body()).isEqualTo("Tracker not found");
        assertThat(qbt.post("torrents/editTracker", Map.of("hash", hash, "origUrl", first, "newUrl",
                "ftp://x")).statusCode()).isEqualTo(400);
        qbt.post("torrents/editTracker", Map.of("hash", hash, "origUrl", first,
                "newUrl", "http://127.0.0.1:3/announce"));
        assertThat(trackerUrls(hash)).containsExactly("http://127.0.0.1:3/announce", "udp://127.0.0.1:2");
        qbt.post("torrents/removeTrackers", Map.of("hash", hash, "urls", "udp://127.0.0.1:2|http://nope"));
        assertThat(trackerUrls(hash)).containsExactly("http://127.0.0.1:3/announce");
        assertThat(qbt.post("torrents/addTrackers", Map.of("hash", "0".repeat(40), "urls", "http://a/b"))
                .statusCode()).isEqualTo(404);

        assertThat(qbt.post("torrents/renameFile", Map.of("hash", hash, "oldPath", "t.bin", "newPath",
                "sub/t.bin")).statusCode()).isEqualTo(409);
        assertThat(qbt.post("torrents/renameFile", Map.of("hash", hash, "oldPath", "nope", "newPath", "x"))
                .statusCode()).isEqualTo(409);
        assertThat(qbt.post("torrents/renameFile", Map.of("hash", hash, "oldPath", "t.bin", "newPath",
                "renamed.bin")).statusCode()).isEqualTo(200);
        Await.until(() -> torrent.handle().files().getFirst().path().equals("renamed.bin"));
        assertThat(json(qbt.get("torrents/files?hash=" + hash)).get(0).get("name").asString())
                .isEqualTo("renamed.bin");
    }

    /** Polls a condition the test cannot be told of, every 10 ms, for 10 s at most. */
    static final class Await {
        static void until(java.util.function.BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!condition.getAsBoolean()) {
                assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
                Thread.sleep(10);
            }
        }
    }

    List<String> trackerUrls(String hash) throws Exception {
        List<String> urls = new java.util.ArrayList<>();
        json(qbt.get("torrents/trackers?hash=" + hash)).forEach(row -> {
            if (row.get("tier").asLong() >= 0) {
                urls.add(row.get("url").asString());
            }
        });
        return urls;
    }

    @Test
    void transferInfoSumsTheSession() throws Exception {
        qbt.login();
        qbt.session.setDownloadLimit(12_345);
        JsonNode info = json(qbt.get("transfer/info"));
        assertThat(info.get("dl_rate_limit").asLong()).isEqualTo(12_345);
        assertThat(info.get("dl_info_data").asLong()).isZero();
        assertThat(info.get("connection_status").asString()).isEqualTo("connected");
        assertThat(info.size()).isEqualTo(ServerState.TRANSFER_FIELDS.size());
    }
}
