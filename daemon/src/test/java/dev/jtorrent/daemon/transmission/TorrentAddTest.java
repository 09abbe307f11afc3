package dev.jtorrent.daemon.transmission;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static dev.jtorrent.daemon.transmission.RpcFixture.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TorrentAddTest {
    @TempDir
    Path dir;

    @Test
    void aMetainfoAddAnswersTheTorrentAndASecondAddTheDuplicate() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            String metainfo = Base64.getEncoder().encodeToString(RpcFixture.metainfo(dir, "a.bin", 40_000));
            JsonNode added = rpc.ok("torrent-add", args("metainfo", metainfo, "paused", true)).get("torrent-added");
            assertThat(added.get("name").asString()).isEqualTo("a.bin");
            assertThat(added.get("hashString").asString()).hasSize(40);
            JsonNode again = rpc.ok("torrent-add", args("metainfo", metainfo)).get("torrent-duplicate");
            assertThat(again.get("id").asInt()).isEqualTo(added.get("id").asInt());
            assertThat(rpc.daemon.torrents().size()).isEqualTo(1);
            JsonNode stats = rpc.ok("session-stats", args());
            assertThat(stats.get("current-stats").get("filesAdded").asInt()).isEqualTo(1);
        }
    }

    @Test
    void garbageAMissingFileAndNoSourceAreRefusedAndAddNothing() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            assertThat(result(rpc, args("metainfo", "bm90IGEgdG9ycmVudA=="))).isEqualTo("invalid or corrupt torrent file");
            assertThat(result(rpc, args("metainfo", "***not base64***"))).isEqualTo("invalid or corrupt torrent file");
            assertThat(result(rpc, args("filename", rpc.downloads().resolve("missing.torrent").toString())))
                    .isEqualTo("invalid or corrupt torrent file");
            assertThat(result(rpc, args("paused", true))).isEqualTo("no filename or metainfo specified");
            assertThat(result(rpc, args("filename", "magnet:?xt=urn:btih:nothex"))).isEqualTo("invalid or corrupt torrent file");
            assertThat(rpc.daemon.torrents().size()).isZero();
        }
    }

    @Test
    void aMagnetIsAddedAtOnceWithItsDisplayName() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            String magnet = "magnet:?xt=urn:btih:" + "ab".repeat(20) + "&dn=From%20Magnet";
            JsonNode added = rpc.ok("torrent-add", args("filename", magnet, "paused", true)).get("torrent-added");
            assertThat(added.get("name").asString()).isEqualTo("From Magnet");
            JsonNode t = rpc.ok("torrent-get", args("ids", added.get("id").asInt(), "fields",
                    List.of("metadataPercentComplete", "files", "totalSize"))).get("torrents").get(0);
            assertThat(t.get("metadataPercentComplete").asDouble()).isZero();
            assertThat(t.get("files").isEmpty()).isTrue();
            assertThat(t.get("totalSize").asLong()).isZero();
        }
    }

    @Test
    void aLocalFileIsReadOnlyInsideTheAllowedDirectories() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            Path inside = rpc.downloads().resolve("in.torrent");
            Files.write(inside, RpcFixture.metainfo(dir, "in.bin", 1000));
            Path outside = dir.resolve("out.torrent");
            Files.write(outside, RpcFixture.metainfo(dir, "out.bin", 1000));
            Files.createSymbolicLink(rpc.downloads().resolve("link.torrent"), outside);

            assertThat(rpc.ok("torrent-add", args("filename", inside.toString(), "paused", true))
                    .get("torrent-added").get("name").asString()).isEqualTo("in.bin");
            assertThat(result(rpc, args("filename", outside.toString()))).isEqualTo(TorrentAdd.FILE_NOT_ALLOWED);
            assertThat(result(rpc, args("filename", rpc.downloads().resolve("link.torrent").toString())))
                    .isEqualTo(TorrentAdd.FILE_NOT_ALLOWED);
            assertThat(result(rpc, args("filename", "relative.torrent"))).isEqualTo("invalid or corrupt torrent file");
        }
    }

    @Test
    void theDownloadDirMustBeAbsoluteAndAllowed() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            String metainfo = Base64.getEncoder().encodeToString(RpcFixture.metainfo(dir, "a.bin", 1000));
            assertThat(result(rpc, args("metainfo", metainfo, "download-dir", "relative/dir")))
                    .isEqualTo("download directory path is not absolute");
            assertThat(result(rpc, args("metainfo", metainfo, "download-dir", "/etc")))
                    .isEqualTo(TorrentAdd.DIR_NOT_ALLOWED);
            assertThat(result(rpc, args("metainfo", metainfo, "download-dir",
                    rpc.downloads().resolve("../../etc").toString()))).isEqualTo(TorrentAdd.DIR_NOT_ALLOWED);
            Path sub = rpc.downloads().resolve("tv");
            int id = rpc.ok("torrent-add", args("metainfo", metainfo, "download-dir", sub.toString(), "paused", true))
                    .get("torrent-added").get("id").asInt();
            assertThat(rpc.ok("torrent-get", args("ids", id, "fields", List.of("downloadDir")))
                    .get("torrents").get(0).get("downloadDir").asString()).isEqualTo(sub.toString());
            assertThat(sub).as("made at the add, as Transmission makes it").isDirectory();
        }
    }

    @Test
    void fileChoicesAndLabelsAreAppliedAtTheAdd() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            Path content = Files.createDirectories(dir.resolve("multi"));
            Files.write(content.resolve("a.bin"), new byte[20_000]);
            Files.write(content.resolve("b.bin"), new byte[30_000]);
            Files.write(content.resolve("c.bin"), new byte[10_000]);
            var builder = dev.jtorrent.metainfo.TorrentBuilder.of(content).withPieceLength(Optional.of(16 * 1024));
            byte[] torrent = builder.build(builder.plan(), new java.util.concurrent.atomic.AtomicLong());
            int id = rpc.ok("torrent-add", args("metainfo", Base64.getEncoder().encodeToString(torrent),
                    "paused", true, "files-unwanted", List.of(1), "priority-high", List.of(0), "priority-low", List.of(2),
                    "labels", List.of("tv", " hd ", "tv"))).get("torrent-added").get("id").asInt();
            JsonNode t = rpc.ok("torrent-get", args("ids", id, "fields",
                    List.of("wanted", "priorities", "labels", "sizeWhenDone"))).get("torrents").get(0);
            assertThat(t.get("wanted").valueStream().map(JsonNode::asInt).toList()).containsExactly(1, 0, 1);
            assertThat(t.get("priorities").valueStream().map(JsonNode::asInt).toList()).containsExactly(1, 0, -1);
            assertThat(t.get("labels").valueStream().map(JsonNode::asString).toList()).containsExactly("tv", "hd");
            assertThat(t.get("sizeWhenDone").asLong()).isEqualTo(30_000);

            assertThat(result(rpc, args("metainfo", Base64.getEncoder().encodeToString(
                    RpcFixture.metainfo(dir, "x.bin", 100)), "files-unwanted", List.of(5))))
                    .isEqualTo("file index out of range");
            assertThat(result(rpc, args("metainfo", Base64.getEncoder().encodeToString(
                    RpcFixture.metainfo(dir, "y.bin", 100)), "labels", List.of("a,b"))))
                    .isEqualTo("labels cannot contain comma (,) character");
        }
    }

    @Test
    void aUrlIsFetchedBeforeTheReplyAndItsHttpErrorIsWordedAs300Does() throws Exception {
        byte[] torrent = RpcFixture.metainfo(dir, "web.bin", 1000);
        try (RpcFixture rpc = RpcFixture.open(dir);
             TinyHttpServer ok = new TinyHttpServer(200, torrent, false);
             TinyHttpServer missing = new TinyHttpServer(404, new byte[0], false)) {
            assertThat(rpc.ok("torrent-add", args("filename", ok.url("/x.torrent"), "paused", true))
                    .get("torrent-added").get("name").asString()).isEqualTo("web.bin");
            assertThat(result(rpc, args("filename", missing.url("/x.torrent"))))
                    .isEqualTo("gotMetadataFromURL: http error 404: Not Found");
        }
    }

    @Test
    void aUrlThatNeverAnswersFailsWithinTheTimeout() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir);
             TinyHttpServer silent = new TinyHttpServer(200, new byte[0], true);
             MetainfoFetcher fetcher = new MetainfoFetcher(Duration.ofMillis(500), 1024)) {
            RpcState state = new RpcState(rpc.daemon.torrents(), Clock.systemUTC(), List.of(rpc.downloads()));
            long start = System.nanoTime();
            assertThatThrownBy(() -> TorrentAdd.call(new Arguments(RpcFixture.JSON.valueToTree(
                    args("filename", silent.url("/x.torrent"))), Dialect.LEGACY), state, fetcher))
                    .isInstanceOf(RpcException.class).hasMessage(MetainfoFetcher.NO_RESPONSE);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aUrlAnsweringMoreThanTheLimitIsRefused() throws Exception {
        try (TinyHttpServer big = new TinyHttpServer(200, new byte[2048], false);
             MetainfoFetcher fetcher = new MetainfoFetcher(Duration.ofSeconds(5), 1024)) {
            assertThatThrownBy(() -> fetcher.fetch(big.url("/big.torrent"), Optional.empty()))
                    .isInstanceOf(RpcException.class).hasMessageContaining("larger than 1024 bytes");
        }
    }

    private static String result(RpcFixture rpc, java.util.Map<String, Object> arguments) throws Exception {
        return rpc.call("torrent-add", arguments).get("result").asString();
    }
}
