package dev.jtorrent.daemon.qbittorrent;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One request to an endpoint: its parameters, the client's address, and its web session (empty only for {@code
 * auth/login}, the one endpoint open without one).
 */
record Call(FormData params, InetAddress client, Optional<WebSessions.WebSession> session) {
    Call {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(session, "session");
    }

    /** A parameter qBittorrent requires ({@code requireParams}): 400 "Bad Request" when it is absent. */
    String require(String name) throws ApiException {
        return params.field(name).orElseThrow(() -> ApiException.badRequest("Bad Request"));
    }

    /** A parameter that may be absent: the empty string then. */
    String get(String name) {
        return params.get(name);
    }

    /** qBittorrent's {@code parseBool}: "true" or "false" in any case; anything else is no value. */
    Optional<Boolean> bool(String name) {
        String value = params.get(name).strip();
        if (value.equalsIgnoreCase("true")) {
            return Optional.of(true);
        }
        if (value.equalsIgnoreCase("false")) {
            return Optional.of(false);
        }
        return Optional.empty();
    }

    /** A number as Qt's {@code toLongLong} reads it: 0 when absent or not a number. */
    long longOrZero(String name) {
        try {
            return Long.parseLong(params.get(name).strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
