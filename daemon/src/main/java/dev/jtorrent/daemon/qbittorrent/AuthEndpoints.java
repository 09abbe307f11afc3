package dev.jtorrent.daemon.qbittorrent;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * {@code auth/login} and {@code auth/logout}. A login with the account's name and password answers "Ok." and a
 * {@code SID} cookie (HttpOnly, SameSite=Strict: a page of another site can neither read it nor have the browser
 * send it); a wrong one answers "Fails." and counts against the client, which {@link LoginFailures} bans after too
 * many, its logins then answered 403 whatever they carry. A client that is logged in already is told "Ok." again
 * without a new session, as qBittorrent does.
 */
final class AuthEndpoints {
    private static final Logger LOG = System.getLogger(AuthEndpoints.class.getName());
    static final String BANNED = "Your IP address has been banned after too many failed authentication attempts.";

    private final Backend backend;
    private final WebSessions sessions;
    private final LoginFailures failures;

    AuthEndpoints(Backend backend, WebSessions sessions, LoginFailures failures) {
        this.backend = backend;
        this.sessions = sessions;
        this.failures = failures;
    }

    void register(Routes routes) {
        routes.post("auth/login", this::login)
                .post("auth/logout", this::logout);
    }

    /** The Set-Cookie that gives a client its session. */
    static String cookie(WebSessions.WebSession session) {
        return QbtApi.COOKIE + "=" + session.sid() + "; HttpOnly; path=/; SameSite=Strict";
    }

    private Reply login(Call call) throws ApiException {
        if (failures.banned(call.client())) {
            LOG.log(Level.WARNING, "qBittorrent API: a login from " + call.client().getHostAddress()
                    + ", banned after too many failures");
            throw new ApiException(403, BANNED);
        }
        if (call.session().isPresent()) {
            return Reply.text("Ok.");
        }
        String user = call.get("username");
        String password = call.get("password");
        boolean right = backend.access().credentials().map(account -> account.check(user, password)).orElse(true);
        if (!right) {
            failures.failed(call.client());
            LOG.log(Level.WARNING, "qBittorrent API: a failed login from " + call.client().getHostAddress());
            return Reply.text("Fails.");
        }
        failures.succeeded(call.client());
        return Reply.text("Ok.").withCookie(cookie(sessions.create()));
    }

    private Reply logout(Call call) {
        Optional<WebSessions.WebSession> session = call.session();
        session.ifPresent(sessions::end);
        return Reply.ok().withCookie(QbtApi.COOKIE + "=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT");
    }
}
