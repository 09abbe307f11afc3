package dev.jtorrent.daemon.qbittorrent;

import dev.jtorrent.daemon.TorrentTable;
import dev.jtorrent.metainfo.InvalidMagnetLinkException;
import dev.jtorrent.metainfo.InvalidTorrentException;
import dev.jtorrent.metainfo.MagnetLink;
import dev.jtorrent.session.AddOptions;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code torrents/add}: torrents from {@code urls} (one a line: magnet links, bare info hashes, and http(s) URLs
 * fetched by {@link UrlFetcher}) and from the files of a multipart body, with qBittorrent's parameters: {@code
 * savepath}, {@code category} (made if new, as qBittorrent does), {@code tags}, {@code paused} (and 5.0's {@code
 * stopped}), {@code sequentialDownload}, {@code skip_checking}, {@code upLimit}, {@code dlLimit}, {@code autoTMM}
 * (the category's save path when no {@code savepath} is given). "Ok." if at least one torrent was added, else
 * "Fails." (a duplicate is not added); a file that is not a torrent is 415, as in qBittorrent. {@code rename}, the
 * share limits and the queue position are not supported yet and are ignored.
 */
final class TorrentAdd {
    private static final Logger LOG = System.getLogger(TorrentAdd.class.getName());
    private static final Pattern HEX_HASH = Pattern.compile("[0-9a-fA-F]{40}");

    private final Backend backend;
    private final UrlFetcher fetcher;

    TorrentAdd(Backend backend, UrlFetcher fetcher) {
        this.backend = backend;
        this.fetcher = fetcher;
    }

    void register(Routes routes) {
        routes.post("torrents/add", this::add);
    }

    private record Request(AddOptions options, List<String> tags, String category) {
    }

    private Reply add(Call call) throws ApiException {
        Request request = request(call);
        TorrentTable table = backend.torrents();
        for (FormData.Upload file : call.params().files()) {
            try {
                dev.jtorrent.metainfo.Torrent.parse(file.content());
            } catch (InvalidTorrentException e) {
                throw new ApiException(415, "Error: '" + FormParser.printable(file.filename())
                        + "' is not a valid torrent file.");
            }
        }
        boolean added = false;
        for (String line : call.get("urls").split("\n")) {
            String url = line.strip();
            if (!url.isEmpty()) {
                added |= addUrl(url, request);
            }
        }
        for (FormData.Upload file : call.params().files()) {
            try {
                added |= !table.add(file.content(), request.options(), request.tags(), request.category())
                        .duplicate();
            } catch (InvalidTorrentException e) {
                throw new ApiException(415, "Error: '" + FormParser.printable(file.filename())
                        + "' is not a valid torrent file.");
            }
        }
        if (added) {
            backend.tags().create(request.tags());
            if (!request.category().isEmpty()) {
                backend.categories().create(request.category(), "");
            }
        }
        return Reply.text(added ? "Ok." : "Fails.");
    }

    private Request request(Call call) throws ApiException {
        AddOptions.Builder options = AddOptions.builder();
        String category = call.get("category");
        if (!category.isEmpty() && !CategoryEndpoints.validCategory(category)) {
            throw ApiException.badRequest("Incorrect category name");
        }
        String savePath = call.get("savepath").strip();
        if (!savePath.isEmpty()) {
            options.downloadDirectory(SavePaths.of(savePath));
        } else if (call.bool("autoTMM").orElse(false) && !category.isEmpty()) {
            Optional<String> path = backend.categories().savePath(category).filter(p -> !p.isEmpty());
            if (path.isPresent()) {
                options.downloadDirectory(Path.of(path.get()));
            }
        }
        options.paused(call.bool("paused").or(() -> call.bool("stopped")).orElse(false));
        options.sequential(call.bool("sequentialDownload").orElse(false));
        options.trustData(call.bool("skip_checking").orElse(false));
        options.uploadLimit(Math.max(0, call.longOrZero("upLimit")));
        options.downloadLimit(Math.max(0, call.longOrZero("dlLimit")));
        List<String> tags = CategoryEndpoints.tags(call.get("tags"));
        return new Request(options.build(), tags, category);
    }

    /** Adds the torrent of one line of {@code urls}; false if it cannot be had or is there already. */
    private boolean addUrl(String url, Request request) {
        TorrentTable table = backend.torrents();
        try {
            if (url.toLowerCase(Locale.ROOT).startsWith("magnet:")) {
                return !table.add(MagnetLink.parse(url), request.options(), request.tags(), request.category())
                        .duplicate();
            }
            if (HEX_HASH.matcher(url).matches()) {
                return !table.add(MagnetLink.parse("magnet:?xt=urn:btih:" + url.toLowerCase(Locale.ROOT)),
                        request.options(), request.tags(), request.category()).duplicate();
            }
            if (UrlFetcher.fetchable(url)) {
                byte[] metainfo = fetcher.fetch(url);
                return !table.add(metainfo, request.options(), request.tags(), request.category()).duplicate();
            }
            LOG.log(Level.WARNING, "qBittorrent API: cannot add " + FormParser.printable(url)
                    + ": not a magnet link, an info hash or an http(s) URL");
        } catch (InvalidMagnetLinkException | InvalidTorrentException | IOException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "qBittorrent API: cannot add " + FormParser.printable(url) + ": " + e.getMessage());
        }
        return false;
    }
}
