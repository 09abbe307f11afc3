package dev.jtorrent.daemon.qbittorrent;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a request's parameters: a query string, an {@code application/x-www-form-urlencoded} body, or a {@code
 * multipart/form-data} body (RFC 7578: the form {@code torrents/add} takes .torrent files in). No I/O: it gets the
 * body whole, already bounded by the caller, and bounds what it makes of it: {@link #maxFields} fields and files
 * together, each file {@link #maxFileBytes}, each part's header block {@link #MAX_PART_HEADER_BYTES}. Anything
 * malformed (a bad percent escape, invalid UTF-8, a boundary missing or never closed, a part without a name) is a
 * {@link ApiException} 400 with one line saying what, never a partial result.
 */
final class FormParser {
    /** A part's header block (its Content-Disposition and Content-Type lines) is at most this long. */
    static final int MAX_PART_HEADER_BYTES = 8 * 1024;
    /** RFC 2046: a boundary is 1 to 70 characters. */
    static final int MAX_BOUNDARY_LENGTH = 70;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private final int maxFields;
    private final int maxFileBytes;

    FormParser(int maxFields, int maxFileBytes) {
        if (maxFields < 1 || maxFileBytes < 1) {
            throw new IllegalArgumentException("form limits must be positive");
        }
        this.maxFields = maxFields;
        this.maxFileBytes = maxFileBytes;
    }

    /**
     * The parameters of a request: those of {@code query} (may be null), then those of the body as its {@code
     * contentType} says (a body of any other type, or none, adds nothing).
     */
    FormData parse(String query, String contentType, byte[] body) throws ApiException {
        Map<String, String> fields = new LinkedHashMap<>();
        List<FormData.Upload> files = new ArrayList<>();
        if (query != null && !query.isEmpty()) {
            parseUrlEncoded(query.getBytes(StandardCharsets.ISO_8859_1), fields);
        }
        if (contentType != null && body.length > 0) {
            String type = contentType.toLowerCase(Locale.ROOT);
            if (type.startsWith("application/x-www-form-urlencoded")) {
                parseUrlEncoded(body, fields);
            } else if (type.startsWith("multipart/form-data")) {
                parseMultipart(boundary(contentType), body, fields, files);
            }
        }
        return new FormData(fields, files);
    }

    private void parseUrlEncoded(byte[] text, Map<String, String> fields) throws ApiException {
        int start = 0;
        int count = fields.size();
        while (start <= text.length) {
            int end = indexOf(text, (byte) '&', start);
            if (end < 0) {
                end = text.length;
            }
            if (end > start) {
                if (++count > maxFields) {
                    throw ApiException.badRequest("too many form fields: at most " + maxFields);
                }
                int equals = indexOf(text, (byte) '=', start, end);
                String name = decode(text, start, equals < 0 ? end : equals);
                String value = equals < 0 ? "" : decode(text, equals + 1, end);
                fields.put(name, value);
            }
            start = end + 1;
        }
    }

    /** Percent-decodes {@code text[from, to)} as UTF-8, {@code +} for a space. */
    private static String decode(byte[] text, int from, int to) throws ApiException {
        byte[] out = new byte[to - from];
        int length = 0;
        for (int i = from; i < to; i++) {
            byte b = text[i];
            if (b == '+') {
                out[length++] = ' ';
            } else if (b == '%') {
                if (i + 2 >= to) {
                    throw ApiException.badRequest("a form field has a truncated percent escape");
                }
                int high = Character.digit(text[i + 1], 16);
                int low = Character.digit(text[i + 2], 16);
                if (high < 0 || low < 0) {
                    throw ApiException.badRequest("a form field has an invalid percent escape");
                }
                out[length++] = (byte) (high << 4 | low);
                i += 2;
            } else {
                out[length++] = b;
            }
        }
        return utf8(out, 0, length, "a form field");
    }

    private static String utf8(byte[] bytes, int from, int length, String what) throws ApiException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest(what + " is not valid UTF-8");
        }
    }

    /** The {@code boundary} parameter of a multipart content type. */
    static String boundary(String contentType) throws ApiException {
        for (String parameter : contentType.split(";")) {
            String trimmed = parameter.strip();
            if (trimmed.regionMatches(true, 0, "boundary=", 0, 9)) {
                String value = unquote(trimmed.substring(9));
                if (value.isEmpty() || value.length() > MAX_BOUNDARY_LENGTH) {
                    throw ApiException.badRequest("the multipart boundary must be 1 to " + MAX_BOUNDARY_LENGTH
                            + " characters");
                }
                return value;
            }
        }
        throw ApiException.badRequest("a multipart body without a boundary");
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    /**
     * Reads the parts between {@code --boundary} delimiters: the preamble before the first is skipped (RFC 2046),
     * the body must end with the close delimiter {@code --boundary--}.
     */
    private void parseMultipart(String boundary, byte[] body, Map<String, String> fields,
                                List<FormData.Upload> files) throws ApiException {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] partEnd = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw ApiException.badRequest("the multipart body never has its boundary");
        }
        int count = fields.size();
        at += delimiter.length;
        while (true) {
            if (startsWith(body, at, new byte[]{'-', '-'})) {
                return; // the close delimiter; what follows is the epilogue
            }
            if (!startsWith(body, at, CRLF)) {
                throw ApiException.badRequest("a multipart boundary is not followed by a line break");
            }
            at += 2;
            int headersEnd = indexOf(body, HEADER_END, at, Math.min(body.length, at + MAX_PART_HEADER_BYTES + 4));
            if (headersEnd < 0) {
                throw ApiException.badRequest("a multipart part's headers are unterminated or longer than "
                        + MAX_PART_HEADER_BYTES + " bytes");
            }
            Disposition disposition = disposition(utf8(body, at, headersEnd - at, "a multipart header"));
            int contentStart = headersEnd + HEADER_END.length;
            int contentEnd = indexOf(body, partEnd, contentStart);
            if (contentEnd < 0) {
                throw ApiException.badRequest("a multipart part is never closed by its boundary");
            }
            if (++count > maxFields) {
                throw ApiException.badRequest("too many form fields: at most " + maxFields);
            }
            if (disposition.filename() != null) {
                if (contentEnd - contentStart > maxFileBytes) {
                    throw new ApiException(413, "an uploaded file is larger than " + maxFileBytes + " bytes");
                }
                files.add(new FormData.Upload(disposition.name(), disposition.filename(),
                        Arrays.copyOfRange(body, contentStart, contentEnd)));
            } else {
                fields.put(disposition.name(), utf8(body, contentStart, contentEnd - contentStart,
                        "the multipart field " + printable(disposition.name())));
            }
            at = contentEnd + partEnd.length;
        }
    }

    private record Disposition(String name, String filename) {
    }

    /** The name and file name of a part, from its Content-Disposition header; other headers are ignored. */
    private static Disposition disposition(String headers) throws ApiException {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).strip().equalsIgnoreCase("content-disposition")) {
                continue;
            }
            String name = null;
            String filename = null;
            for (String parameter : splitParameters(line.substring(colon + 1))) {
                int equals = parameter.indexOf('=');
                if (equals < 0) {
                    continue;
                }
                String key = parameter.substring(0, equals).strip().toLowerCase(Locale.ROOT);
                String value = unquote(parameter.substring(equals + 1).strip());
                if (key.equals("name")) {
                    name = value;
                } else if (key.equals("filename")) {
                    filename = value;
                }
            }
            if (name == null) {
                throw ApiException.badRequest("a multipart part has no name");
            }
            return new Disposition(name, filename);
        }
        throw ApiException.badRequest("a multipart part has no Content-Disposition");
    }

    /** Splits on semicolons outside double quotes (a file name may hold one). */
    private static List<String> splitParameters(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    /** Text from a request made fit for a one-line message: at most 64 characters, control characters as '?'. */
    static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR ? '?' : c));
        return out.toString();
    }

    private static boolean startsWith(byte[] data, int at, byte[] prefix) {
        return at + prefix.length <= data.length
                && Arrays.equals(data, at, at + prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] data, byte value, int from) {
        return indexOf(data, value, from, data.length);
    }

    private static int indexOf(byte[] data, byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        return indexOf(data, pattern, from, data.length);
    }

    /** Where {@code pattern} starts in {@code data[from, to)}, or -1. */
    private static int indexOf(byte[] data, byte[] pattern, int from, int to) {
        int last = to - pattern.length;
        byte first = pattern[0];
        for (int i = from; i <= last; i++) {
            if (data[i] == first && Arrays.equals(data, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        return -1;
    }
}
