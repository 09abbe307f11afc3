package dev.jtorrent.daemon.transmission;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** The RPC's methods by their legacy names, and the dispatch of a call to one. */
final class Methods {
    static final String SESSION_CLOSE = "session-close";
    /**
     * How often a call is tried again when a torrent it names is removed by another request while it runs (the
     * session then refuses to read it): the next try names only the torrents left.
     */
    static final int RETRIES = 3;

    @FunctionalInterface
    interface Method {
        Body call(Arguments args) throws RpcException;
    }

    /** A method's answer: its result string and its arguments. */
    record Outcome(String result, Body arguments) {
    }

    private final Map<String, Method> methods = new HashMap<>();

    Methods(RpcState state, MetainfoFetcher fetcher, Supplier<SessionGet.TransmissionContext> context) {
        methods.put("torrent-get", args -> TorrentGet.call(args, state));
        methods.put("torrent-set", args -> TorrentSet.call(args, state));
        methods.put("torrent-add", args -> TorrentAdd.call(args, state, fetcher));
        methods.put("torrent-remove", args -> TorrentActions.remove(args, state));
        methods.put("torrent-start", args -> TorrentActions.start(args, state, false));
        methods.put("torrent-start-now", args -> TorrentActions.start(args, state, true));
        methods.put("torrent-stop", args -> TorrentActions.stop(args, state));
        methods.put("torrent-verify", args -> TorrentActions.verify(args, state));
        methods.put("torrent-reannounce", args -> TorrentActions.reannounce(args, state));
        methods.put("torrent-set-location", args -> TorrentActions.setLocation(args, state));
        methods.put("torrent-rename-path", args -> TorrentActions.renamePath(args, state));
        for (QueueMoves.Move move : QueueMoves.Move.values()) {
            methods.put("queue-move-" + move.name().toLowerCase(Locale.ROOT),
                    args -> QueueMoves.call(args, state, move));
        }
        methods.put("session-get", args -> SessionGet.call(args, state,
                new SessionGet.TransmissionContext(args.dialect(), context.get().sessionId(),
                        context.get().configDir())));
        methods.put("session-set", args -> SessionMethods.set(args, state));
        methods.put("session-stats", args -> SessionMethods.stats(args, state));
        methods.put(SESSION_CLOSE, args -> Body.EMPTY);
        methods.put("free-space", SessionMethods::freeSpace);
        methods.put("port-test", SessionMethods::portTest);
        methods.put("blocklist-update", args -> SessionMethods.blocklistUpdate(args, state, fetcher));
        methods.put("group-get", SessionMethods::groupGet);
        methods.put("group-set", SessionMethods::groupSet);
    }

    boolean has(String method) {
        return methods.containsKey(method);
    }

    /**
     * Runs the call's method. The arguments it answers are written later, by the caller, so a method must have
     * read everything it needs from the session before it returns, or its body must survive a removed torrent:
     * torrent-get's body reads torrents as it writes, so the caller retries the whole call, body included, when
     * a torrent vanishes under it.
     */
    Outcome call(RpcCall call) {
        if (call.method().isEmpty()) {
            return new Outcome(Replies.NO_METHOD, Body.EMPTY);
        }
        Method method = methods.get(call.method().get());
        if (method == null) {
            return new Outcome(Replies.UNKNOWN_METHOD, Body.EMPTY);
        }
        try {
            return new Outcome(Replies.SUCCESS, method.call(call.arguments()));
        } catch (RpcException e) {
            return new Outcome(e.getMessage(), e.arguments());
        }
    }
}
