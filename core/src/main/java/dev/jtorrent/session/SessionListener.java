package dev.jtorrent.session;

/**
 * Receives a {@link Session}'s events, on a thread of its own subscription, one at a time and in order. It may take
 * its time: the session never waits for it, and past {@link Session#EVENT_QUEUE_LIMIT} events waiting it drops
 * the newest and then says how many with {@link SessionEvent.EventsLost}. An exception it throws is logged and
 * the next event still comes.
 */
@FunctionalInterface
public interface SessionListener {

    void onEvent(SessionEvent event);

    /** Whether to receive {@link SessionEvent.PieceFinished}, one for every piece; default no. */
    default boolean wantsPieceEvents() {
        return false;
    }
}
