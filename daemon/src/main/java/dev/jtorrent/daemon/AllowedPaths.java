package dev.jtorrent.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories a request may name, and the check every API makes before it reads or writes a path a request
 * gave (a torrent's download dir, a set-location, a web file): the download dirs, the watch dir and the web home.
 *
 * <p>A path is allowed when it lies under one of them once made absolute, normalised ({@code ..} resolved) and its
 * longest existing part resolved through symbolic links: a link inside an allowed directory that points outside it
 * is refused, and so is a name that climbs out with {@code ..}. A path whose parts do not exist yet (a new
 * download dir) is judged by the part that does. What a link made after the check points to is the storage's
 * concern (it refuses any symbolic link under a torrent's root); this check keeps a request from naming a place.
 */
public final class AllowedPaths {
    private final List<Path> roots;

    /** @param roots the allowed directories; those that do not exist yet are taken as they are written */
    public AllowedPaths(List<Path> roots) {
        List<Path> real = new ArrayList<>();
        for (Path root : roots) {
            Path absolute = root.toAbsolutePath().normalize();
            Path resolved = realOfExisting(absolute);
            real.add(resolved != null ? resolved : absolute);
        }
        this.roots = List.copyOf(real);
    }

    /** The allowed directories, resolved. */
    public List<Path> roots() {
        return roots;
    }

    /**
     * {@code requested} as the absolute, resolved path it names, if it is in an allowed directory.
     *
     * @throws PathNotAllowedException if it is relative, not a path, or outside every allowed directory
     */
    public Path check(String requested) throws PathNotAllowedException {
        Path path;
        try {
            path = Path.of(requested);
        } catch (InvalidPathException e) {
            throw new PathNotAllowedException("not a path: " + requested);
        }
        if (!path.isAbsolute()) {
            throw new PathNotAllowedException("not an absolute path: " + requested);
        }
        return within(path);
    }

    /**
     * The file {@code relative} names under {@code root} (a web file under the web home), if it stays there.
     *
     * @throws PathNotAllowedException if it is absolute, climbs out with {@code ..}, or leads out through a link
     */
    public Path resolve(Path root, String relative) throws PathNotAllowedException {
        Path path;
        try {
            path = Path.of(relative);
        } catch (InvalidPathException e) {
            throw new PathNotAllowedException("not a path: " + relative);
        }
        if (path.isAbsolute() || path.getRoot() != null) {
            throw new PathNotAllowedException("not a relative path: " + relative);
        }
        for (Path name : path) {
            if (name.toString().equals("..")) {
                throw new PathNotAllowedException("a path may not climb out with ..: " + relative);
            }
        }
        Path real = within(root.toAbsolutePath().normalize().resolve(path));
        Path realRoot = realOfExisting(root.toAbsolutePath().normalize());
        if (realRoot == null || !real.startsWith(realRoot)) {
            throw new PathNotAllowedException("outside " + root + ": " + relative);
        }
        return real;
    }

    private Path within(Path absolute) throws PathNotAllowedException {
        Path real = realOfExisting(absolute.normalize());
        for (Path root : roots) {
            if (real != null && real.startsWith(root)) {
                return real;
            }
        }
        throw new PathNotAllowedException("outside the allowed directories (the download dirs, the watch dir and"
                + " the web home): " + absolute);
    }

    /**
     * The path with its longest existing part resolved through links, the rest appended as written; null when that
     * part cannot be resolved (a dangling link, a loop), which no check lets through.
     */
    private static Path realOfExisting(Path absolute) {
        Path existing = absolute;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException e) {
            return null;
        }
    }

    /** A path a request named that it may not. */
    public static final class PathNotAllowedException extends Exception {
        private static final long serialVersionUID = 1L;

        public PathNotAllowedException(String message) {
            super(message);
        }
    }
}
