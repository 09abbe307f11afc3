package dev.jtorrent.daemon.transmission;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jtorrent.daemon.HttpAccess;
import dev.jtorrent.daemon.TorrentTable;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.SessionConfig;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds arbitrary bytes to the RPC as request bodies: each must get one JSON reply in the request's dialect, and
 * nothing but an answer may come out (no exception escapes). Only the methods that touch nothing beyond the daemon
 * (no URL fetch, no file outside its directories, no unbounded growth) are dispatched; the others are parsed only.
 * Run by {@code ./mvnw verify} on the seed corpus with the unit tests, and fuzzing for {@code fuzz.duration} (see
 * daemon/pom.xml).
 */
class RpcRequestFuzzTest {
    private static final Set<String> DISPATCHED = Set.of("torrent-get", "torrent-set", "session-get", "session-set",
            "session-stats", "torrent-rename-path", "queue-move-top", "port-test", "group-get", "group-set",
            "free-space", "torrent-reannounce", "no-such-method");

    private static final TransmissionRpc RPC = start();

    private static TransmissionRpc start() {
        try {
            Path dir = Files.createTempDirectory("jtorrent-rpc-fuzz");
            Path downloads = Files.createDirectories(dir.resolve("downloads"));
            Session session = Session.start(SessionConfig.builder().bindAddress(InetAddress.getLoopbackAddress())
                    .port(0).dht(false).lsd(false).downloadDirectory(downloads).build());
            TorrentTable table = new TorrentTable(session, Clock.systemUTC());
            table.add(ManyTorrents.tiny(1), AddOptions.builder().paused(true).build(), List.of("x"), "");
            HttpAccess access = new HttpAccess(address -> true, host -> true, Optional.empty());
            return new TransmissionRpc(table, access, new RpcOptions(dir, Optional.empty(), List.of(downloads),
                    Duration.ofSeconds(1)), () -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (dev.jtorrent.metainfo.InvalidTorrentException e) {
            throw new IllegalStateException(e);
        }
    }

    // maxDuration applies when the test is fuzzed from an IDE; the Maven build overrides it with fuzz.duration.
    @FuzzTest(maxDuration = "30s")
    void answersEveryRequestWithOneJsonReply(byte[] input) throws Exception {
        RpcCall call = RpcCall.parse(input);
        if (call.method().isPresent() && !DISPATCHED.contains(call.method().get())) {
            return;
        }
        byte[] reply = RPC.answer(call);
        assertThat(reply[reply.length - 1]).isEqualTo((byte) '\n');
        JsonNode json = RpcFixture.JSON.readTree(reply);
        if (call.dialect() == Dialect.LEGACY) {
            assertThat(json.get("result").isString()).isTrue();
            assertThat(json.get("arguments").isObject()).isTrue();
        } else {
            assertThat(json.get("jsonrpc").asString()).isEqualTo("2.0");
            assertThat(json.has("result") != json.has("error")).isTrue();
        }
    }
}
