package dev.jtorrent.daemon.transmission;

import dev.jtorrent.daemon.DaemonTorrent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the fields of one torrent-get share: the dialect, the time of the request, the RPC's own state, and the queue
 * positions, worked out once for all torrents when a field first asks.
 */
final class FieldContext {
    private final Dialect dialect;
    private final long nowSeconds;
    private final RpcState state;
    private final Supplier<List<DaemonTorrent>> all;
    private Map<Integer, Integer> queuePositions;

    FieldContext(Dialect dialect, long nowSeconds, RpcState state, Supplier<List<DaemonTorrent>> all) {
        this.dialect = dialect;
        this.nowSeconds = nowSeconds;
        this.state = state;
        this.all = all;
    }

    Dialect dialect() {
        return dialect;
    }

    long nowSeconds() {
        return nowSeconds;
    }

    RpcState state() {
        return state;
    }

    /**
     * A torrent's place among all, from 0. The session has no queue of its own yet, so torrents are ranked by the
     * order they were added, which is the order a queue would take them in.
     */
    int queuePosition(DaemonTorrent torrent) {
        if (queuePositions == null) {
            List<DaemonTorrent> torrents = all.get();
            queuePositions = new HashMap<>(torrents.size() * 2);
            for (int i = 0; i < torrents.size(); i++) {
                queuePositions.put(torrents.get(i).id(), i);
            }
        }
        return queuePositions.getOrDefault(torrent.id(), 0);
    }
}
