package dev.jtorrent.daemon.transmission;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLayerTest {
    @TempDir
    Path dir;

    @Test
    void anIntegerTagIsEchoedOnSuccessAndOnErrorsAndAnyOtherTagIsNot() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            JsonNode ok = rpc.reply("{\"method\":\"session-stats\",\"tag\":912313}");
            assertThat(ok.get("tag").asLong()).isEqualTo(912313);
            assertThat(ok.get("result").asString()).isEqualTo("success");

            JsonNode error = rpc.reply("{\"method\":\"free-space\",\"arguments\":{},\"tag\":7}");
            assertThat(error.get("result").asString()).isEqualTo("directory path argument is missing");
            assertThat(error.get("tag").asInt()).isEqualTo(7);

            JsonNode unknown = rpc.reply("{\"method\":\"no-such-method\",\"tag\":8}");
            assertThat(unknown.get("result").asString()).isEqualTo("method name not recognized");
            assertThat(unknown.get("tag").asInt()).isEqualTo(8);

            assertThat(rpc.reply("{\"method\":\"session-stats\",\"tag\":\"abc\"}").has("tag")).isFalse();
            assertThat(rpc.reply("{\"method\":\"session-stats\",\"tag\":1.5}").has("tag")).isFalse();
            assertThat(rpc.reply("{\"method\":\"session-stats\"}").has("tag")).isFalse();
        }
    }

    @Test
    void whatIsNotARequestGetsNoMethodNameWithEmptyArgumentsAndTheDaemonStaysUp() throws Exception {
        String deep = "[".repeat(RpcCall.MAX_DEPTH + 10) + "]".repeat(RpcCall.MAX_DEPTH + 10);
        String deepInArguments = "{\"method\":\"session-get\",\"arguments\":{\"a\":" + deep + "}}";
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            for (String body : new String[]{"{not json", "", "[1,2]", "{}", "{\"method\":5}", "{\"method\":\"\"}",
                    "null", "\"session-get\"", deep, deepInArguments}) {
                JsonNode reply = rpc.reply(body);
                assertThat(reply.get("result").asString()).as(body).isEqualTo("no method name");
                assertThat(reply.get("arguments").isObject() && reply.get("arguments").isEmpty()).as(body).isTrue();
            }
            byte[] notUtf8 = {'{', '"', 'm', 'e', 't', 'h', 'o', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
            assertThat(rpc.reply(notUtf8).get("result").asString()).isEqualTo("no method name");
            assertThat(rpc.reply("{\"method\":\"session-stats\"}").get("result").asString()).isEqualTo("success");
        }
    }

    @Test
    void jsonRpcRequestsGetJsonRpcRepliesWithSnakeCaseNamesAndTheirId() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            JsonNode reply = rpc.reply("{\"jsonrpc\":\"2.0\",\"method\":\"session_get\",\"params\":{\"fields\":"
                    + "[\"rpc_version_semver\",\"speed_limit_down\",\"version\"]},\"id\":42}");
            assertThat(reply.get("jsonrpc").asString()).isEqualTo("2.0");
            assertThat(reply.get("id").asInt()).isEqualTo(42);
            assertThat(reply.get("result").get("rpc_version_semver").asString()).isEqualTo("5.3.0");
            assertThat(reply.get("result").get("speed_limit_down").isNumber()).isTrue();
            assertThat(reply.get("result").get("version").asString()).startsWith("4.0.6 (jtorrent ");
            assertThat(reply.has("error")).isFalse();

            JsonNode stringId = rpc.reply("{\"jsonrpc\":\"2.0\",\"method\":\"session_stats\",\"id\":\"a-1\"}");
            assertThat(stringId.get("id").asString()).isEqualTo("a-1");
            assertThat(stringId.get("result").has("active_torrent_count")).isTrue();
            assertThat(stringId.get("result").get("current_stats").has("downloaded_bytes")).isTrue();
        }
    }

    @Test
    void jsonRpcErrorsCarryACodeTheMessageAndTheArguments() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            JsonNode unknown = rpc.reply("{\"jsonrpc\":\"2.0\",\"method\":\"no_such\",\"id\":1}");
            assertThat(unknown.get("error").get("code").asInt()).isEqualTo(Replies.METHOD_NOT_FOUND);
            assertThat(unknown.get("error").get("message").asString()).isEqualTo("method name not recognized");

            JsonNode invalid = rpc.reply("{\"jsonrpc\":\"2.0\",\"id\":2}");
            assertThat(invalid.get("error").get("code").asInt()).isEqualTo(Replies.INVALID_REQUEST);

            JsonNode failed = rpc.reply("{\"jsonrpc\":\"2.0\",\"method\":\"free_space\",\"params\":{\"path\":\"/no/such/dir\"},\"id\":3}");
            assertThat(failed.get("error").get("code").asInt()).isEqualTo(Replies.METHOD_FAILED);
            assertThat(failed.get("error").get("data").get("errorString").asString()).isEqualTo("No such file or directory");
            assertThat(failed.get("error").get("data").get("result").get("size_bytes").asLong()).isEqualTo(-1);
            assertThat(failed.get("id").asInt()).isEqualTo(3);
        }
    }

    @Test
    void aJsonRpcNotificationGets204AndNoBody() throws Exception {
        try (RpcFixture rpc = RpcFixture.open(dir)) {
            rpc.reply("{\"method\":\"session-stats\"}");
            HttpResponse<byte[]> response = rpc.post("{\"jsonrpc\":\"2.0\",\"method\":\"session_set\",\"params\":{\"speed_limit_up\":77}}"
                    .getBytes(StandardCharsets.UTF_8), false, Map.of());
            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(response.body()).isEmpty();
            // It ran all the same.
            assertThat(rpc.ok("session-get", RpcFixture.args("fields", java.util.List.of("speed-limit-up")))
                    .get("speed-limit-up").asInt()).isEqualTo(77);
        }
    }

    @Test
    void snakeCaseNamesFollowTheirLegacyOnes() {
        assertThat(Dialect.snake("percentDone")).isEqualTo("percent_done");
        assertThat(Dialect.snake("peer-limit")).isEqualTo("peer_limit");
        assertThat(Dialect.snake("file-count")).isEqualTo("file_count");
        assertThat(Dialect.snake("torrent-get")).isEqualTo("torrent_get");
        assertThat(Dialect.snake("isUTP")).isEqualTo("is_utp");
        assertThat(Dialect.snake("cache-size-mb")).isEqualTo("cache_size_mib");
        assertThat(Dialect.snake("recently-active")).isEqualTo("recently_active");
        assertThat(Dialect.LEGACY.name("percentDone")).isEqualTo("percentDone");
    }
}
