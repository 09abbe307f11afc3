package dev.jtorrent.swarm;

import dev.jtorrent.peer.PeerEvent;

import java.util.concurrent.CompletableFuture;

/**
 * One spell awake of a {@link Swarm}: a {@link SwarmLogic}, the {@link SwarmQueue} that feeds it, and the loop its
 * virtual thread runs, until a stop or a sleep. The loop and the logic are this spell's thread's alone.
 */
final class Spell {
    private static final int MAX_EVENTS_PER_TURN = 256;

    /** What the loop asks of the swarm it belongs to. */
    interface Host {
        /**
         * Puts the spell to sleep if nothing came meanwhile: true if it did, and the loop ends; false if an event
         * came (or a stop), and the loop goes on.
         */
        boolean sleep(Spell spell);

        /** The spell stopped for good; its logic has shut down. */
        void stopped(Spell spell);
    }

    private final SwarmLogic logic;
    private final SwarmQueue queue;
    private final NanoClock clock;
    private final long sleepAfterNanos;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    Spell(SwarmLogic logic, SwarmQueue queue, NanoClock clock, long sleepAfterNanos) {
        this.logic = logic;
        this.queue = queue;
        this.clock = clock;
        this.sleepAfterNanos = sleepAfterNanos;
    }

    SwarmLogic logic() {
        return logic;
    }

    SwarmQueue queue() {
        return queue;
    }

    /** Completes when the loop has ended, by a stop or a sleep. */
    CompletableFuture<Void> ended() {
        return ended;
    }

    /**
     * The loop: a turn of the logic's timed work, then a wait for events (no longer than the logic allows), then
     * the events queued, until a stop; or, once the logic has been idle with nothing due for the time the config
     * says, a sleep.
     */
    void run(Host host) {
        long idleSince = 0;
        boolean idle = false;
        try {
            while (true) {
                long now = clock.nanoTime();
                long wait = logic.turn(now);
                if (wait == Long.MAX_VALUE && logic.idle()) {
                    if (!idle) {
                        idle = true;
                        idleSince = now;
                    }
                    long left = idleSince + sleepAfterNanos - now;
                    if (left <= 0 && host.sleep(this)) {
                        ended.complete(null);
                        return;
                    }
                    wait = Math.max(left, 1);
                } else {
                    idle = false;
                }
                SwarmEvent event = wait == Long.MAX_VALUE ? queue.take() : queue.poll(Math.max(1, wait));
                // Drain what is queued, but never so long that ticks (timeouts, rates) are starved.
                for (int handled = 0; event != null; ) {
                    if (event instanceof SwarmEvent.Stop) {
                        shutdown(host);
                        return;
                    }
                    logic.handle(event);
                    handled += event instanceof SwarmEvent.FromPeer(PeerEvent.Burst burst)
                            ? burst.events().size() : 1;
                    event = handled < MAX_EVENTS_PER_TURN ? queue.poll() : null;
                }
                logic.eventsHandled();
            }
        } catch (InterruptedException e) {
            shutdown(host);
        } catch (RuntimeException e) {
            logic.fail("internal error: " + e);
            shutdown(host);
            throw e;
        }
    }

    private void shutdown(Host host) {
        queue.close(); // no event is taken any more: readers must not wait for room
        logic.shutdown();
        host.stopped(this);
        ended.complete(null);
    }
}
