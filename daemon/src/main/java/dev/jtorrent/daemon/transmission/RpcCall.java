package dev.jtorrent.daemon.transmission;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One RPC request as parsed: its dialect, its method's legacy name, its arguments, and what the reply must echo
 * (the legacy {@code tag}, or the JSON-RPC {@code id}).
 *
 * <p>Parsing never fails: a body that is not JSON, not an object, or has no method string becomes a call without a
 * method, which transmission-daemon answers {@code "no method name"} (and JSON-RPC a parse or invalid-request error).
 *
 * @param dialect   legacy, or JSON-RPC 2.0 when the object has {@code "jsonrpc": "2.0"}
 * @param method    the method's legacy name ({@code torrent-get}); empty when the request has none
 * @param arguments the arguments (legacy {@code arguments}, JSON-RPC {@code params})
 * @param tag       the legacy tag, when it is an integer: only then is it echoed, as 3.00 does
 * @param id        the JSON-RPC id (a number or a string); empty for a notification, which gets no reply
 * @param parsed    whether the body was JSON at all (JSON-RPC tells a parse error from an invalid request)
 */
record RpcCall(Dialect dialect, Optional<String> method, Arguments arguments, OptionalLong tag,
               Optional<JsonNode> id, boolean parsed) {
    /** Nesting deeper than this fails the parse: no request needs more than 4. */
    static final int MAX_DEPTH = 32;
    /** The longest string a request may hold: a base64 .torrent of the largest body allowed. */
    static final int MAX_STRING = 24 * 1024 * 1024;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING)
                    .maxNameLength(1024)
                    .maxNumberLength(64)
                    .build())
            .build()).build();

    static RpcCall parse(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            return new RpcCall(Dialect.LEGACY, Optional.empty(), new Arguments(null, Dialect.LEGACY),
                    OptionalLong.empty(), Optional.empty(), false);
        }
        if (root == null || !root.isObject()) {
            return new RpcCall(Dialect.LEGACY, Optional.empty(), new Arguments(null, Dialect.LEGACY),
                    OptionalLong.empty(), Optional.empty(), root != null && !root.isMissingNode());
        }
        JsonNode version = root.get("jsonrpc");
        if (version != null && version.isString() && version.stringValue().equals("2.0")) {
            JsonNode id = root.get("id");
            Optional<JsonNode> echoed = id == null ? Optional.empty()
                    : Optional.of(id).filter(node -> node.isNumber() || node.isString() || node.isNull());
            return new RpcCall(Dialect.JSON_RPC, methodName(root.get("method"), true),
                    new Arguments(root.get("params"), Dialect.JSON_RPC), OptionalLong.empty(),
                    id == null ? Optional.empty() : Optional.of(echoed.orElse(tools.jackson.databind.node.NullNode.getInstance())), true);
        }
        JsonNode tag = root.get("tag");
        OptionalLong echoedTag = tag != null && tag.isIntegralNumber() && tag.canConvertToLong()
                ? OptionalLong.of(tag.asLong()) : OptionalLong.empty();
        return new RpcCall(Dialect.LEGACY, methodName(root.get("method"), false),
                new Arguments(root.get("arguments"), Dialect.LEGACY), echoedTag, Optional.empty(), true);
    }

    /** The method's legacy name: JSON-RPC's snake_case names are the legacy ones with '-' for '_'. */
    private static Optional<String> methodName(JsonNode method, boolean snake) {
        if (method == null || !method.isString() || method.stringValue().isEmpty()) {
            return Optional.empty();
        }
        String name = method.stringValue();
        return Optional.of(snake ? name.replace('_', '-') : name);
    }

    /** Whether it is a JSON-RPC notification: a method and no id, so no reply (HTTP 204). */
    boolean notification() {
        return dialect == Dialect.JSON_RPC && id.isEmpty() && method.isPresent();
    }
}
