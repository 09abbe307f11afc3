package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.session.IpFilter;
import dev.jtorrent.session.IpFilterParser;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.TorrentState;
import dev.jtorrent.session.TorrentStatus;
import tools.jackson.core.JsonGenerator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The session methods besides session-get: session-set, session-stats, free-space, port-test, blocklist-update and
 * the bandwidth groups.
 */
final class SessionMethods {
    static final String DIR_MISSING = "directory path argument is missing";
    static final String NO_SUCH_DIR = "No such file or directory";
    static final String BLOCKLIST_PREFIX = "gotNewBlocklist: ";
    static final String NO_GROUPS = "bandwidth groups are not supported yet";

    private SessionMethods() {
    }

    /**
     * session-set: applies the keys jtorrent can change at once (download directory, speed limits and the turtle
     * with its schedule, the global peer limit, whether adds start, the blocklist URL, the download and seed queues
     * and the stalled rule, the session's seed ratio and idle limits) and, as 3.00 does, accepts the others without
     * a word. A relative or disallowed download directory fails the whole request before anything changes. Numbers
     * out of range are brought within it: queue sizes 0 or more, minutes within 1 and 65,535; a negative or
     * non-finite ratio is ignored.
     */
    static Body set(Arguments args, RpcState state) throws RpcException {
        Optional<Path> downloadDir = Optional.empty();
        Optional<String> dir = args.string("download-dir");
        if (dir.isPresent()) {
            downloadDir = Optional.of(TorrentAdd.allowedDirectory(dir.get(), state, TorrentAdd.DIR_NOT_ABSOLUTE,
                    TorrentAdd.DIR_NOT_ALLOWED));
        }
        SessionSettings settings = state.settings();
        downloadDir.ifPresent(settings::setDownloadDir);
        Long down = TorrentSet.boxed(args, "speed-limit-down");
        Boolean downOn = args.bool("speed-limit-down-enabled").orElse(null);
        if (down != null || downOn != null) {
            settings.setSpeedLimitDown(down, downOn);
        }
        Long up = TorrentSet.boxed(args, "speed-limit-up");
        Boolean upOn = args.bool("speed-limit-up-enabled").orElse(null);
        if (up != null || upOn != null) {
            settings.setSpeedLimitUp(up, upOn);
        }
        Long altDown = TorrentSet.boxed(args, "alt-speed-down");
        Long altUp = TorrentSet.boxed(args, "alt-speed-up");
        Boolean altOn = args.bool("alt-speed-enabled").orElse(null);
        if (altDown != null || altUp != null || altOn != null) {
            settings.setAltSpeed(altDown, altUp, altOn);
        }
        settings.setAltSpeedTime(args.bool("alt-speed-time-enabled").orElse(null),
                TorrentSet.boxed(args, "alt-speed-time-begin"), TorrentSet.boxed(args, "alt-speed-time-end"),
                TorrentSet.boxed(args, "alt-speed-time-day"));
        var peers = args.integer("peer-limit-global");
        if (peers.isPresent() && peers.getAsLong() >= 1) {
            state.session().setMaxConnections((int) Math.min(peers.getAsLong(), Integer.MAX_VALUE));
        }
        args.bool("start-added-torrents").ifPresent(settings::setStartAddedTorrents);
        args.string("blocklist-url").ifPresent(settings::setBlocklistUrl);
        // Off drops the list in force; blocklist-update fetches it again.
        args.bool("blocklist-enabled").filter(on -> !on).ifPresent(off -> state.session().setIpFilter(IpFilter.NONE));
        args.decimal("seedRatioLimit").ifPresent(settings::setSeedRatioLimit);
        args.integer("idle-seeding-limit").ifPresent(settings::setIdleSeedingLimit);
        queues(args, state.session());
        return Body.EMPTY;
    }

    /** The queue keys of session-set, each straight into the session, where it takes effect at once. */
    private static void queues(Arguments args, Session session) {
        args.bool("seedRatioLimited").ifPresent(session::setSeedRatioLimited);
        args.bool("idle-seeding-limit-enabled").ifPresent(session::setSeedIdleLimited);
        args.integer("download-queue-size").ifPresent(size -> session.setDownloadQueueSize(queueSize(size)));
        args.bool("download-queue-enabled").ifPresent(session::setDownloadQueueEnabled);
        args.integer("seed-queue-size").ifPresent(size -> session.setSeedQueueSize(queueSize(size)));
        args.bool("seed-queue-enabled").ifPresent(session::setSeedQueueEnabled);
        args.integer("queue-stalled-minutes").ifPresent(minutes ->
                session.setQueueStalledAfter(SeedLimitModes.idle(minutes)));
        args.bool("queue-stalled-enabled").ifPresent(session::setQueueStalledEnabled);
    }

    private static int queueSize(long size) {
        return (int) Math.max(0, Math.min(size, Integer.MAX_VALUE));
    }

