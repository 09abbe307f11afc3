package dev.jtorrent.daemon;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who may use the daemon's HTTP front: the checks each API applies in its own order and with its own answers (the
 * Transmission RPC answers 403, 401, 421 as transmission-daemon does; the qBittorrent Web API as qBittorrent does).
 *
 * @param clientAllowed whether a client address may use the front at all (the RPC whitelist)
 * @param hostAllowed   whether a request's {@code Host} name, without its port, names this daemon (against DNS
 *                      rebinding)
 * @param credentials   the user name and password requests must carry, or empty when authentication is off
 */
public record HttpAccess(Predicate<InetAddress> clientAllowed, Predicate<String> hostAllowed,
                         Optional<Credentials> credentials) {
    /** The one account of the daemon. */
    public interface Credentials {
        /** Whether {@code user} and {@code password} are the account's; in time independent of where they differ. */
        boolean check(String user, String password);
    }

    public HttpAccess {
        Objects.requireNonNull(clientAllowed, "clientAllowed");
        Objects.requireNonNull(hostAllowed, "hostAllowed");
        Objects.requireNonNull(credentials, "credentials");
    }
}
