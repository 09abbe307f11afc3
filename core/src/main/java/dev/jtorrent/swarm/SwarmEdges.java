package dev.jtorrent.swarm;

import dev.jtorrent.peer.ConnectionTarget;

import java.util.concurrent.Executor;

/**
 * Where a swarm's logic meets the world: the clock it reads, the inbox its events come back through, the pool its
 * disk jobs run on, and how it dials peers. A session gives it the real ones ({@link Swarm}); a simulation gives it
 * a simulated clock, an event queue, a disk with latency and a network in memory.
 *
 * @param clock     the time
 * @param inbox     where the disk's results, the connections' events and the logic's own events go
 * @param diskPool  where disk jobs (hashing, writes, reads for uploads) run
 * @param connector dials peers
 * @param self      the torrent as the connector hands it connections
 */
public record SwarmEdges(NanoClock clock, SwarmInbox inbox, Executor diskPool, Connector connector,
                         ConnectionTarget self) {
}
