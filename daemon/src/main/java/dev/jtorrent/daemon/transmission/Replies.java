package dev.jtorrent.daemon.transmission;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.OutputStream;

/**
 * Writes a reply's envelope around its arguments, in the request's dialect, with the streaming generator: legacy
 * {@code {"arguments":{...},"result":"success","tag":N}}, JSON-RPC {@code {"jsonrpc":"2.0","result":{...},"id":N}}
 * or its {@code error} object. Replies are compact, with the trailing newline transmission-daemon writes.
 */
final class Replies {
    /** JSON-RPC 2.0's codes, and the one for a method that answered with an error string. */
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int METHOD_FAILED = -32000;

    static final String NO_METHOD = "no method name";
    static final String UNKNOWN_METHOD = "method name not recognized";
    static final String SUCCESS = "success";

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Replies() {
    }

    static void write(OutputStream out, RpcCall call, String result, Body arguments) {
        try (JsonGenerator json = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            json.writeStartObject();
            if (call.dialect() == Dialect.LEGACY) {
                json.writeName("arguments");
                json.writeStartObject();
                arguments.write(json);
                json.writeEndObject();
                json.writeName("result");
                json.writeString(result);
                if (call.tag().isPresent()) {
                    json.writeName("tag");
                    json.writeNumber(call.tag().getAsLong());
                }
            } else {
                json.writeName("jsonrpc");
                json.writeString("2.0");
                if (result.equals(SUCCESS)) {
                    json.writeName("result");
                    json.writeStartObject();
                    arguments.write(json);
                    json.writeEndObject();
                } else {
                    json.writeName("error");
                    json.writeStartObject();
                    json.writeName("code");
                    json.writeNumber(code(call, result));
                    json.writeName("message");
                    json.writeString(result);
                    json.writeName("data");
                    json.writeStartObject();
                    json.writeName("errorString");
                    json.writeString(result);
                    json.writeName("result");
                    json.writeStartObject();
                    arguments.write(json);
                    json.writeEndObject();
                    json.writeEndObject();
                    json.writeEndObject();
                }
                json.writeName("id");
                JsonNodeWriter.write(json, call.id().orElse(null));
            }
            json.writeEndObject();
        }
    }

    private static int code(RpcCall call, String result) {
        if (result.equals(NO_METHOD)) {
            return call.parsed() ? INVALID_REQUEST : PARSE_ERROR;
        }
        return result.equals(UNKNOWN_METHOD) ? METHOD_NOT_FOUND : METHOD_FAILED;
    }

    /** Writes a JSON-RPC id back as it came: a number, a string, or null. */
    private static final class JsonNodeWriter {
        static void write(JsonGenerator json, tools.jackson.databind.JsonNode id) {
            if (id == null || id.isNull()) {
                json.writeNull();
            } else if (id.isIntegralNumber() && id.canConvertToLong()) {
                json.writeNumber(id.asLong());
            } else if (id.isNumber()) {
                json.writeNumber(id.asDouble());
            } else {
                json.writeString(id.asString());
            }
        }
    }
}
