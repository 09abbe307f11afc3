package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.session.SeedLimits;
import dev.jtorrent.session.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.jtorrent.daemon.qbittorrent.QbtApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session's queue and share limits through the Web API, against a real session on loopback: the preferences,
 * the queue moves and {@code priority}, force start and the queued and forced states (in {@code torrents/info} and
 * {@code sync/maindata}), and {@code setShareLimits}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QbtQueueTest {
    @TempDir
    Path dir;
    QbtFixture qbt;

    @BeforeEach
    void start() throws Exception {
        qbt = new QbtFixture(dir, QbtLimits.DEFAULTS, Clock.systemUTC(), true);
        qbt.login();
    }

    @AfterEach
    void stop() throws Exception {
        qbt.close();
    }

    @Test
    void preferencesReadAndSetTheSessionsQueuesStalledRuleAndShareLimits() throws Exception {
        List<String> keys = List.of("queueing_enabled", "max_active_downloads", "max_active_uploads",
                "max_active_torrents", "dont_count_slow_torrents", "slow_torrent_inactive_timer", "max_ratio_enabled",
                "max_ratio", "max_ratio_act", "max_inactive_seeding_time_enabled", "max_inactive_seeding_time",
                "max_seeding_time_enabled", "max_seeding_time");
        assertThat(preferences(keys)).as("the session's defaults, Transmission's: no seed queue")
                .containsExactly("true", "5", "-1", "-1", "true", "1800", "false", "-1", "0", "false", "-1",
                        "false", "-1");

        setPreferences("{\"queueing_enabled\":true,\"max_active_downloads\":3,\"max_active_uploads\":2,"
                + "\"dont_count_slow_torrents\":false,\"slow_torrent_inactive_timer\":120,\"max_ratio_enabled\":true,"
                + "\"max_ratio\":1.5,\"max_inactive_seeding_time_enabled\":true,\"max_inactive_seeding_time\":20,"
                + "\"max_seeding_time_enabled\":true,\"max_seeding_time\":60,\"max_active_torrents\":9}");
        Session session = qbt.session;
        assertThat(List.of(session.downloadQueueEnabled(), session.seedQueueEnabled(), session.queueStalledEnabled(),
                session.seedRatioLimited(), session.seedIdleLimited())).containsExactly(true, true, false, true, true);
        assertThat(List.of(session.downloadQueueSize(), session.seedQueueSize())).containsExactly(3, 2);
        assertThat(List.of(session.queueStalledAfter(), session.seedIdleLimit()))
                .containsExactly(Duration.ofMinutes(2), Duration.ofMinutes(20));
        assertThat(preferences(keys)).as("no total limit and no seeding time limit: ignored")
                .containsExactly("true", "3", "2", "-1", "false", "120", "true", "1.5", "0", "true", "20", "false",
                        "-1");

        JsonNode full = json(qbt.get("sync/maindata"));
        assertThat(full.get("server_state").get("queueing").asBoolean()).isTrue();
        setPreferences("{\"queueing_enabled\":false}");
        assertThat(preferences(keys.subList(0, 3))).as("off, the sizes kept").containsExactly("false", "3", "2");
        JsonNode changed = json(qbt.get("sync/maindata?rid=" + full.get("rid").asLong()));
        assertThat(changed.get("server_state").get("queueing").asBoolean()).as("what the web UI shows by").isFalse();
        assertThat(List.of(session.downloadQueueEnabled(), session.seedQueueEnabled())).containsExactly(false, false);
        setPreferences("{\"max_active_uploads\":-1,\"queueing_enabled\":true}");
        assertThat(List.of(session.downloadQueueEnabled(), session.seedQueueEnabled())).containsExactly(true, false);
        assertThat(preferences(keys.subList(0, 3))).containsExactly("true", "3", "-1");

        setPreferences("{\"max_ratio_enabled\":true,\"max_ratio\":-1,\"max_inactive_seeding_time_enabled\":false,"
                + "\"slow_torrent_inactive_timer\":0,\"max_active_downloads\":5000000000}");
        assertThat(List.of(session.seedRatioLimited(), session.seedIdleLimited())).containsExactly(false, false);
        assertThat(session.queueStalledAfter()).as("1 s at least").isEqualTo(Duration.ofSeconds(1));
        assertThat(session.downloadQueueSize()).isEqualTo(Integer.MAX_VALUE);

        for (String bad : List.of("{\"queueing_enabled\":\"yes\"}", "{\"max_ratio\":\"x\"}",
                "{\"max_active_downloads\":1.5}")) {
            assertThat(qbt.post("app/setPreferences", Map.of("json", bad)).statusCode()).as(bad).isEqualTo(400);
        }
    }

    @Test
    void queueMovesNeedQueueingGoByQbittorrentsOrderAndLeaveSeedsAlone() throws Exception {
        List<DaemonTorrent> torrents = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d")) {
            torrents.add(addPaused(name));
        }
        DaemonTorrent a = torrents.get(0);
        DaemonTorrent b = torrents.get(1);
        DaemonTorrent c = torrents.get(2);
        DaemonTorrent d = torrents.get(3);
        assertThat(priorities(a, b, c, d)).containsExactly(1L, 2L, 3L, 4L);

        move("topPrio", c, d);
        assertThat(priorities(c, d, a, b)).as("to the top in their order").containsExactly(1L, 2L, 3L, 4L);
        move("increasePrio", a);
        assertThat(priorities(c, a, d, b)).containsExactly(1L, 2L, 3L, 4L);
        move("decreasePrio", c);
        assertThat(priorities(a, c, d, b)).containsExactly(1L, 2L, 3L, 4L);
        move("bottomPrio", a, c);
        assertThat(priorities(d, b, a, c)).as("to the bottom in their order").containsExactly(1L, 2L, 3L, 4L);
        move("increasePrio", d);
        assertThat(priorities(d)).as("nothing above the top").containsExactly(1L);

        DaemonTorrent seed = addSeed("s");
        assertThat(priorities(seed)).as("a seed has no priority").containsExactly(0L);
        move("topPrio", seed);
        assertThat(seed.handle().queuePosition()).as("nor moves").isEqualTo(4);

        setPreferences("{\"queueing_enabled\":false}");
        for (String queue : List.of("topPrio", "bottomPrio", "increasePrio", "decreasePrio")) {
            HttpResponse<String> answer = qbt.post("torrents/" + queue, Map.of("hashes", hash(a)));
            assertThat(answer.statusCode()).as(queue).isEqualTo(409);
            assertThat(answer.body()).isEqualTo(TorrentActions.NO_QUEUE);
        }
        setPreferences("{\"queueing_enabled\":true,\"max_active_downloads\":-1}");
        assertThat(qbt.post("torrents/topPrio", Map.of("hashes", hash(a))).statusCode())
                .as("queueing on, with the seed queue alone").isEqualTo(200);
        assertThat(qbt.post("torrents/topPrio", Map.of()).statusCode()).isEqualTo(400);
    }

    @Test
    void forceStartAndTheQueuedAndForcedStatesShowInInfoAndMainData() throws Exception {
        setPreferences("{\"max_active_downloads\":1,\"max_active_uploads\":0,\"queueing_enabled\":true}");
        DaemonTorrent a = addPaused("a");
        DaemonTorrent b = addPaused("b");
        qbt.post("torrents/resume", Map.of("hashes", hash(a)));
        awaitState(a, "stalledDL");
        qbt.post("torrents/resume", Map.of("hashes", hash(b)));
        awaitState(b, "queuedDL");
        long rid = json(qbt.get("sync/maindata")).get("rid").asLong();

        qbt.post("torrents/setForceStart", Map.of("hashes", hash(b), "value", "true"));
        awaitState(b, "forcedDL");
        assertThat(row(b).get("force_start").asBoolean()).isTrue();
        JsonNode changed = json(qbt.get("sync/maindata?rid=" + rid)).get("torrents").get(hash(b));
        assertThat(changed.get("state").asString()).isEqualTo("forcedDL");
        assertThat(changed.get("force_start").asBoolean()).isTrue();

        qbt.post("torrents/setForceStart", Map.of("hashes", hash(b), "value", "false"));
        awaitState(b, "stalledDL");
        assertThat(row(b).get("force_start").asBoolean()).as("taken back, it keeps running").isFalse();
        qbt.post("torrents/pause", Map.of("hashes", hash(b)));
        qbt.post("torrents/setForceStart", Map.of("hashes", hash(b), "value", "false"));
        awaitState(b, "queuedDL");

        DaemonTorrent seed = addSeed("s");
        awaitState(seed, "queuedUP");
        qbt.post("torrents/setForceStart", Map.of("hashes", hash(seed), "value", "true"));
        awaitState(seed, "forcedUP");
        assertThat(json(qbt.get("torrents/info?filter=seeding")).size()).isEqualTo(1);

        String magnet = "0123456789abcdef0123456789abcdef01234567";
        assertThat(qbt.post("torrents/add", Map.of("urls", "magnet:?xt=urn:btih:" + magnet)).body())
                .isEqualTo("Ok.");
        qbt.post("torrents/setForceStart", Map.of("hashes", magnet, "value", "true"));
        awaitState(qbt.table.all().getLast(), "forcedMetaDL");
    }

    @Test
    void setShareLimitsSetsEachTorrentsRatioAndInactiveLimitsAndRefusesASeedingTime() throws Exception {
        DaemonTorrent t = addPaused("t");
        assertThat(shareFields(t)).as("the global ones, off")
                .containsExactly("-2", "-1", "-2", "-1", "-2", "-1");

        assertThat(shareLimits(t, "1.25", "-2", "30").statusCode()).isEqualTo(200);
        assertThat(shareFields(t)).containsExactly("1.25", "1.25", "30", "30", "-2", "-1");
        assertThat(t.handle().seedLimits()).isEqualTo(new SeedLimits(SeedLimits.Mode.OWN, 1.25, SeedLimits.Mode.OWN,
                Duration.ofMinutes(30)));

        qbt.session.setSeedRatioLimited(true);
        shareLimits(t, "-2", "-1", "-1");
        assertThat(shareFields(t)).as("the global ratio, none inactive")
                .containsExactly("-2", "2", "-1", "-1", "-2", "-1");
        assertThat(qbt.post("torrents/setShareLimits", Map.of("hashes", hash(t), "ratioLimit", "-5",
                "seedingTimeLimit", "-2")).statusCode()).as("4.5's call, without the inactive limit").isEqualTo(200);
        assertThat(shareFields(t)).containsExactly("-1", "-1", "-2", "-1", "-2", "-1");

        shareLimits(t, "100000", "-2", "0");
        assertThat(shareFields(t).subList(0, 3)).as("within qBittorrent's bounds").containsExactly("9999", "9999",
                "1");
        shareLimits(t, "1", "-2", "1000000000");
        assertThat(shareFields(t).get(2)).isEqualTo(String.valueOf(ShareLimits.MAX_MINUTES));

        SeedLimits before = t.handle().seedLimits();
        HttpResponse<String> seedingTime = shareLimits(t, "3", "60", "5");
        assertThat(seedingTime.statusCode()).isEqualTo(409);
        assertThat(seedingTime.body()).isEqualTo(ShareLimits.NO_SEEDING_TIME);
        assertThat(shareLimits(t, "x", "-2", "-2").statusCode()).isEqualTo(400);
        assertThat(shareLimits(t, "NaN", "-2", "-2").statusCode()).isEqualTo(400);
        assertThat(qbt.post("torrents/setShareLimits", Map.of("hashes", hash(t), "ratioLimit", "1")).statusCode())
                .isEqualTo(400);
        assertThat(t.handle().seedLimits()).as("nothing changed by a refusal").isEqualTo(before);

        DaemonTorrent seed = addSeed("s");
        awaitState(seed, "stalledUP");
        shareLimits(seed, "0", "-2", "-2");
        awaitState(seed, "pausedUP");
    }

    private HttpResponse<String> shareLimits(DaemonTorrent torrent, String ratio, String seedingTime,
                                             String inactive) throws Exception {
        return qbt.post("torrents/setShareLimits", Map.of("hashes", hash(torrent), "ratioLimit", ratio,
                "seedingTimeLimit", seedingTime, "inactiveSeedingTimeLimit", inactive));
    }

    private List<String> shareFields(DaemonTorrent torrent) throws Exception {
        JsonNode row = row(torrent);
        return List.of("ratio_limit", "max_ratio", "inactive_seeding_time_limit", "max_inactive_seeding_time",
                "seeding_time_limit", "max_seeding_time").stream().map(key -> row.get(key).asString()).toList();
    }

    private void setPreferences(String json) throws Exception {
        assertThat(qbt.post("app/setPreferences", Map.of("json", json)).statusCode()).as(json).isEqualTo(200);
    }

    private List<String> preferences(List<String> keys) throws Exception {
        JsonNode preferences = json(qbt.get("app/preferences"));
        return keys.stream().map(key -> preferences.get(key).asString()).toList();
    }

    private void move(String endpoint, DaemonTorrent... torrents) throws Exception {
        List<String> hashes = new ArrayList<>();
        for (DaemonTorrent torrent : torrents) {
            hashes.add(hash(torrent));
        }
        assertThat(qbt.post("torrents/" + endpoint, Map.of("hashes", String.join("|", hashes))).statusCode())
                .isEqualTo(200);
    }

    private List<Long> priorities(DaemonTorrent... torrents) throws Exception {
        List<Long> priorities = new ArrayList<>();
        for (DaemonTorrent torrent : torrents) {
            priorities.add(row(torrent).get("priority").asLong());
        }
        return priorities;
    }

    private JsonNode row(DaemonTorrent torrent) throws Exception {
        return json(qbt.get("torrents/info?hashes=" + hash(torrent))).get(0);
    }

    private static String hash(DaemonTorrent torrent) {
        return torrent.infoHash().hex();
    }

    /** Adds a paused torrent whose data is absent: a download once resumed. */
    private DaemonTorrent addPaused(String name) throws Exception {
        assertThat(qbt.upload(Map.of("paused", "true"), Map.of(name + ".torrent", qbt.metainfo(name, 1000))).body())
                .isEqualTo("Ok.");
        return qbt.table.all().getLast();
    }

    /** Adds a torrent over its data (the fixture writes it under content/): a seed once checked. */
    private DaemonTorrent addSeed(String name) throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("savepath", dir.resolve("content").toString());
        assertThat(qbt.upload(fields, Map.of(name + ".torrent", qbt.metainfo(name, 1000))).body()).isEqualTo("Ok.");
        DaemonTorrent seed = qbt.table.all().getLast();
        seed.handle().checked().get(20, TimeUnit.SECONDS);
        return seed;
    }

    private void awaitState(DaemonTorrent torrent, String state) throws Exception {
        QbtApiTest.Await.until(() -> {
            try {
                return row(torrent).get("state").asString().equals(state);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }
}
