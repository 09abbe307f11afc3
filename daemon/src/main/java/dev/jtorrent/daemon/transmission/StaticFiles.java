package dev.jtorrent.daemon.transmission;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The web client's files under {@code /transmission/web/}, from the configured web home, and nothing outside it:
 * a path that leaves it, by {@code ..} or by a symbolic link, is not found.
 */
final class StaticFiles {
    /** The largest file served: a web client's biggest bundle is a few MiB. */
    static final long MAX_FILE = 32L * 1024 * 1024;

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=UTF-8"), Map.entry("htm", "text/html; charset=UTF-8"),
            Map.entry("js", "text/javascript; charset=UTF-8"), Map.entry("mjs", "text/javascript; charset=UTF-8"),
            Map.entry("css", "text/css; charset=UTF-8"), Map.entry("json", "application/json"),
            Map.entry("map", "application/json"), Map.entry("png", "image/png"), Map.entry("gif", "image/gif"),
            Map.entry("jpg", "image/jpeg"), Map.entry("svg", "image/svg+xml"), Map.entry("ico", "image/x-icon"),
            Map.entry("webmanifest", "application/manifest+json"), Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"), Map.entry("txt", "text/plain"));

    /** What a lookup found: the file's bytes and type, or why there is none. */
    sealed interface Lookup {
        record Found(byte[] bytes, String contentType) implements Lookup {
        }

        record NotFound(String page) implements Lookup {
        }
    }

    private final Optional<Path> home;

    StaticFiles(Optional<Path> home) {
        this.home = home.map(dir -> {
            try {
                return dir.toRealPath();
            } catch (IOException e) {
                return dir.toAbsolutePath().normalize();
            }
        });
    }

    /** @param relative the path below {@code /transmission/web/}, decoded; empty for the index */
    Lookup find(String relative) {
        if (home.isEmpty()) {
            return new Lookup.NotFound(Pages.NO_WEB_HOME);
        }
        Path root = home.get();
        String name = relative.isEmpty() || relative.endsWith("/") ? relative + "index.html" : relative;
        Path file;
        try {
            file = root.resolve(name).normalize();
        } catch (InvalidPathException e) {
            return new Lookup.NotFound(Pages.NOT_FOUND);
        }
        if (!file.startsWith(root) || name.startsWith("/")) {
            return new Lookup.NotFound(Pages.TRAVERSAL);
        }
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(root)) {
                return new Lookup.NotFound(Pages.TRAVERSAL);
            }
            if (Files.isDirectory(real)) {
                real = real.resolve("index.html");
            }
            if (!Files.isRegularFile(real) || Files.size(real) > MAX_FILE) {
                return new Lookup.NotFound(Pages.NOT_FOUND);
            }
            return new Lookup.Found(Files.readAllBytes(real), type(real));
        } catch (IOException e) {
            return new Lookup.NotFound(Pages.NOT_FOUND);
        }
    }

    private static String type(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }
}
