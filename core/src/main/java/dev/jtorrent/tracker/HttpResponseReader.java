package dev.jtorrent.tracker;

import dev.jtorrent.net.DeadlineInputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one HTTP/1.1 response (RFC 9112) from a connection that closes after it, as hostile input. Every part is
 * bounded: the header section (with those of any interim 1xx responses) to {@link #MAX_HEAD}, each chunk-size line
 * to {@link #MAX_CHUNK_LINE}, and the body to the cap however it is framed, where a declared length over the cap is
 * refused before a byte of the body is read. Time is bounded by the stream (see {@link DeadlineInputStream}). Lines
 * may end in CRLF or a bare LF, as RFC 9112 allows.
 */
final class HttpResponseReader {
    static final int MAX_HEAD = 64 * 1024;
    static final int MAX_CHUNK_LINE = 4 * 1024;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d\\.\\d (\\d{3})(?: .*)?");
    private static final Pattern FIELD_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final int MAX_QUOTE = 40;

    private final InputStream in;
    private final int maxBody;
    private int headLeft = MAX_HEAD;

    private HttpResponseReader(InputStream in, int maxBody) {
        this.in = in;
        this.maxBody = maxBody;
    }

    /**
     * Reads the response from {@code in}, which must support {@link InputStream#mark} and should be buffered: the
     * head is read a byte at a time.
     *
     * @throws IOException      when reading fails, as a timeout of the underlying socket does
     * @throws TrackerException when the response breaks HTTP, is over a cap, or ends early
     */
    static HttpTransport.Reply read(InputStream in, int maxBody) throws IOException, TrackerException {
        return new HttpResponseReader(in, maxBody).response();
    }

    /** A status line and its header fields; field names in lower case, each with its values in order. */
    private record Head(int status, Map<String, List<String>> fields) {
        Optional<String> first(String name) {
            List<String> values = fields.get(name);
            return values == null ? Optional.empty() : Optional.of(values.getFirst());
        }

        /** All values of a list-valued field joined as one, as RFC 9110 section 5.3 allows. */
        Optional<String> joined(String name) {
            List<String> values = fields.get(name);
            return values == null ? Optional.empty() : Optional.of(String.join(", ", values));
        }
    }

    private HttpTransport.Reply response() throws IOException, TrackerException {
        if (!firstByteArrives()) {
            // As good as unreachable: an overloaded server or a proxy with no backend accepts and hangs up.
            throw HttpErrors.unreachable("the connection closed without a reply");
        }
        Head head = head();
        while (head.status() >= 100 && head.status() < 200) {
            // An interim response (100 Continue, 103 Early Hints): the real one follows.
            head = head();
        }
        return new HttpTransport.Reply(head.status(), head.first("location"), head.first("content-encoding"),
                body(head));
    }

    private boolean firstByteArrives() throws IOException {
        in.mark(1);
        boolean arrived = in.read() >= 0;
        in.reset();
        return arrived;
    }

    private Head head() throws IOException, TrackerException {
        String statusLine = headLine();
        Matcher m = STATUS_LINE.matcher(statusLine);
        if (!m.matches()) {
            throw HttpErrors.badReply("malformed HTTP status line " + quote(statusLine));
        }
        return new Head(Integer.parseInt(m.group(1)), fields());
    }

    /** Header fields up to the empty line that ends them; obsolete line folding becomes a space. */
    private Map<String, List<String>> fields() throws IOException, TrackerException {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        List<String> last = null;
        for (String line = headLine(); !line.isEmpty(); line = headLine()) {
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (last == null) {
                    throw HttpErrors.badReply("malformed HTTP header line " + quote(line));
                }
                last.set(last.size() - 1, last.getLast() + " " + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0 || !FIELD_NAME.matcher(line.substring(0, colon)).matches()) {
                throw HttpErrors.badReply("malformed HTTP header line " + quote(line));
            }
            last = fields.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>());
            last.add(line.substring(colon + 1).strip());
        }
        return fields;
    }

    /** RFC 9112 section 6.3: how the body is delimited decides how it is read. */
    private byte[] body(Head head) throws IOException, TrackerException {
        if (head.status() == 204 || head.status() == 304) {
            return new byte[0];
        }
        Optional<String> transferEncoding = head.joined("transfer-encoding");
        if (transferEncoding.isPresent()) {
            if (!transferEncoding.get().equalsIgnoreCase("chunked")) {
                throw HttpErrors.badReply("unsupported Transfer-Encoding " + quote(transferEncoding.get()));
            }
            return chunked();
        }
        Optional<String> contentLength = head.joined("content-length");
        if (contentLength.isPresent()) {
            return exactly(contentLength(contentLength.get()));
        }
        return untilClose();
    }

    /** A Content-Length, repeated identically at most (a list such as "42, 42" is one length said twice). */
    private static long contentLength(String value) throws TrackerException {
        String[] values = value.split(",", -1);
        String first = values[0].strip();
        boolean valid = first.matches("[0-9]{1,18}");
        for (String v : values) {
            valid &= v.strip().equals(first);
        }
        if (!valid) {
            throw HttpErrors.badReply("invalid Content-Length " + quote(value));
        }
        return Long.parseLong(first);
    }

    private byte[] exactly(long length) throws IOException, TrackerException {
        if (length > maxBody) {
            throw HttpErrors.tooLarge();
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw closedEarly();
        }
        return body;
    }

    private byte[] untilClose() throws IOException, TrackerException {
        byte[] body = in.readNBytes(maxBody + 1);
        if (body.length > maxBody) {
            throw HttpErrors.tooLarge();
        }
        return body;
    }

    /** RFC 9112 section 7.1: chunks, each after its size in hex and any extensions, up to a last chunk of size 0. */
    private byte[] chunked() throws IOException, TrackerException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (long size = chunkSize(); size > 0; size = chunkSize()) {
            if (size > maxBody - body.size()) {
                throw HttpErrors.tooLarge();
            }
            byte[] chunk = in.readNBytes((int) size);
            if (chunk.length < size) {
                throw closedEarly();
            }
            body.write(chunk);
            chunkEnd();
        }
        // The trailer section is left unread: nothing a tracker could say there matters, and the connection closes
        // after the reply, so a server that never finishes it costs no wait.
        return body.toByteArray();
    }

    /** The size that starts a chunk, after which come any extensions. */
    private long chunkSize() throws IOException, TrackerException {
        String line = withoutCr(line(MAX_CHUNK_LINE, "chunk size line over 4 KiB"));
        int semicolon = line.indexOf(';');
        String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
        long size = parseHex(hex);
        if (size < 0) {
            throw HttpErrors.badReply("chunk size " + quote(hex) + " is not hexadecimal");
        }
        return size;
    }

    /** {@code digits} as a hexadecimal number saturated at 2^31 (no cap is that large), or -1 if they are not one. */
    private static long parseHex(String digits) {
        if (digits.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (!HexFormat.isHexDigit(c)) {
                return -1;
            }
            value = Math.min(value * 16 + HexFormat.fromHexDigit(c), Integer.MAX_VALUE + 1L);
        }
        return value;
    }

    /** The line end that must follow a chunk's data, CRLF or a bare LF. */
    private void chunkEnd() throws IOException, TrackerException {
        int b = in.read();
        if (b == '\r') {
            b = in.read();
        }
        if (b != '\n') {
            throw b < 0 ? closedEarly() : HttpErrors.badReply("chunk data longer than its size");
        }
    }

    /** A line of the header section, charged to its {@link #MAX_HEAD} budget. */
    private String headLine() throws IOException, TrackerException {
        String line = line(headLeft, "HTTP header section larger than 64 KiB");
        headLeft -= line.length() + 1;
        return withoutCr(line);
    }

    /**
     * Reads a line of ISO-8859-1 text up to a LF, and returns it without the LF; see {@link #withoutCr}.
     *
     * @param limit   the most bytes the line may have, its LF included
     * @param tooLong what the error says once the line passes the limit
     */
    private String line(int limit, String tooLong) throws IOException, TrackerException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw closedEarly();
            }
            if (line.length() + 1 >= limit) {
                throw HttpErrors.badReply(tooLong);
            }
            line.append((char) b);
        }
        return line.toString();
    }

    /** A line as HTTP means it: the CR of a CRLF is part of the line end, though a bare LF is accepted too. */
    private static String withoutCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static TrackerException closedEarly() {
        return new TrackerException("tracker closed the connection before its reply was complete");
    }

    /** A bit of the reply for an error message: one line, short, between quotes. */
    private static String quote(String text) {
        String clean = HttpTrackerReply.oneLine(text);
        return "'" + (clean.length() <= MAX_QUOTE ? clean : clean.substring(0, MAX_QUOTE) + "...") + "'";
    }
}
