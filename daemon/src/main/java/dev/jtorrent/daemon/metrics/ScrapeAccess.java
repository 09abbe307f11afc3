package dev.jtorrent.daemon.metrics;

import dev.jtorrent.daemon.HttpHeaders;
import dev.jtorrent.daemon.HttpAccess;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may read {@code /metrics}: the daemon's own rules ({@link HttpAccess}), checked in the Transmission RPC's
 * order, from what a request carries and without I/O. After {@link #MAX_FAILURES} failed logins since the last good
 * one every scrape is refused until the daemon restarts, as transmission-daemon does for its RPC, so the metrics
 * are no way around that lockout for guessing the account's password.
 *
 * <ol>
 *   <li>the lockout: 403;</li>
 *   <li>the client whitelist: 403;</li>
 *   <li>with an account, Basic authentication (what Prometheus's {@code basic_auth} sends): 401 and a challenge;</li>
 *   <li>the {@code Host} header (against DNS rebinding): IP literals and {@code localhost} pass, as they cannot be
 *       rebound; other names only if {@link HttpAccess#hostAllowed()} has them; 421 otherwise. A request without
 *       one (HTTP/1.0) names nothing to rebind and passes.</li>
 * </ol>
 */
final class ScrapeAccess {
    /** Failed logins that lock the metrics until the daemon restarts: transmission-daemon's number. */
    static final int MAX_FAILURES = 100;

    /** What a request gets. */
    sealed interface Outcome {
        /** It may scrape. */
        record Allowed() implements Outcome {
        }

        /**
         * It may not.
         *
         * @param status    the HTTP status
         * @param reason    the body, in one line
         * @param challenge whether to ask for Basic credentials ({@code WWW-Authenticate})
         */
        record Refused(int status, String reason, boolean challenge) implements Outcome {
        }
    }

    static final Outcome ALLOWED = new Outcome.Allowed();

    private final HttpAccess access;
    private final AtomicInteger failures = new AtomicInteger();

    ScrapeAccess(HttpAccess access) {
        this.access = Objects.requireNonNull(access, "access");
    }

    /**
     * @param client        the client's address; null if the connection cannot say (refused)
     * @param host          the {@code Host} header, or null
     * @param authorization the {@code Authorization} header, or null
     */
    Outcome check(InetAddress client, String host, String authorization) {
        if (failures.get() >= MAX_FAILURES) {
            return new Outcome.Refused(403, "Too many failed logins: restart the daemon to lift the lockout", false);
        }
        if (client == null || !access.clientAllowed().test(client)) {
            return new Outcome.Refused(403, "This client is not on the daemon's whitelist", false);
        }
        if (access.credentials().isPresent()) {
            if (!authenticated(authorization, access.credentials().get())) {
                failures.incrementAndGet();
                return new Outcome.Refused(401, "Unauthorized", true);
            }
            failures.set(0);
        }
        if (host != null && !hostAllowed(host)) {
            return new Outcome.Refused(421, "The Host header names another server", false);
        }
        return ALLOWED;
    }

    /** Basic credentials, split at the first colon (a password may hold colons); anything else fails. */
    static boolean authenticated(String authorization, HttpAccess.Credentials credentials) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        return colon >= 0 && credentials.check(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    private boolean hostAllowed(String host) {
        String name = HttpHeaders.hostName(host);
        return name.equals("localhost") || name.equals("localhost.") || HttpHeaders.isIpLiteral(name)
                || access.hostAllowed().test(name);
    }
}
