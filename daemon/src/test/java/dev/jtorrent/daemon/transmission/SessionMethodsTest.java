package dev.jtorrent.daemon.transmission;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.jtorrent.daemon.transmission.RpcFixture.args;
import static org.assertj.core.api.Assertions.assertThat;

class SessionMethodsTest {
    @TempDir
    Path dir;

    @Test
    void sessionGetHasEveryKeyWithItsTypeAndFieldsPickSome() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            JsonNode all = rpc.ok("session-get", args());
            assertThat(all.propertyNames()).containsExactlyElementsOf(SessionGet.names());
            assertThat(all.get("rpc-version").asInt()).isEqualTo(17);
            assertThat(all.get("rpc-version-semver").asString()).isEqualTo("5.3.0");
            assertThat(all.get("version").asString()).matches("4\\.0\\.6 \\(jtorrent .+\\)");
            assertThat(all.get("session-id").asString()).hasSize(SessionId.LENGTH);
            assertThat(all.get("download-dir").asString()).isEqualTo(rpc.downloads().toString());
            assertThat(all.get("peer-port").asInt()).isEqualTo(rpc.daemon.session().port());
            assertThat(all.get("dht-enabled").asBoolean()).isFalse();
            assertThat(all.get("encryption").asString()).isEqualTo("preferred");
            assertThat(all.get("units").get("speed-bytes").asInt()).isEqualTo(1000);
            assertThat(all.get("speed-limit-down").isNumber()).isTrue();
            assertThat(all.get("alt-speed-enabled").isBoolean()).isTrue();
            assertThat(all.get("config-dir").asString()).isEqualTo(dir.resolve("config").toString());

