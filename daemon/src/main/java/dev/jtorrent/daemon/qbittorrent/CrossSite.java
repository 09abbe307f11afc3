package dev.jtorrent.daemon.qbittorrent;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * qBittorrent's defence against cross-site request forgery (OWASP's "verifying same origin with standard headers"):
 * a request that carries an {@code Origin}, or failing that a {@code Referer}, whose host and port differ from those
 * of the {@code Host} it was sent to ({@code X-Forwarded-Host} when a proxy set one) came from another site's page,
 * and is answered 401. A request with neither header passes, as in qBittorrent: scripts and libraries send none, and
 * refusing them would only teach them to forge one.
 *
 * <p>The ports are compared as written: {@code http://host} (no port) and {@code host:8080} differ, which is what
 * qBittorrent's {@code QUrl::port()} comparison does too.
 */
final class CrossSite {
    private CrossSite() {
    }

    /** Whether the request came from another origin than the one it was sent to. */
    static boolean isCrossSite(String host, String forwardedHost, String origin, String referer) {
        String target = forwardedHost != null && !forwardedHost.isEmpty() ? forwardedHost : host;
        String source = origin != null && !origin.isEmpty() ? origin
                : referer != null && !referer.isEmpty() ? referer : null;
        if (source == null) {
            return false;
        }
        HostPort targetOrigin = HostPort.of(target == null ? "" : target.contains("://") ? target
                : "http://" + target);
        HostPort sourceOrigin = HostPort.of(source);
        return targetOrigin == null || !targetOrigin.equals(sourceOrigin);
    }

    /** A URL's host (lower case, IPv6 without brackets) and its port as written, -1 for none. */
    record HostPort(String host, int port) {
        static HostPort of(String url) {
            try {
                URI uri = new URI(url.strip());
                if (uri.getHost() == null) {
                    return null;
                }
                String host = uri.getHost().toLowerCase(Locale.ROOT);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                return new HostPort(host, uri.getPort());
            } catch (URISyntaxException e) {
                return null;
            }
        }
    }
}
