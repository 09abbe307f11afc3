package dev.jtorrent.session;

/** A listener's subscription to a session's events ({@link Session#subscribe}); closing it ends the deliveries. */
public interface Subscription extends AutoCloseable {

    /** Ends the deliveries: events not yet delivered are dropped. Idempotent. */
    @Override
    void close();
}
