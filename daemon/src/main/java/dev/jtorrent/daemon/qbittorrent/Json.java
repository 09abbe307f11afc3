package dev.jtorrent.daemon.qbittorrent;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;

/**
 * JSON out, with Jackson's streaming generator: no reflection and no tree, the values written as they are read.
 */
final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** What writes one JSON document. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator json);
    }

    private Json() {
    }

    static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            body.write(json);
        }
        return out.toByteArray();
    }

    /** Writes one value of a {@link TorrentRow} or a server state. */
    static void value(JsonGenerator json, Object value) {
        switch (value) {
            case Long number -> json.writeNumber(number);
            case Integer number -> json.writeNumber(number);
            case Double number -> writeDouble(json, number);
            case Boolean bool -> json.writeBoolean(bool);
            case String text -> json.writeString(text);
            default -> throw new IllegalArgumentException("not a JSON value: " + value);
        }
    }

    /** A double as qBittorrent's Qt JSON writes it: whole numbers without a fraction (0, not 0.0). */
    static void writeDouble(JsonGenerator json, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            json.writeNumber(-1);
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            json.writeNumber((long) value);
        } else {
            json.writeNumber(value);
        }
    }
}
