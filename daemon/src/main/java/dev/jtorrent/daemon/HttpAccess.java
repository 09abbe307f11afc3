package dev.jtorrent.daemon;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who may use the daemon's HTTP front: the checks each API applies in its own order and with its own answers (the
 * Transmission RPC answers 403, 401, 421 as transmission-daemon does; the qBittorrent Web API as qBittorrent does).
 * {@link #allowsClient}, {@link #allowsHost} and {@link #allowsBasic} apply each check to what a request carries.
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

    /** An {@code Authorization} header longer than this is refused without being decoded. */
    static final int MAX_AUTHORIZATION_LENGTH = 4 * 1024;

    public HttpAccess {
        Objects.requireNonNull(clientAllowed, "clientAllowed");
        Objects.requireNonNull(hostAllowed, "hostAllowed");
        Objects.requireNonNull(credentials, "credentials");
    }

    /**
     * The daemon's checks from its settings' values.
     *
     * @param whitelist     Transmission's {@code rpc-whitelist} syntax, CIDR blocks accepted too
     * @param hostWhitelist names allowed in {@code Host} besides IP literals and localhost
     * @throws IllegalArgumentException naming a bad entry of either list
     */
    public static HttpAccess of(String whitelist, String hostWhitelist, Optional<Credentials> credentials) {
        return new HttpAccess(ClientWhitelist.parse(whitelist), HostWhitelist.parse(hostWhitelist), credentials);
    }

    /** Whether {@code client} may use the front; an IPv4-mapped IPv6 address counts as its IPv4 address. */
    public boolean allowsClient(InetAddress client) {
        return clientAllowed.test(ClientWhitelist.normalised(client));
    }

    /** Whether a request's {@code Host} header (with or without a port) names this daemon; a missing one does not. */
    public boolean allowsHost(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String host = HostWhitelist.hostOf(hostHeader);
        return !host.isEmpty() && hostAllowed.test(host);
    }

    /**
     * Whether an {@code Authorization} header carries the account's user name and password (HTTP Basic, RFC 7617);
     * always true when authentication is off.
     */
    public boolean allowsBasic(String authorization) {
        if (credentials.isEmpty()) {
            return true;
        }
        if (authorization == null || authorization.length() > MAX_AUTHORIZATION_LENGTH
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = pair.indexOf(':');
        return colon >= 0 && credentials.get().check(pair.substring(0, colon), pair.substring(colon + 1));
    }
}
