package dev.jtorrent.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The peers announced to this node with {@code announce_peer}, per info hash, for {@code get_peers} answers.
 *
 * <p>Bounded as libtorrent bounds it: at most {@code maxPeersPerTorrent} peers per info hash and
 * {@code maxTorrents} info hashes; past a bound the oldest announce gives way (least recently announced info hash,
 * least recently announced peer), so a flood of announces replaces data instead of growing it. An announce expires
 * after {@link #PEER_TTL_NANOS}; peers re-announce every 15-30 minutes.
 */
final class PeerStore {
    /** How long an announce is kept (libtorrent: 30 minutes). */
    static final long PEER_TTL_NANOS = TimeUnit.MINUTES.toNanos(30);

    private final int maxTorrents;
    private final int maxPeersPerTorrent;
    /** Info hash to peers to the time each was announced, the least recently announced first. */
    private final LinkedHashMap<NodeId, LinkedHashMap<InetSocketAddress, Long>> torrents = new LinkedHashMap<>();
    private int peers;

    PeerStore(int maxTorrents, int maxPeersPerTorrent) {
        this.maxTorrents = maxTorrents;
        this.maxPeersPerTorrent = maxPeersPerTorrent;
    }

    void announce(NodeId infoHash, InetSocketAddress peer, long now) {
        LinkedHashMap<InetSocketAddress, Long> swarm = torrents.remove(infoHash);
        if (swarm == null) {
            if (torrents.size() >= maxTorrents) {
                Iterator<Map.Entry<NodeId, LinkedHashMap<InetSocketAddress, Long>>> stalest =
                        torrents.entrySet().iterator();
                peers -= stalest.next().getValue().size();
                stalest.remove();
            }
            swarm = new LinkedHashMap<>(16, 0.75f, true);
        }
        torrents.put(infoHash, swarm);
        if (swarm.put(peer, now) == null) {
            peers++;
            if (swarm.size() > maxPeersPerTorrent) {
                Iterator<InetSocketAddress> stalest = swarm.keySet().iterator();
                stalest.next();
                stalest.remove();
                peers--;
            }
        }
    }

    /** Up to {@code max} peers of the info hash in {@code family}, chosen at random among the live ones. */
    List<InetSocketAddress> peers(NodeId infoHash, Family family, int max, long now, RandomGenerator random) {
        Map<InetSocketAddress, Long> swarm = torrents.get(infoHash);
        if (swarm == null) {
            return List.of();
        }
        List<InetSocketAddress> live = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Long> e : swarm.entrySet()) {
            if (now - e.getValue() < PEER_TTL_NANOS && Family.of(e.getKey().getAddress()) == family) {
                live.add(e.getKey());
            }
        }
        if (live.size() > max) {
            Collections.shuffle(live, random);
            return List.copyOf(live.subList(0, max));
        }
        return live;
    }

    /** Drops expired announces; called from the timer. */
    void expire(long now) {
        for (Iterator<LinkedHashMap<InetSocketAddress, Long>> it = torrents.values().iterator(); it.hasNext(); ) {
            LinkedHashMap<InetSocketAddress, Long> swarm = it.next();
            int before = swarm.size();
            swarm.values().removeIf(at -> now - at >= PEER_TTL_NANOS);
            peers -= before - swarm.size();
            if (swarm.isEmpty()) {
                it.remove();
            }
        }
    }

    int torrents() {
        return torrents.size();
    }

    int peers() {
        return peers;
    }
}
