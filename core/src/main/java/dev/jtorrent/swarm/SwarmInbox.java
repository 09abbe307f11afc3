package dev.jtorrent.swarm;

import dev.jtorrent.peer.PeerEvent;

/**
 * Where events for a swarm's logic go, to be handled on its thread in the order they came: a {@link SwarmQueue} on
 * a swarm's own thread; a simulation's event queue in tests.
 */
public interface SwarmInbox {
    /** Queues an event from anywhere but a connection's reader; never waits. */
    void post(SwarmEvent event);

    /** Queues what a connection's reader read; may wait while too much of that is queued (backpressure). */
    void putFromReader(PeerEvent event);
}
