package dev.jtorrent.daemon.transmission;

import dev.jtorrent.session.Session;
import dev.jtorrent.session.TorrentHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.jtorrent.daemon.transmission.RpcFixture.args;
import static dev.jtorrent.daemon.transmission.TorrentActionsTest.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session's queue and seed limits through the RPC, against a real in-JVM daemon on loopback: the queue moves with
 * Transmission's rules for several torrents, start and start-now, the per-torrent and session seed limits, and what
 * torrent-get derives from them ({@code isStalled}, {@code isFinished}, {@code etaIdle}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueAndSeedLimitsTest {
    @TempDir
    Path dir;

    @Test
    void queueMovesOfSeveralTorrentsKeepTheirOrderAsTransmissionsDo() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            List<Integer> ids = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d", "e")) {
                ids.add(rpc.addPaused(name + ".bin", 1000));
            }
            int a = ids.get(0);
            int b = ids.get(1);
            int c = ids.get(2);
            int d = ids.get(3);
            int e = ids.get(4);
            assertThat(order(rpc)).containsExactly(a, b, c, d, e);

            rpc.ok("queue-move-up", args("ids", List.of(d, a, b)));
            assertThat(order(rpc)).as("a and b at the top stay; d moves up one").containsExactly(a, b, d, c, e);
            rpc.ok("queue-move-down", args("ids", List.of(e, d)));
            assertThat(order(rpc)).as("e at the bottom stays; d moves down one").containsExactly(a, b, c, d, e);
            rpc.ok("queue-move-top", args("ids", List.of(e, c)));
            assertThat(order(rpc)).as("to the top as a block, in their order").containsExactly(c, e, a, b, d);
            rpc.ok("queue-move-bottom", args("ids", List.of(a, c)));
            assertThat(order(rpc)).containsExactly(e, b, d, c, a);
            rpc.ok("queue-move-up", args("ids", List.of(e)));
            rpc.ok("queue-move-down", args("ids", List.of(a)));
            assertThat(order(rpc)).as("nothing past either end").containsExactly(e, b, d, c, a);

            rpc.ok("torrent-set", args("ids", a, "queuePosition", 1));
            assertThat(order(rpc)).containsExactly(e, a, b, d, c);
            rpc.ok("torrent-set", args("ids", e, "queuePosition", 99));
            rpc.ok("torrent-set", args("ids", c, "queuePosition", -5));
            assertThat(order(rpc)).as("kept within the queue").containsExactly(c, a, b, d, e);
            assertThat(rpc.daemon.torrents().byId(d).orElseThrow().handle().queuePosition()).isEqualTo(3);
        }
    }

    @Test
    void startWaitsForTheQueueStartNowForceStartsAndAStartTakesTheForceBack() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            rpc.ok("session-set", args("download-queue-enabled", true, "download-queue-size", 1));
            int a = rpc.addPaused("a.bin", 1000);
            int b = rpc.addPaused("b.bin", 1000);
            rpc.ok("torrent-start", args("ids", a));
            awaitStatus(rpc, a, TorrentView.DOWNLOAD);
            rpc.ok("torrent-start", args("ids", b));
            awaitStatus(rpc, b, TorrentView.DOWNLOAD_WAIT);
            TorrentHandle handleB = rpc.daemon.torrents().byId(b).orElseThrow().handle();

            rpc.ok("torrent-start-now", args("ids", b));
            awaitStatus(rpc, b, TorrentView.DOWNLOAD);
            assertThat(handleB.forceStart()).isTrue();
            rpc.ok("torrent-stop", args("ids", b));
            rpc.ok("torrent-start", args("ids", b));
            awaitStatus(rpc, b, TorrentView.DOWNLOAD_WAIT);
            assertThat(handleB.forceStart()).as("a plain start goes by the queue").isFalse();

            rpc.ok("session-set", args("download-queue-size", 2));
            awaitStatus(rpc, b, TorrentView.DOWNLOAD);
        }
    }

    @Test
    void sessionQueueAndSeedLimitKeysApplyToTheSessionWithinTheirBounds() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            List<String> keys = List.of("download-queue-enabled", "download-queue-size", "seed-queue-enabled",
                    "seed-queue-size", "queue-stalled-enabled", "queue-stalled-minutes", "seedRatioLimited",
                    "seedRatioLimit", "idle-seeding-limit-enabled", "idle-seeding-limit");
            assertThat(values(rpc, keys)).as("Transmission's defaults")
                    .containsExactly("true", "5", "false", "10", "true", "30", "false", "2.0", "false", "30");

            rpc.ok("session-set", args("download-queue-enabled", false, "download-queue-size", 3,
                    "seed-queue-enabled", true, "seed-queue-size", 2, "queue-stalled-enabled", false,
                    "queue-stalled-minutes", 45, "seedRatioLimited", true, "seedRatioLimit", 1.5,
                    "idle-seeding-limit-enabled", true, "idle-seeding-limit", 10));
            assertThat(values(rpc, keys)).containsExactly("false", "3", "true", "2", "false", "45", "true", "1.5",
                    "true", "10");
            Session session = rpc.daemon.session();
            assertThat(List.of(session.downloadQueueEnabled(), session.seedQueueEnabled(),
                    session.queueStalledEnabled(), session.seedRatioLimited(), session.seedIdleLimited()))
                    .containsExactly(false, true, false, true, true);
            assertThat(List.of(session.queueStalledAfter(), session.seedIdleLimit()))
                    .containsExactly(Duration.ofMinutes(45), Duration.ofMinutes(10));

            rpc.ok("session-set", args("download-queue-size", -4, "queue-stalled-minutes", 0,
                    "idle-seeding-limit", 70_000, "seedRatioLimit", -1));
            assertThat(values(rpc, List.of("download-queue-size", "queue-stalled-minutes", "idle-seeding-limit",
                    "seedRatioLimit"))).containsExactly("0", "1", String.valueOf(SeedLimitModes.MAX_MINUTES), "1.5");
            rpc.ok("session-set", args("queue-stalled-minutes", SeedLimitModes.MAX_MINUTES + 1));
            assertThat(session.queueStalledAfter()).isEqualTo(Duration.ofMinutes(SeedLimitModes.MAX_MINUTES));
        }
    }

    @Test
    void aTorrentsSeedLimitsReadBackAndAnIdleLimitCountsDownInEtaIdle() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            int id = addSeed(rpc, "s.bin");
            List<String> fields = List.of("seedRatioMode", "seedRatioLimit", "seedIdleMode", "seedIdleLimit",
                    "etaIdle", "isFinished");
            assertThat(fields(rpc, id, fields)).containsExactly("0", "2.0", "0", "30", "-1", "false");

            rpc.ok("torrent-set", args("ids", id, "seedIdleMode", 1, "seedIdleLimit", 5, "seedRatioMode", 2,
                    "seedRatioLimit", 3.5));
            JsonNode t = get(rpc, id, fields.toArray(String[]::new));
            assertThat(List.of(t.get("seedRatioMode").asInt(), t.get("seedIdleMode").asInt(),
                    t.get("seedIdleLimit").asInt())).containsExactly(2, 1, 5);
            assertThat(t.get("seedRatioLimit").asDouble()).isEqualTo(3.5);
            assertThat(t.get("etaIdle").asLong()).as("idle for under a test's time of 5 minutes")
                    .isBetween(240L, 300L);

            rpc.ok("torrent-set", args("ids", id, "seedRatioMode", 7, "seedRatioLimit", -1, "seedIdleLimit", 0));
            assertThat(fields(rpc, id, List.of("seedRatioMode", "seedRatioLimit", "seedIdleLimit")))
                    .as("a mode and a ratio Transmission would not take are ignored; minutes are 1 at least")
                    .containsExactly("2", "3.5", "1");
            rpc.ok("torrent-set", args("ids", id, "seedIdleMode", 2));
            assertThat(fields(rpc, id, List.of("etaIdle"))).as("no idle limit").containsExactly("-1");
        }
    }

    @Test
    void aSeedStoppedByItsRatioIsFinishedAndStartingItAgainTurnsItsRatioLimitOff() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            int id = addSeed(rpc, "s.bin");
            assertThat(fields(rpc, id, List.of("isFinished"))).containsExactly("false");

            // A seed that downloaded nothing has a ratio of 0: a session limit of 0 stops it at once.
            rpc.ok("session-set", args("seedRatioLimited", true, "seedRatioLimit", 0));
            awaitStatus(rpc, id, TorrentView.STOPPED);
            assertThat(fields(rpc, id, List.of("isFinished", "seedRatioMode"))).containsExactly("true", "0");

            rpc.ok("torrent-start", args("ids", id));
            awaitStatus(rpc, id, TorrentView.SEED);
            assertThat(fields(rpc, id, List.of("isFinished", "seedRatioMode")))
                    .as("restarted by hand: its ratio limit is off").containsExactly("false", "2");
        }
    }

    @Test
    void isStalledFollowsTheSessionsStalledRule() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            int id = rpc.addPaused("a.bin", 1000);
            rpc.ok("torrent-start", args("ids", id));
            awaitStatus(rpc, id, TorrentView.DOWNLOAD);
            assertThat(fields(rpc, id, List.of("isStalled"))).as("30 minutes not gone").containsExactly("false");

            // Below the RPC's minute: the session takes any time, so the test need not wait one.
            rpc.daemon.session().setQueueStalledAfter(Duration.ofMillis(50));
            await(rpc, id, "isStalled", "true"::equals);
            rpc.ok("session-set", args("queue-stalled-enabled", false));
            assertThat(fields(rpc, id, List.of("isStalled"))).containsExactly("false");
        }
    }

    /** Adds a torrent over its data in the download directory, started: it seeds once checked. */
    private static int addSeed(RpcFixture rpc, String name) throws Exception {
        byte[] torrent = RpcFixture.metainfo(rpc.downloads(), name, 1000);
        int id = rpc.ok("torrent-add", args("metainfo", Base64.getEncoder().encodeToString(torrent)))
                .get("torrent-added").get("id").asInt();
        awaitStatus(rpc, id, TorrentView.SEED);
        return id;
    }

    /** The torrents' ids in queue order, as torrent-get's {@code queuePosition} tells it. */
    private static List<Integer> order(RpcFixture rpc) throws Exception {
        JsonNode torrents = rpc.ok("torrent-get", args("fields", List.of("id", "queuePosition"))).get("torrents");
        Integer[] order = new Integer[torrents.size()];
        for (JsonNode t : torrents) {
            order[t.get("queuePosition").asInt()] = t.get("id").asInt();
        }
        return List.of(order);
    }

    private static List<String> fields(RpcFixture rpc, int id, List<String> names) throws Exception {
        JsonNode t = get(rpc, id, names.toArray(String[]::new));
        return names.stream().map(name -> t.get(name).asString()).toList();
    }

    private static List<String> values(RpcFixture rpc, List<String> keys) throws Exception {
        JsonNode session = rpc.ok("session-get", args("fields", keys));
        return keys.stream().map(key -> session.get(key).asString()).toList();
    }

    private static void awaitStatus(RpcFixture rpc, int id, int status) throws Exception {
        await(rpc, id, "status", String.valueOf(status)::equals);
    }

    /** Polls a field the test cannot be told of, every 10 ms, for 20 s at most. */
    private static void await(RpcFixture rpc, int id, String field, Predicate<String> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String value;
        while (!wanted.test(value = get(rpc, id, field).get(field).asString())) {
            assertThat(System.nanoTime()).as("waited 20 s for %s, still %s", field, value).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
