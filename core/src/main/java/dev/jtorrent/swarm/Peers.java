package dev.jtorrent.swarm;

import dev.jtorrent.peer.CloseReason;
import dev.jtorrent.peer.PeerConnection;
import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.PeerId;

import java.net.InetAddress;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The peers connected to a swarm, in the order they came, by their connection. Swarm thread only. */
final class Peers {
    private final Map<PeerConnection, Peer> byConnection = new LinkedHashMap<>();
    private final Collection<Peer> view = Collections.unmodifiableCollection(byConnection.values());
    /** Peers added and removed so far. */
    private long changes;

    /** The peer on {@code connection}, or null if it is not (or no longer) one of ours. */
    Peer get(PeerConnection connection) {
        return byConnection.get(connection);
    }

    void add(Peer peer) {
        byConnection.put(peer.connection, peer);
        changes++;
    }

    /** Removes the peer on {@code connection}; null if it was not one. */
    Peer remove(PeerConnection connection) {
        Peer removed = byConnection.remove(connection);
        if (removed != null) {
            changes++;
        }
        return removed;
    }

    /** How many times a peer was added or removed: unchanged, the same peers are connected. */
    long changes() {
        return changes;
    }

    int size() {
        return byConnection.size();
    }

    boolean isEmpty() {
        return byConnection.isEmpty();
    }

    /** Every peer, live: not to be iterated while a peer is added or removed (see {@link #snapshot}). */
    Collection<Peer> all() {
        return view;
    }

    /** Every peer now, for loops that may close or remove some. */
    List<Peer> snapshot() {
        return List.copyOf(byConnection.values());
    }

    /** The peer whose handshake gave {@code id}, or null if none has. */
    Peer withPeerId(PeerId id) {
        for (Peer peer : byConnection.values()) {
            if (peer.connection.remote().peerId().equals(id)) {
                return peer;
            }
        }
        return null;
    }

    /** Sends {@code message} to every peer. */
    void sendToAll(Message message) {
        for (PeerConnection connection : byConnection.keySet()) {
            connection.send(message);
        }
    }

    /** Closes every connection from {@code ip}, whatever its port. */
    void closeFrom(InetAddress ip, CloseReason reason) {
        for (PeerConnection connection : byConnection.keySet()) {
            if (connection.address().getAddress().equals(ip)) {
                connection.close(reason);
            }
        }
    }

    /** Hands each peer's writer what this turn queued for it, in one piece (see {@link PeerConnection#flush}). */
    void flushAll() {
        for (PeerConnection connection : byConnection.keySet()) {
            connection.flush();
        }
    }
}