    /**
     * session-stats. The current and cumulative figures are the same until the daemon keeps totals across
     * restarts: bytes of the torrents here and of those removed since the start.
     */
    static Body stats(Arguments args, RpcState state) {
        Dialect d = args.dialect();
        int active = 0;
        int paused = 0;
        long downloaded = state.removedDownloaded();
        long uploaded = state.removedUploaded();
        double downRate = 0;
        double upRate = 0;
        int count = 0;
        for (DaemonTorrent torrent : state.table().all()) {
            TorrentStatus status;
            try {
                status = torrent.handle().status();
            } catch (IllegalStateException removedMeanwhile) {
                continue;
            }
            count++;
            if (status.state() instanceof TorrentState.Paused || status.state() instanceof TorrentState.Failed) {
                paused++;
            } else {
                active++;
            }
            downloaded += status.downloaded();
            uploaded += status.uploaded();
            downRate += status.downloadRate();
            upRate += status.uploadRate();
        }
        long seconds = Duration.between(state.started(), state.clock().instant()).toSeconds();
        long totalDown = downloaded;
        long totalUp = uploaded;
        int activeCount = active;
        int pausedCount = paused;
        int torrentCount = count;
        long down = (long) downRate;
        long up = (long) upRate;
        return json -> {
            json.writeName(d.name("activeTorrentCount"));
            json.writeNumber(activeCount);
            for (String key : new String[]{"cumulative-stats", "current-stats"}) {
                json.writeName(d.name(key));
                stats(json, d, totalUp, totalDown, state.filesAdded(), seconds);
            }
            json.writeName(d.name("downloadSpeed"));
            json.writeNumber(down);
            json.writeName(d.name("pausedTorrentCount"));
            json.writeNumber(pausedCount);
            json.writeName(d.name("torrentCount"));
            json.writeNumber(torrentCount);
            json.writeName(d.name("uploadSpeed"));
            json.writeNumber(up);
        };
    }

    private static void stats(JsonGenerator json, Dialect d, long uploaded, long downloaded, long files,
                              long seconds) {
        json.writeStartObject();
        json.writeName(d.name("downloadedBytes"));
        json.writeNumber(downloaded);
        json.writeName(d.name("filesAdded"));
        json.writeNumber(files);
        json.writeName(d.name("secondsActive"));
        json.writeNumber(seconds);
        json.writeName(d.name("sessionCount"));
        json.writeNumber(1);
        json.writeName(d.name("uploadedBytes"));
        json.writeNumber(uploaded);
        json.writeEndObject();
    }

    /** free-space: the bytes free to this user in a directory, and its file system's size (Transmission 4.0). */
    static Body freeSpace(Arguments args) throws RpcException {
        String path = args.string("path").filter(s -> !s.isEmpty())
                .orElseThrow(() -> new RpcException(DIR_MISSING));
        Dialect d = args.dialect();
        long free;
        long total;
        try {
            Path dir = Path.of(path);
            if (!Files.isDirectory(dir)) {
                throw new NoSuchFileException(path);
            }
            FileStore store = Files.getFileStore(dir);
            free = store.getUsableSpace();
            total = store.getTotalSpace();
        } catch (IOException | InvalidPathException e) {
            throw new RpcException(NO_SUCH_DIR, spaceOf(d, path, -1, -1));
        }
        return spaceOf(d, path, free, total);
    }

    private static Body spaceOf(Dialect d, String path, long free, long total) {
        return json -> {
            json.writeName("path");
            json.writeString(path);
            json.writeName(d.name("size-bytes"));
            json.writeNumber(free);
            json.writeName("total_size");
            json.writeNumber(total);
        };
    }

    /**
     * port-test: whether the peer port is reachable from outside. Finding out takes a service on the internet,
     * which a daemon must not depend on (and tests must not call): it answers at once that it is not known to be
     * open, as transmission-daemon does when the service cannot be reached.
     */
    static Body portTest(Arguments args) {
        Optional<String> protocol = args.string("ipProtocol").filter(p -> p.equals("ipv4") || p.equals("ipv6"));
        Dialect d = args.dialect();
        return json -> {
            json.writeName(d.name("port-is-open"));
            json.writeBoolean(false);
            if (protocol.isPresent()) {
                json.writeName(d.name("ipProtocol"));
                json.writeString(protocol.get());
            }
        };
    }

    /**
     * blocklist-update: fetches the list at {@code blocklist-url} (P2P, DAT or CIDR lines, gzipped or not), and
     * puts it in force in the session at once: its peers are neither dialled nor accepted, and those connected are
     * dropped. Answers the number of address ranges it holds, merged.
     */
    static Body blocklistUpdate(Arguments args, RpcState state, MetainfoFetcher fetcher) throws RpcException {
        String url = state.settings().blocklistUrl();
        if (!MetainfoFetcher.isUrl(url)) {
            throw new RpcException(BLOCKLIST_PREFIX + "not an http(s) URL: " + url);
        }
        byte[] list = fetcher.fetch(url, Optional.empty(), BLOCKLIST_PREFIX);
        IpFilterParser.Result parsed;
        try {
            parsed = IpFilterParser.parse(new ByteArrayInputStream(list));
        } catch (IOException | IllegalArgumentException e) {
            throw new RpcException(BLOCKLIST_PREFIX + "not a block list: " + e.getMessage());
        }
        state.session().setIpFilter(parsed.filter());
        int ranges = parsed.filter().ranges();
        Dialect d = args.dialect();
        return json -> {
            json.writeName(d.name("blocklist-size"));
            json.writeNumber(ranges);
        };
    }

    /** group-get: jtorrent has no bandwidth groups, so none is listed, whichever are asked for. */
    static Body groupGet(Arguments args) {
        return json -> {
            json.writeName("group");
            json.writeStartArray();
            json.writeEndArray();
        };
    }

    static Body groupSet(Arguments args) throws RpcException {
        throw new RpcException(NO_GROUPS);
    }
}
