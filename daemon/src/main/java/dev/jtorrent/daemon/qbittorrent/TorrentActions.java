package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.session.FilePriority;
import dev.jtorrent.session.SeedLimits;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.TorrentHandle;
import dev.jtorrent.session.TorrentStatus;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The endpoints that act on torrents named by {@code hashes} ({@code all}, or hashes separated by {@code |};
 * unknown ones skipped): pause and resume (and 5.0's stop and start), delete, recheck, move, file priorities,
 * limits, sequential download, force start, share limits and the queue moves. Those that need what the session
 * cannot do (renaming the torrent itself, a seeding time limit) answer 409 saying so.
 */
final class TorrentActions {
    private static final Logger LOG = System.getLogger(TorrentActions.class.getName());
    static final String NO_QUEUE = "Torrent queueing must be enabled";

    private final Backend backend;

    TorrentActions(Backend backend) {
        this.backend = backend;
    }

    void register(Routes routes) {
        routes.post("torrents/pause", call -> each(call, torrent -> torrent.handle().pause()))
                .post("torrents/stop", call -> each(call, torrent -> torrent.handle().pause()))
                .post("torrents/resume", call -> each(call, torrent -> start(torrent, false)))
                .post("torrents/start", call -> each(call, torrent -> start(torrent, false)))
                .post("torrents/recheck", call -> each(call, this::recheck))
                .post("torrents/delete", this::delete)
                .post("torrents/setLocation", this::setLocation)
                .post("torrents/filePrio", this::filePriority)
                .post("torrents/setDownloadLimit", call -> limit(call, true))
                .post("torrents/setUploadLimit", call -> limit(call, false))
                .post("torrents/downloadLimit", call -> limits(call, true))
                .post("torrents/uploadLimit", call -> limits(call, false))
                .post("torrents/toggleSequentialDownload",
                        call -> each(call, torrent -> torrent.handle().setSequential(!torrent.handle().sequential())))
                .post("torrents/setForceStart", this::setForceStart)
                .post("torrents/topPrio", call -> queue(call, true, TorrentHandle::moveQueueToTop))
                .post("torrents/bottomPrio", call -> queue(call, false, TorrentHandle::moveQueueToBottom))
                .post("torrents/increasePrio", call -> queue(call, false, TorrentHandle::moveQueueUp))
                .post("torrents/decreasePrio", call -> queue(call, true, TorrentHandle::moveQueueDown))
                .post("torrents/setShareLimits", this::setShareLimits)
                .post("torrents/reannounce", call -> each(call, torrent -> torrent.handle().reannounce()))
                .post("torrents/rename", call -> missing(call,
                        "rename is not supported yet: a torrent's name is its metadata's (renameFile and"
                                + " renameFolder rename its files)", "hash", "name"));
    }

    /** An action on one torrent. */
    @FunctionalInterface
    interface Action {
        void apply(DaemonTorrent torrent) throws ApiException;
    }

    /** Applies an action to each torrent named; one removed meanwhile is skipped. */
    private Reply each(Call call, Action action) throws ApiException {
        for (DaemonTorrent torrent : backend.select(call.require("hashes"))) {
            try {
                action.apply(torrent);
            } catch (IllegalStateException removed) {
                LOG.log(Level.DEBUG, "qBittorrent API: " + torrent + ": " + removed.getMessage());
            }
        }
        return Reply.ok();
    }

    private void recheck(DaemonTorrent torrent) {
        if (torrent.handle().torrent().isPresent()) {
            torrent.handle().recheck().exceptionally(failure -> {
                LOG.log(Level.DEBUG, "qBittorrent API: the check of " + torrent + " ended: " + failure);
                return null;
            });
        }
    }

    private Reply delete(Call call) throws ApiException {
        String hashes = call.require("hashes");
        call.require("deleteFiles");
        boolean deleteFiles = call.bool("deleteFiles").orElse(false);
        for (DaemonTorrent torrent : backend.select(hashes)) {
            try {
                backend.torrents().remove(torrent, deleteFiles);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "qBittorrent API: " + torrent + " removed, but not all its files: " + e);
            } catch (IllegalStateException removed) {
                // removed by another request meanwhile
            }
        }
        return Reply.ok();
    }

    private Reply setLocation(Call call) throws ApiException {
        String hashes = call.require("hashes");
        String location = call.require("location").strip();
        if (location.isEmpty()) {
            throw ApiException.badRequest("Save path cannot be empty");
        }
        Path directory = SavePaths.of(location);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw ApiException.conflict("Cannot make save path");
        }
        for (DaemonTorrent torrent : backend.select(hashes)) {
            TorrentHandle handle = torrent.handle();
            try {
                if (handle.torrent().isPresent() && !handle.directory().equals(directory)) {
                    handle.moveStorage(directory).exceptionally(failure -> {
                        LOG.log(Level.WARNING, "qBittorrent API: the move of " + torrent + " to " + directory
                                + " failed: " + failure.getMessage());
                        return null;
                    });
                }
            } catch (IllegalStateException | UnsupportedOperationException e) {
                LOG.log(Level.WARNING, "qBittorrent API: " + torrent + " cannot move: " + e.getMessage());
            }
        }
        return Reply.ok();
    }

    /** qBittorrent's priorities to ours: 0 skip, 1 normal, 6 high, 7 maximal (high too). */
    static FilePriority priority(int value) throws ApiException {
        return switch (value) {
            case 0 -> FilePriority.SKIP;
            case 1 -> FilePriority.NORMAL;
            case 6, 7 -> FilePriority.HIGH;
            default -> throw ApiException.badRequest("Priority is not valid");
        };
    }

    private Reply filePriority(Call call) throws ApiException {
        String hash = call.require("hash");
        String ids = call.require("id");
        String priorityText = call.require("priority");
        FilePriority priority;
        try {
            priority = priority(Integer.parseInt(priorityText.strip()));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Priority must be an integer");
        }
        DaemonTorrent torrent = backend.find(hash).orElseThrow(ApiException::notFound);
        if (torrent.handle().torrent().isEmpty()) {
            throw ApiException.conflict("Torrent's metadata has not yet downloaded");
        }
        int files = torrent.handle().torrent().get().info().contentFiles().size();
        List<Integer> indexes = new ArrayList<>();
        for (String id : ids.split("\\|")) {
            int index;
            try {
                index = Integer.parseInt(id.strip());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("File IDs must be integers");
            }
            if (index < 0 || index >= files) {
                throw ApiException.conflict("File ID is not valid");
            }
            indexes.add(index);
        }
        for (int index : indexes) {
            torrent.handle().setFilePriority(index, priority);
        }
        return Reply.ok();
    }

    /** {@code limit} in bytes a second; 0 or less is none. */
    private Reply limit(Call call, boolean download) throws ApiException {
        String hashes = call.require("hashes");
        call.require("limit");
        long limit = Math.max(0, call.longOrZero("limit"));
        for (DaemonTorrent torrent : backend.select(hashes)) {
            try {
                if (download) {
                    torrent.handle().setDownloadLimit(limit);
                } else {
                    torrent.handle().setUploadLimit(limit);
                }
            } catch (IllegalStateException removed) {
                // removed meanwhile
            }
        }
        return Reply.ok();
    }

    /** Each torrent's limit by hash, 0 for none. */
    private Reply limits(Call call, boolean download) throws ApiException {
        List<DaemonTorrent> torrents = backend.select(call.require("hashes"));
        return Reply.json(json -> {
            json.writeStartObject();
            for (DaemonTorrent torrent : torrents) {
                try {
                    long limit = download ? torrent.handle().downloadLimit() : torrent.handle().uploadLimit();
                    json.writeNumberProperty(torrent.infoHash().hex(), limit);
                } catch (IllegalStateException removed) {
                    // removed meanwhile
                }
            }
            json.writeEndObject();
        });
    }

    /**
     * Starts a torrent, force-started ({@code forced}) past the session's queue or not, as qBittorrent's {@code
     * resume(mode)}: a plain resume takes a force start back, so the torrent goes by the queue again.
     */
    private static void start(DaemonTorrent torrent, boolean forced) {
        torrent.handle().setForceStart(forced);
        torrent.handle().resume();
    }

    /**
     * {@code value=true} force-starts the torrents, {@code false} starts them under the queue: qBittorrent resumes
     * them either way ({@code resume(Forced)} or {@code resume(AutoManaged)}).
     */
    private Reply setForceStart(Call call) throws ApiException {
        call.require("hashes");
        call.require("value");
        boolean forced = call.bool("value").orElse(false);
        return each(call, torrent -> start(torrent, forced));
    }

    /**
     * A queue move of the torrents named, each in turn from the first of them in queue order ({@code
     * descending}: from the last), as qBittorrent orders them; complete torrents are left alone, since qBittorrent
     * ranks only downloads (libtorrent gives a seed no place). 409 while both of the session's queues are off, as
     * qBittorrent answers with its queueing off.
     */
    private Reply queue(Call call, boolean descending, Consumer<TorrentHandle> move) throws ApiException {
        String hashes = call.require("hashes");
        if (!queueing(backend.session())) {
            throw ApiException.conflict(NO_QUEUE);
        }
        List<TorrentHandle> handles = new ArrayList<>();
        Map<TorrentHandle, Integer> positions = new HashMap<>();
        for (DaemonTorrent torrent : backend.select(hashes)) {
            try {
                TorrentStatus status = torrent.handle().status();
                if (status.wantedBytes() == 0 || status.bytesLeft() > 0) {
                    positions.put(torrent.handle(), torrent.handle().queuePosition());
                    handles.add(torrent.handle());
                }
            } catch (IllegalStateException removed) {
                // removed meanwhile
            }
        }
        Comparator<TorrentHandle> order = Comparator.comparingInt(positions::get);
        handles.sort(descending ? order.reversed() : order);
        for (TorrentHandle handle : handles) {
            try {
                move.accept(handle);
            } catch (IllegalStateException removed) {
                // removed meanwhile
            }
        }
        return Reply.ok();
    }

    /** qBittorrent's {@code queueing_enabled}: the session's download or seed queue is on. */
    static boolean queueing(Session session) {
        return session.downloadQueueEnabled() || session.seedQueueEnabled();
    }

    /**
     * {@code setShareLimits}: each torrent's ratio and inactive seeding time limits, checked before anything
     * changes. qBittorrent 4.6 requires {@code inactiveSeedingTimeLimit}; clients written for earlier versions
     * leave it out, so it defaults to -2 (the global one). A seeding time limit the session cannot keep answers
     * 409 ({@link ShareLimits}).
     */
    private Reply setShareLimits(Call call) throws ApiException {
        String hashes = call.require("hashes");
        double ratio;
        long seedingTime;
        long inactive;
        try {
            ratio = Double.parseDouble(call.require("ratioLimit").strip());
            seedingTime = Long.parseLong(call.require("seedingTimeLimit").strip());
            String inactiveText = call.get("inactiveSeedingTimeLimit").strip();
            inactive = inactiveText.isEmpty() ? ShareLimits.USE_GLOBAL : Long.parseLong(inactiveText);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Share limits must be numbers");
        }
        if (seedingTime >= 0) {
            throw ApiException.conflict(ShareLimits.NO_SEEDING_TIME);
        }
        ShareLimits.withRatio(SeedLimits.SESSION, ratio); // a NaN fails here, before any change
        return each(call, torrent -> torrent.handle().setSeedLimits(ShareLimits.withInactive(
                ShareLimits.withRatio(torrent.handle().seedLimits(), ratio), inactive)));
    }

    /** An endpoint whose parameters are checked, but which the session cannot carry out yet: 409 saying why. */
    private static Reply missing(Call call, String why, String... required) throws ApiException {
        for (String name : required) {
            call.require(name);
        }
        throw ApiException.conflict(why);
    }
}
