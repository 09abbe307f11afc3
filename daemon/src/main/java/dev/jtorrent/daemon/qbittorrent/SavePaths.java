package dev.jtorrent.daemon.qbittorrent;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The directories a client may name ({@code savepath}, {@code location}, a category's {@code savePath}): absolute,
 * and without a {@code ..} element, so that no request reaches outside the directory it names by climbing out of
 * it. This is the first wall only: the daemon's {@code AllowedPaths} (the download directories its settings allow)
 * is to be checked here too once it lands.
 */
final class SavePaths {
    private SavePaths() {
    }

    /** The directory {@code text} names: 400 if it is relative, holds {@code ..} or is not a path at all. */
    static Path of(String text) throws ApiException {
        Path path;
        try {
            path = Path.of(text);
        } catch (InvalidPathException e) {
            throw ApiException.badRequest("not a valid path: " + text);
        }
        if (!path.isAbsolute()) {
            throw ApiException.badRequest("the path must be absolute: " + text);
        }
        for (Path element : path) {
            if (element.toString().equals("..")) {
                throw ApiException.badRequest("the path must not hold '..': " + text);
            }
        }
        return path.normalize();
    }
}
