package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.DaemonTorrent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * torrent-get: the requested {@code fields} of the torrents {@code ids} names, as objects or, with
 * {@code format: "table"}, as rows under a first row of names; with {@code ids: "recently-active"}, the torrents
 * running or changed lately ({@link RecentActivity}) and the {@code removed} ids. Field names are resolved once per request, and each torrent is read only for what they need.
 */
final class TorrentGet {
    static final String NO_FIELDS = "no fields specified";

    private TorrentGet() {
    }

    static Body call(Arguments args, RpcState state) throws RpcException {
        List<String> requested = args.strings("fields").orElseThrow(() -> new RpcException(NO_FIELDS));
        Dialect dialect = args.dialect();
        List<String> wireNames = new ArrayList<>();
        List<TorrentFields.Field> fields = new ArrayList<>();
        for (String name : new LinkedHashSet<>(requested)) {
            var known = TorrentFields.known(name);
            fields.add(known.orElse(TorrentFields.UNKNOWN));
            wireNames.add(known.isPresent() ? dialect.name(TorrentFields.legacyName(name)) : name);
        }
        boolean table = args.string("format").filter("table"::equals).isPresent();
        Ids ids = Ids.of(args, state.table(), state.activity());
        List<Integer> removed = ids.recentlyActive() ? state.table().recentlyRemoved() : List.of();
        FieldContext context = new FieldContext(dialect, state.clock().instant().getEpochSecond(), state);
        return json -> {
            json.writeName("torrents");
            json.writeStartArray();
            if (table) {
                json.writeStartArray();
                for (String name : wireNames) {
                    json.writeString(name);
                }
                json.writeEndArray();
            }
            for (DaemonTorrent torrent : ids.torrents()) {
                TorrentView view = new TorrentView(torrent, context);
                if (table) {
                    TorrentFields.row(json, view, fields);
                } else {
                    TorrentFields.object(json, view, wireNames, fields);
                }
            }
            json.writeEndArray();
            if (ids.recentlyActive()) {
                json.writeName("removed");
                json.writeStartArray();
                for (int id : removed) {
                    json.writeNumber(id);
                }
                json.writeEndArray();
            }
        };
    }
}