            JsonNode some = rpc.ok("session-get", args("fields", List.of("version", "peer-port", "no-such-key")));
            assertThat(some.propertyNames()).containsExactlyInAnyOrder("version", "peer-port");
        }
    }

    @Test
    void sessionSetAppliesLimitsAndTheTurtleAndRefusesABadDownloadDir() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            rpc.ok("session-set", args("speed-limit-down", 300, "speed-limit-down-enabled", true,
                    "speed-limit-up", 20, "alt-speed-down", 5, "alt-speed-up", 6, "alt-speed-time-begin", 60,
                    "alt-speed-time-end", 120, "alt-speed-time-day", 65, "peer-limit-global", 77,
                    "start-added-torrents", false, "unknown-key", 1, "seedRatioLimit", "not a number"));
            JsonNode now = rpc.ok("session-get", args());
            assertThat(now.get("speed-limit-down").asInt()).isEqualTo(300);
            assertThat(now.get("speed-limit-down-enabled").asBoolean()).isTrue();
            assertThat(now.get("speed-limit-up").asInt()).isEqualTo(20);
            assertThat(now.get("speed-limit-up-enabled").asBoolean()).isFalse();
            assertThat(now.get("alt-speed-time-begin").asInt()).isEqualTo(60);
            assertThat(now.get("alt-speed-time-day").asInt()).isEqualTo(65);
            assertThat(now.get("peer-limit-global").asInt()).isEqualTo(77);
            assertThat(now.get("start-added-torrents").asBoolean()).isFalse();
            assertThat(rpc.daemon.session().downloadLimit()).isEqualTo(300_000);
            assertThat(rpc.daemon.session().uploadLimit()).isZero();
            assertThat(rpc.daemon.session().maxConnections()).isEqualTo(77);

            rpc.ok("session-set", args("alt-speed-enabled", true));
            assertThat(rpc.daemon.session().downloadLimit()).isEqualTo(5_000);
            assertThat(rpc.daemon.session().uploadLimit()).isEqualTo(6_000);
            rpc.ok("session-set", args("alt-speed-enabled", false));
            assertThat(rpc.daemon.session().downloadLimit()).isEqualTo(300_000);

            assertThat(rpc.call("session-set", args("download-dir", "relative")).get("result").asString())
                    .isEqualTo("download directory path is not absolute");
            assertThat(rpc.call("session-set", args("download-dir", "/etc", "speed-limit-down", 1))
                    .get("result").asString()).isEqualTo(TorrentAdd.DIR_NOT_ALLOWED);
            assertThat(rpc.daemon.session().downloadLimit()).isEqualTo(300_000);
            Path sub = rpc.downloads().resolve("sub");
            rpc.ok("session-set", args("download-dir", sub.toString()));
            assertThat(rpc.ok("session-get", args("fields", List.of("download-dir"))).get("download-dir").asString())
                    .isEqualTo(sub.toString());
        }
    }

    @Test
    void sessionStatsCountsTorrentsAndTransfers() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            rpc.addPaused("a.bin", 1000);
            JsonNode stats = rpc.ok("session-stats", args());
            assertThat(stats.get("torrentCount").asInt()).isEqualTo(1);
            assertThat(stats.get("pausedTorrentCount").asInt()).isEqualTo(1);
            assertThat(stats.get("activeTorrentCount").asInt()).isZero();
            for (String key : new String[]{"cumulative-stats", "current-stats"}) {
                assertThat(stats.get(key).propertyNames()).containsExactlyInAnyOrder("uploadedBytes",
                        "downloadedBytes", "filesAdded", "sessionCount", "secondsActive");
            }
            assertThat(stats.get("downloadSpeed").isNumber()).isTrue();
        }
    }

    @Test
    void freeSpaceAnswersADirectoryAndSaysWhatIsWrongOtherwise() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            JsonNode space = rpc.ok("free-space", args("path", rpc.downloads().toString()));
            assertThat(space.get("path").asString()).isEqualTo(rpc.downloads().toString());
            assertThat(space.get("size-bytes").asLong()).isPositive();
            assertThat(space.get("total_size").asLong()).isGreaterThanOrEqualTo(space.get("size-bytes").asLong());
            JsonNode missing = rpc.call("free-space", args("path", dir.resolve("nope").toString()));
            assertThat(missing.get("result").asString()).isEqualTo("No such file or directory");
            assertThat(missing.get("arguments").get("size-bytes").asLong()).isEqualTo(-1);
            assertThat(rpc.call("free-space", args()).get("result").asString())
                    .isEqualTo("directory path argument is missing");
        }
    }

    @Test
    void portTestAnswersAtOnceAndTheRestSayWhatTheyCannotDo() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            long start = System.nanoTime();
            assertThat(rpc.ok("port-test", args()).get("port-is-open").asBoolean()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(rpc.ok("group-get", args()).get("group").isEmpty()).isTrue();
            assertThat(rpc.call("group-set", args("name", "g")).get("result").asString())
                    .isEqualTo(SessionMethods.NO_GROUPS);
        }
    }

    @Test
    void theTurtleScheduleTurnsTheTurtleOnAndOffOnlyAtItsBoundaries() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            SessionSettings settings = new SessionSettings(rpc.daemon.session());
            java.time.ZonedDateTime monday = java.time.ZonedDateTime.of(2026, 12, 7, 8, 0, 0, 0,
                    java.time.ZoneId.systemDefault());
            java.time.Instant[] now = {monday.toInstant()};
            java.time.Clock clock = new java.time.Clock() {
                @Override
                public java.time.ZoneId getZone() {
                    return java.time.ZoneId.systemDefault();
                }

                @Override
                public java.time.Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public java.time.Instant instant() {
                    return now[0];
                }
            };
            try (TurtleTimer turtle = TurtleTimer.start(settings, clock)) {
                settings.setAltSpeedTime(true, 9 * 60L, 17 * 60L, 2L);
                turtle.tick();
                assertThat(settings.altSpeedEnabled()).isFalse();
                now[0] = monday.plusHours(2).toInstant();
                turtle.tick();
                assertThat(settings.altSpeedEnabled()).isTrue();
                // Turned off by hand inside the span, it stays off until the next boundary.
                settings.setAltSpeed(null, null, false);
                turtle.tick();
                assertThat(settings.altSpeedEnabled()).isFalse();
                now[0] = monday.plusHours(10).toInstant();
                turtle.tick();
                assertThat(settings.altSpeedEnabled()).isFalse();
                now[0] = monday.plusDays(7).plusHours(2).toInstant();
                turtle.tick();
                assertThat(settings.altSpeedEnabled()).isTrue();
                assertThat(rpc.daemon.session().downloadLimit()).isEqualTo(SessionSettings.DEFAULT_ALT_SPEED * 1000L);
            }
        }
    }

    @Test
    void blocklistUpdateFetchesTheListAndPutsItInForce() throws Exception {
        byte[] list = ("# a comment\nbad one:1.2.3.0-1.2.3.255\nbad two:10.0.0.0-10.0.0.9\n"
                + "bad three:192.168.5.5-192.168.5.5\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (RpcFixture rpc = RpcFixture.open(dir);
             TinyHttpServer lists = new TinyHttpServer(200, list, false);
             TinyHttpServer missing = new TinyHttpServer(404, new byte[0], false)) {
            rpc.ok("session-set", args("blocklist-url", lists.url("/list.p2p")));
            assertThat(rpc.ok("blocklist-update", args()).get("blocklist-size").asInt()).isEqualTo(3);
            assertThat(rpc.daemon.session().ipFilter().blocks(java.net.InetAddress.getByName("10.0.0.5"))).isTrue();
            JsonNode session = rpc.ok("session-get", args("fields", List.of("blocklist-size", "blocklist-enabled")));
            assertThat(session.get("blocklist-size").asInt()).isEqualTo(3);
            assertThat(session.get("blocklist-enabled").asBoolean()).isTrue();

            rpc.ok("session-set", args("blocklist-url", missing.url("/list.p2p")));
            assertThat(rpc.call("blocklist-update", args()).get("result").asString())
                    .isEqualTo("gotNewBlocklist: http error 404: Not Found");
            rpc.ok("session-set", args("blocklist-enabled", false));
            assertThat(rpc.daemon.session().ipFilter().isEmpty()).isTrue();
        }
    }

    @Test
    void sessionCloseAnswersThenStopsTheDaemon() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            assertThat(rpc.call("session-close", args()).get("result").asString()).isEqualTo("success");
            rpc.daemon.closed().get(20, TimeUnit.SECONDS);
        }
    }
}
