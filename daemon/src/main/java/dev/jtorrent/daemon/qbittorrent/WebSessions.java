package dev.jtorrent.daemon.qbittorrent;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The logged-in clients of the Web API, each known by the SID cookie {@code auth/login} gave it. A session ends at
 * {@code auth/logout}, after {@link #timeout} without a request (qBittorrent's {@code WebUI\SessionTimeout}, 3600 s
 * by default), or when {@link #maxSessions} newer ones push it out: a script that logs in for every request must
 * not grow the table without bound, and each session holds its {@code sync/maindata} history.
 */
final class WebSessions {
    /** Random bytes in a SID: 192 bits, as qBittorrent's six random 32-bit words. */
    static final int SID_BYTES = 24;

    /** One logged-in client. */
    static final class WebSession {
        private final String sid;
        private final MainDataHistory history;
        private Instant lastUsed;

        private WebSession(String sid, MainDataHistory history, Instant now) {
            this.sid = sid;
            this.history = history;
            this.lastUsed = now;
        }

        String sid() {
            return sid;
        }

        /** The {@code sync/maindata} snapshots this client may ask for changes since. */
        MainDataHistory history() {
            return history;
        }
    }

    private final Clock clock;
    private final Duration timeout;
    private final int maxSessions;
    private final int snapshotsPerSession;
    private final SecureRandom random = new SecureRandom();
    /** In order of last use, the least recently used first. */
    private final LinkedHashMap<String, WebSession> sessions = new LinkedHashMap<>(16, 0.75f, true);

    WebSessions(Clock clock, Duration timeout, int maxSessions, int snapshotsPerSession) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || maxSessions < 1 || snapshotsPerSession < 1) {
            throw new IllegalArgumentException("session limits must be positive");
        }
        this.maxSessions = maxSessions;
        this.snapshotsPerSession = snapshotsPerSession;
    }

    /** Starts a session; the least recently used one ends if {@link #maxSessions} are open. */
    synchronized WebSession create() {
        Instant now = clock.instant();
        forgetExpired(now);
        while (sessions.size() >= maxSessions) {
            Iterator<Map.Entry<String, WebSession>> eldest = sessions.entrySet().iterator();
            eldest.next();
            eldest.remove();
        }
        String sid;
        do {
            byte[] bytes = new byte[SID_BYTES];
            random.nextBytes(bytes);
            sid = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (sessions.containsKey(sid));
        WebSession session = new WebSession(sid, new MainDataHistory(snapshotsPerSession), now);
        sessions.put(sid, session);
        return session;
    }

    /** The live session of {@code sid}, which counts as a use of it; empty if there is none or it expired. */
    synchronized Optional<WebSession> find(String sid) {
        if (sid == null || sid.isEmpty()) {
            return Optional.empty();
        }
        WebSession session = sessions.get(sid);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(session, now)) {
            sessions.remove(sid);
            return Optional.empty();
        }
        session.lastUsed = now;
        return Optional.of(session);
    }

    synchronized void end(WebSession session) {
        sessions.remove(session.sid(), session);
    }

    synchronized int size() {
        return sessions.size();
    }

    private boolean expired(WebSession session, Instant now) {
        return !session.lastUsed.plus(timeout).isAfter(now);
    }

    private void forgetExpired(Instant now) {
        sessions.values().removeIf(session -> expired(session, now));
    }
}
