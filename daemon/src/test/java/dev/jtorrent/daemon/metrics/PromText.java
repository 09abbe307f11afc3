package dev.jtorrent.daemon.metrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text format, version 0.0.4, for tests: the Prometheus Java client 1.10 writes it
 * but has no parser. Every line must be a {@code # HELP}, a {@code # TYPE} or a sample as the format's grammar has
 * them (names, label sets with their escapes, a float value, an optional integer timestamp); a family's TYPE and HELP
 * come at most once and before its samples, its samples are together, their names are the family's (with the
 * suffixes its type allows), and no series appears twice. Anything else throws {@link IllegalArgumentException}
 * naming the line.
 */
final class PromText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) ((?:[^\\\\\\n]|\\\\[\\\\n])*)");
    private static final Pattern TYPE = Pattern.compile(
            "# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
    private static final Pattern VALUE = Pattern.compile(
            "[+-]?(?:Inf|NaN|(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)");
    private static final Pattern TIMESTAMP = Pattern.compile("-?[0-9]+");
    private static final Map<String, List<String>> SUFFIXES = Map.of(
            "counter", List.of("", "_total", "_created"),
            "gauge", List.of(""),
            "untyped", List.of(""),
            "summary", List.of("", "_sum", "_count", "_created"),
            "histogram", List.of("_bucket", "_sum", "_count", "_created"));

    /** The series, as {@code name{label="value",...}} with the labels in name order, and their values. */
    final Map<String, Double> samples = new LinkedHashMap<>();
    /** Each family's type, by the name in its TYPE line. */
    final Map<String, String> types = new HashMap<>();

    static PromText parse(String text) {
        PromText parsed = new PromText();
        parsed.read(text);
        return parsed;
    }

    private void read(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a line feed");
        }
        Set<String> helped = new HashSet<>();
        Set<String> closed = new HashSet<>(); // families whose samples are over
        String current = null; // the family of the last sample
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + number + " (" + line + ")";
            if (line.startsWith("#")) {
                Matcher help = HELP.matcher(line);
                Matcher type = TYPE.matcher(line);
                if (help.matches()) {
                    if (!helped.add(help.group(1)) || closed.contains(help.group(1))
                            || help.group(1).equals(current)) {
                        throw new IllegalArgumentException("a HELP out of place: " + where);
                    }
                } else if (type.matches()) {
                    if (types.putIfAbsent(type.group(1), type.group(2)) != null || closed.contains(type.group(1))
                            || type.group(1).equals(current)) {
                        throw new IllegalArgumentException("a TYPE out of place: " + where);
                    }
                } else if (line.startsWith("# HELP") || line.startsWith("# TYPE")) {
                    throw new IllegalArgumentException("a malformed HELP or TYPE: " + where);
                }
                continue; // another comment
            }
            String family = sample(line, where);
            if (!family.equals(current)) {
                if (current != null) {
                    closed.add(current);
                }
                if (closed.contains(family)) {
                    throw new IllegalArgumentException("the samples of " + family + " are not together: " + where);
                }
                current = family;
            }
        }
    }

    /** Reads one sample line; returns its family's name. */
    private String sample(String line, String where) {
        Matcher name = METRIC_NAME.matcher(line);
        if (!name.lookingAt()) {
            throw new IllegalArgumentException("no metric name: " + where);
        }
        String metric = name.group();
        int at = name.end();
        TreeMap<String, String> labels = new TreeMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at = labels(line, at + 1, labels, where);
        }
        if (at >= line.length() || line.charAt(at) != ' ') {
            throw new IllegalArgumentException("no space before the value: " + where);
        }
        String[] rest = line.substring(at + 1).split(" ", -1);
        if (rest.length > 2 || !VALUE.matcher(rest[0]).matches()
                || rest.length == 2 && !TIMESTAMP.matcher(rest[1]).matches()) {
            throw new IllegalArgumentException("a bad value or timestamp: " + where);
        }
        String family = familyOf(metric, where);
        StringBuilder key = new StringBuilder(metric);
        if (!labels.isEmpty()) {
            key.append('{');
            labels.forEach((label, value) -> key.append(label).append("=\"").append(value).append("\","));
            key.setCharAt(key.length() - 1, '}');
        }
        double value = switch (rest[0].replace("+", "")) {
            case "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(rest[0]);
        };
        if (samples.put(key.toString(), value) != null) {
            throw new IllegalArgumentException("a series twice: " + where);
        }
        return family;
    }

    /** Reads {@code name="value",...}} from {@code at}; returns the index after the closing brace. */
    private static int labels(String line, int at, Map<String, String> labels, String where) {
        while (true) {
            if (at < line.length() && line.charAt(at) == '}') {
                return at + 1;
            }
            Matcher label = LABEL_NAME.matcher(line).region(at, line.length());
            if (!label.lookingAt() || label.end() + 1 >= line.length() || line.charAt(label.end()) != '='
                    || line.charAt(label.end() + 1) != '"') {
                throw new IllegalArgumentException("a bad label: " + where);
            }
            StringBuilder value = new StringBuilder();
            int i = label.end() + 2;
            for (; ; i++) {
                if (i >= line.length()) {
                    throw new IllegalArgumentException("an unclosed label value: " + where);
                }
                char c = line.charAt(i);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    char escaped = i + 1 < line.length() ? line.charAt(++i) : 0;
                    value.append(switch (escaped) {
                        case '\\' -> '\\';
                        case '"' -> '"';
                        case 'n' -> '\n';
                        default -> throw new IllegalArgumentException("a bad escape in a label value: " + where);
                    });
                } else {
                    value.append(c);
                }
            }
            if (labels.put(label.group(), value.toString()) != null) {
                throw new IllegalArgumentException("a label twice: " + where);
            }
            at = i + 1;
            if (at < line.length() && line.charAt(at) == ',') {
                at++;
            } else if (at >= line.length() || line.charAt(at) != '}') {
                throw new IllegalArgumentException("a label set not closed: " + where);
            }
        }
    }

    /** The TYPE'd family a sample belongs to, by the suffixes its type allows; untyped if none was declared. */
    private String familyOf(String metric, String where) {
        for (Map.Entry<String, String> family : types.entrySet()) {
            for (String suffix : SUFFIXES.get(family.getValue())) {
                if (metric.equals(family.getKey() + suffix)) {
                    return family.getKey();
                }
            }
        }
        if (types.containsKey(metric)) {
            throw new IllegalArgumentException("a sample not of its family's type: " + where);
        }
        return metric;
    }

    /** The value of a series, which must be there. */
    double value(String series) {
        Double value = samples.get(series);
        if (value == null) {
            throw new AssertionError("no series " + series + " in " + samples.keySet());
        }
        return value;
    }
}
