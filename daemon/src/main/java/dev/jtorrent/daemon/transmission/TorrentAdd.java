package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.DaemonTorrent;
import dev.jtorrent.daemon.TorrentTable;
import dev.jtorrent.metainfo.InvalidMagnetLinkException;
import dev.jtorrent.metainfo.InvalidTorrentException;
import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.metainfo.Torrent;
import dev.jtorrent.session.AddOptions;
import dev.jtorrent.session.FilePriority;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * torrent-add: a torrent from {@code metainfo} (base64), or {@code filename}: a magnet link, an http(s) URL fetched
 * before the reply, or a .torrent on this machine inside the allowed directories. With {@code paused},
 * {@code download-dir} (absolute and inside the allowed directories), file choices and {@code labels}. The reply
 * is {@code torrent-added}, or {@code torrent-duplicate} naming the torrent already there (both a success).
 */
final class TorrentAdd {
    static final String CORRUPT = "invalid or corrupt torrent file";
    static final String NO_SOURCE = "no filename or metainfo specified";
    static final String DIR_NOT_ABSOLUTE = "download directory path is not absolute";
    static final String DIR_NOT_ALLOWED = "download directory is outside the directories the daemon may write to";
    static final String FILE_NOT_ALLOWED = "filename is outside the directories the daemon may read";

    private TorrentAdd() {
    }

    static Body call(Arguments args, RpcState state, MetainfoFetcher fetcher) throws RpcException {
        Optional<String> filename = args.string("filename").filter(s -> !s.isEmpty());
        Optional<String> metainfo = args.string("metainfo").filter(s -> !s.isEmpty());
        if (filename.isEmpty() && metainfo.isEmpty()) {
            throw new RpcException(NO_SOURCE);
        }
        Path dir = downloadDir(args, state);
        Optional<List<String>> labels = Labels.of(args);
        boolean paused = args.bool("paused").orElse(!state.settings().startAddedTorrents());
        FileChoices choices = new FileChoices(args);
        AddOptions.Builder options = AddOptions.builder().paused(paused).downloadDirectory(dir);
        TorrentTable table = state.table();
        TorrentTable.Added added;
        int files;
        if (metainfo.isEmpty() && filename.get().regionMatches(true, 0, "magnet:", 0, 7)) {
            MagnetLink magnet;
            try {
                magnet = MagnetLink.parse(filename.get());
            } catch (InvalidMagnetLinkException e) {
                throw new RpcException(CORRUPT);
            }
            if (magnet.infoHash().isEmpty()) {
                throw new RpcException(CORRUPT);
            }
            added = table.add(magnet, options.build(), labels.orElse(List.of()), "");
            files = 0;
        } else {
            byte[] bytes = metainfo.isPresent() ? decode(metainfo.get()) : read(filename.get(), args, state, fetcher);
            Torrent torrent;
            try {
                torrent = Torrent.parse(bytes);
            } catch (InvalidTorrentException e) {
                throw new RpcException(CORRUPT);
            }
            files = torrent.info().contentFiles().size();
            choices.check(files);
            FilePriority[] priorities = new FilePriority[files];
            Arrays.fill(priorities, FilePriority.NORMAL);
            options.filePriorities(List.of(choices.apply(priorities)));
            try {
                added = table.add(bytes, options.build(), labels.orElse(List.of()), "");
            } catch (InvalidTorrentException e) {
                throw new RpcException(CORRUPT);
            }
        }
        if (!added.duplicate()) {
            state.added(files);
            state.activity().touch(added.torrent().infoHash());
        }
        DaemonTorrent torrent = added.torrent();
        String key = args.dialect().name(added.duplicate() ? "torrent-duplicate" : "torrent-added");
        return json -> {
            json.writeName(key);
            json.writeStartObject();
            json.writeName(args.dialect().name("hashString"));
            json.writeString(torrent.infoHash().hex());
            json.writeName("id");
            json.writeNumber(torrent.id());
            json.writeName("name");
            json.writeString(torrent.handle().name());
            json.writeEndObject();
        };
    }

    /**
     * The directory the torrent goes to, made if it is missing, as transmission-daemon makes it: clients name
     * per-category directories (Sonarr's {@code /downloads/tv}) that nothing else creates.
     */
    private static Path downloadDir(Arguments args, RpcState state) throws RpcException {
        Optional<String> asked = args.string("download-dir").filter(s -> !s.isEmpty());
        Path dir = asked.isEmpty() ? state.settings().downloadDir()
                : allowedDirectory(asked.get(), state, DIR_NOT_ABSOLUTE, DIR_NOT_ALLOWED);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RpcException("cannot make the download directory " + dir + ": " + e.getMessage());
        }
        return dir;
    }

    /**
     * {@code path} as an absolute normal path inside the allowed directories.
     *
     * @throws RpcException with {@code notAbsolute} or {@code notAllowed}
     */
    static Path allowedDirectory(String path, RpcState state, String notAbsolute, String notAllowed)
            throws RpcException {
        Path dir;
        try {
            dir = Path.of(path);
        } catch (InvalidPathException e) {
            throw new RpcException(notAbsolute);
        }
        if (!dir.isAbsolute()) {
            throw new RpcException(notAbsolute);
        }
        return state.allowedDirectory(dir).orElseThrow(() -> new RpcException(notAllowed));
    }

    private static byte[] decode(String base64) throws RpcException {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new RpcException(CORRUPT);
        }
    }

    private static byte[] read(String filename, Arguments args, RpcState state, MetainfoFetcher fetcher)
            throws RpcException {
        if (MetainfoFetcher.isUrl(filename)) {
            return fetcher.fetch(filename, args.string("cookies"));
        }
        Path file;
        try {
            file = Path.of(filename);
        } catch (InvalidPathException e) {
            throw new RpcException(CORRUPT);
        }
        if (!file.isAbsolute()) {
            throw new RpcException(CORRUPT);
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            throw new RpcException(CORRUPT);
        }
        if (state.allowedDirectory(real).isEmpty()) {
            throw new RpcException(FILE_NOT_ALLOWED);
        }
        try {
            if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)
                    || Files.size(real) > MetainfoFetcher.DEFAULT_MAX_BYTES) {
                throw new RpcException(CORRUPT);
            }
            return Files.readAllBytes(real);
        } catch (IOException e) {
            throw new RpcException(CORRUPT);
        }
    }
}
