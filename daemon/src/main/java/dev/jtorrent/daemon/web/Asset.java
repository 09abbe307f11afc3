package dev.jtorrent.daemon.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * One file of the web UI as it is served: its bytes, its gzip form when that saves at least {@link #MIN_SAVING}
 * (compressed once, when the daemon starts, so serving it costs nothing), its content type, and an ETag from its
 * SHA-256.
 *
 * @param gzipped the gzip form, or null when it would save too little to be worth a {@code Vary}ed second form
 */
record Asset(byte[] bytes, byte[] gzipped, String contentType, String etag) {
    /** The fraction of its size that gzip must save for the compressed form to be served. */
    static final double MIN_SAVING = 0.1;

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=UTF-8",
            "css", "text/css; charset=UTF-8",
            "js", "text/javascript; charset=UTF-8",
            "svg", "image/svg+xml");

    static Asset of(String name, byte[] bytes) {
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String type = TYPES.get(extension);
        if (type == null) {
            throw new IllegalArgumentException("no content type for the web UI's " + name);
        }
        byte[] gzipped = gzip(bytes);
        boolean worthIt = gzipped.length <= bytes.length * (1 - MIN_SAVING);
        return new Asset(bytes, worthIt ? gzipped : null, type, etag(bytes));
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
