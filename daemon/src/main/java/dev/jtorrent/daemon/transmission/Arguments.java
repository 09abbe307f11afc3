package dev.jtorrent.daemon.transmission;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A request's {@code arguments} (or JSON-RPC {@code params}), read by legacy key names in either dialect.
 *
 * <p>Reading is lenient, as transmission-daemon's is: a key of the wrong type reads as absent, a boolean may come as
 * 0/1 and a number as a boolean, so that a client's odd request is answered, not refused. Nothing here throws.
 */
final class Arguments {
    private final JsonNode node;
    private final Dialect dialect;

    /** @param node the arguments object; anything else (absent, null, a list) reads as no arguments */
    Arguments(JsonNode node, Dialect dialect) {
        this.node = node != null && node.isObject() ? node : null;
        this.dialect = dialect;
    }

    Dialect dialect() {
        return dialect;
    }

    /** The value of {@code legacy} under its name in the request's dialect, else under the legacy name. */
    Optional<JsonNode> node(String legacy) {
        if (node == null) {
            return Optional.empty();
        }
        JsonNode value = node.get(dialect.name(legacy));
        if (value == null || value.isNull()) {
            value = node.get(legacy);
        }
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    boolean has(String legacy) {
        return node(legacy).isPresent();
    }

    Optional<String> string(String legacy) {
        return node(legacy).filter(JsonNode::isString).map(JsonNode::stringValue);
    }

    Optional<Boolean> bool(String legacy) {
        return node(legacy).flatMap(value -> {
            if (value.isBoolean()) {
                return Optional.of(value.booleanValue());
            }
            if (value.isNumber()) {
                return Optional.of(value.asDouble() != 0);
            }
            if (value.isString()) {
                String text = value.stringValue();
                return text.equalsIgnoreCase("true") ? Optional.of(true)
                        : text.equalsIgnoreCase("false") ? Optional.of(false) : Optional.empty();
            }
            return Optional.empty();
        });
    }

    /** An integral value (a fractional one is cut), or absent if it is not a number within a long. */
    OptionalLong integer(String legacy) {
        Optional<JsonNode> value = node(legacy).filter(JsonNode::isNumber);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        double asDouble = value.get().asDouble();
        if (value.get().isIntegralNumber() && value.get().canConvertToLong()) {
            return OptionalLong.of(value.get().asLong());
        }
        return Double.isFinite(asDouble) && Math.abs(asDouble) < 9e18 ? OptionalLong.of((long) asDouble)
                : OptionalLong.empty();
    }

    OptionalDouble decimal(String legacy) {
        return node(legacy).filter(JsonNode::isNumber).map(value -> OptionalDouble.of(value.asDouble()))
                .orElse(OptionalDouble.empty());
    }

    /** A list of integers (file indices); absent if the key is absent or not a list. Non-integers are skipped. */
    Optional<List<Long>> integers(String legacy) {
        return node(legacy).filter(JsonNode::isArray).map(array -> {
            List<Long> values = new ArrayList<>(Math.min(array.size(), 1024));
            for (JsonNode value : array) {
                if (value.isIntegralNumber() && value.canConvertToLong()) {
                    values.add(value.asLong());
                }
            }
            return values;
        });
    }

    /** A list of strings; absent if the key is absent or not a list. Non-strings are skipped. */
    Optional<List<String>> strings(String legacy) {
        return node(legacy).filter(JsonNode::isArray).map(array -> {
            List<String> values = new ArrayList<>(Math.min(array.size(), 1024));
            for (JsonNode value : array) {
                if (value.isString()) {
                    values.add(value.stringValue());
                }
            }
            return values;
        });
    }
}
