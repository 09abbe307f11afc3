package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.session.TrackerStatus;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * The endpoints that edit one torrent: its trackers ({@code addTrackers}, {@code editTracker}, {@code
 * removeTrackers}) and the names of its files and folders ({@code renameFile}, {@code renameFolder}), with
 * qBittorrent's parameters and answers: 404 for an unknown hash, 409 with its messages for what cannot be done.
 */
final class TorrentEdits {
    private static final Logger LOG = System.getLogger(TorrentEdits.class.getName());

    private final Backend backend;

    TorrentEdits(Backend backend) {
        this.backend = backend;
    }

    void register(Routes routes) {
        routes.post("torrents/addTrackers", this::addTrackers)
                .post("torrents/editTracker", this::editTracker)
                .post("torrents/removeTrackers", this::removeTrackers)
                .post("torrents/renameFile", this::rename)
                .post("torrents/renameFolder", this::rename);
    }

    private DaemonTorrent torrent(Call call) throws ApiException {
        return backend.find(call.require("hash")).orElseThrow(ApiException::notFound);
    }

    /** {@code urls}, one a line: each in a tier of its own after the others; one that is no tracker is skipped. */
    private Reply addTrackers(Call call) throws ApiException {
        DaemonTorrent torrent = torrent(call);
        for (String line : call.require("urls").split("\n")) {
            String url = line.strip();
            if (url.isEmpty()) {
                continue;
            }
            try {
                torrent.handle().addTracker(url);
            } catch (IllegalArgumentException e) {
                LOG.log(Level.INFO, "qBittorrent API: " + torrent + ": tracker not added: " + e.getMessage());
            }
        }
        return Reply.ok();
    }

    private Reply editTracker(Call call) throws ApiException {
        DaemonTorrent torrent = torrent(call);
        String old = call.require("origUrl");
        String url = call.require("newUrl");
        if (old.equals(url)) {
            return Reply.ok();
        }
        List<String> urls = torrent.handle().trackers().stream().map(TrackerStatus::url).toList();
        if (urls.contains(url)) {
            throw ApiException.conflict("New tracker URL already exists");
        }
        if (!urls.contains(old)) {
            throw ApiException.conflict("Tracker not found");
        }
        try {
            torrent.handle().replaceTracker(old, url);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("New tracker URL is invalid");
        }
        torrent.handle().reannounce();
        return Reply.ok();
    }

    /** {@code urls} separated by {@code |}; those the torrent does not have are ignored, as in qBittorrent. */
    private Reply removeTrackers(Call call) throws ApiException {
        DaemonTorrent torrent = torrent(call);
        for (String url : call.require("urls").split("\\|")) {
            torrent.handle().removeTracker(url);
        }
        return Reply.ok();
    }

    /**
     * {@code oldPath} and {@code newPath} as {@code files} names them; the session renames in place, so the two may
     * differ in their last name only (qBittorrent can also move a file to another folder: 409 here).
     */
    private Reply rename(Call call) throws ApiException {
        DaemonTorrent torrent = torrent(call);
        String oldPath = stripSlashes(call.require("oldPath"));
        String newPath = stripSlashes(call.require("newPath"));
        int oldSlash = oldPath.lastIndexOf('/');
        int newSlash = newPath.lastIndexOf('/');
        if (oldSlash != newSlash || !oldPath.substring(0, oldSlash + 1).equals(newPath.substring(0, newSlash + 1))) {
            throw ApiException.conflict("only the last name of a path can change: " + FormParser.printable(oldPath)
                    + " to " + FormParser.printable(newPath));
        }
        try {
            torrent.handle().renamePath(oldPath, newPath.substring(newSlash + 1)).exceptionally(failure -> {
                LOG.log(Level.WARNING, "qBittorrent API: " + torrent + ": the rename of " + oldPath + " failed: "
                        + failure.getMessage());
                return null;
            });
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw ApiException.conflict(e.getMessage());
        }
        return Reply.ok();
    }

    private static String stripSlashes(String path) {
        String stripped = path.strip();
        while (stripped.endsWith("/")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        return stripped;
    }
}
