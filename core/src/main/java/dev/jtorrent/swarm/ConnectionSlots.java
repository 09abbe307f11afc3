package dev.jtorrent.swarm;

import dev.jtorrent.budget.FairBudget;

/**
 * One torrent's hold on the session's connection budgets: a slot of {@code connections} for every peer connected and
 * every outgoing attempt, and a slot of {@code attempts} for every outgoing attempt in progress. An attempt takes
 * both; when it connects it keeps the first and gives back the second; when it fails it gives back both. An
 * incoming connection takes a connection slot when the swarm admits it. Swarm thread only (the budgets themselves are
 * shared).
 */
final class ConnectionSlots {
    /** How long a torrent refused a slot waits before it asks again by itself, if nothing wakes it sooner. */
    static final long RETRY_NANOS = 1_000_000_000L;

    private final FairBudget.Share connections;
    private final FairBudget.Share attempts;
    /** Outgoing attempts under way, each holding a slot of both budgets. */
    private int attemptsUnderWay;
    /** When a refused torrent asks again by itself; 0 while it was not refused. */
    private long retryAt;

    /** @param wake called, on any thread, when a slot was given back while this torrent waited for one */
    ConnectionSlots(FairBudget connections, FairBudget attempts, Runnable wake) {
        this.connections = connections.join(wake);
        this.attempts = attempts.join(wake);
    }

    /** Takes the slots of one outgoing attempt; false, and a retry time, if the session has none to give now. */
    boolean takeAttempt(long now) {
        if (!connections.tryTake(1, now)) {
            refused(now);
            return false;
        }
        if (!attempts.tryTake(1, now)) {
            connections.give(1);
            refused(now);
            return false;
        }
        attemptsUnderWay++;
        retryAt = 0;
        return true;
    }

    /** An attempt taken ended without a connection: both its slots go back. */
    void attemptFailed() {
        if (attemptsUnderWay > 0) {
            attemptsUnderWay--;
            attempts.give(1);
            connections.give(1);
        }
    }

    /**
     * A connection finished its handshakes and asks to be admitted: an outgoing one hands its attempt's slot back
     * and keeps its connection slot; an incoming one (or an outgoing one no attempt of ours made) takes a connection
     * slot. False if there is none: the connection must be refused.
     */
    boolean admit(boolean outgoing, long now) {
        if (outgoing && attemptsUnderWay > 0) {
            attemptsUnderWay--;
            attempts.give(1);
            return true;
        }
        return connections.tryTakeIfFree(1, now); // a peer that dialled us cannot wait for a slot
    }

    /** A connection admitted (or refused after {@link #admit}) ended: its slot goes back. */
    void closed() {
        connections.give(1);
    }

    /** Whether this torrent holds more connections than its fair part while another torrent waits for one. */
    boolean overFairPart(long now) {
        return connections.excess(now) > 0;
    }

    /**
     * When the torrent may ask the session for slots again: 0 (at once) unless it was refused, then a second later,
     * unless a slot given back wakes it sooner ({@link #mayRetry}).
     */
    long askAgainAt() {
        return retryAt;
    }

    /** A slot was given back while the torrent waited: it may ask again at once. */
    void mayRetry() {
        retryAt = 0;
    }

    /** Gives every slot back: the swarm stopped. */
    void leave() {
        connections.leave();
        attempts.leave();
    }

    private void refused(long now) {
        retryAt = now + RETRY_NANOS;
    }
}
