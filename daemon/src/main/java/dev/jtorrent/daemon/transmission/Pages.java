package dev.jtorrent.daemon.transmission;

/**
 * The bodies of the RPC's HTTP error replies, worded as transmission-daemon's (clients such as transmission-remote
 * print them), in {@code text/html; charset=ISO-8859-1}.
 */
final class Pages {
    static final String LOCKED_OUT = "<h1>403: Forbidden</h1><p>Too many unsuccessful login attempts."
            + " Please restart the daemon.</p>";
    static final String NOT_WHITELISTED = "<h1>403: Forbidden</h1><p>Unauthorized IP Address.</p><p>Either disable"
            + " the IP address whitelist or add your address to it.</p><p>If you're editing settings.json, see the"
            + " 'rpc-whitelist' and 'rpc-whitelist-enabled' entries.</p>";
    static final String MISDIRECTED = "<h1>421: Misdirected Request</h1><p>Transmission received your request, but"
            + " the hostname was unrecognized.</p><p>To fix this, add the hostname you want to use to the host"
            + " whitelist ('rpc-host-whitelist' in settings.json, --rpc-host-whitelist on the command line).</p><p>This"
            + " requirement has been added to help prevent <a href=\"https://en.wikipedia.org/wiki/DNS_rebinding\">DNS"
            + " Rebinding</a> attacks.</p>";
    static final String METHOD_NOT_ALLOWED = "<h1>405: Method Not Allowed</h1>";
    static final String NOT_FOUND = "<h1>404: Not Found</h1>";
    static final String TRAVERSAL = "<h1>404: Not Found</h1><p>Tsk, tsk.</p>";
    static final String NO_WEB_HOME = "<h1>404: Not Found</h1><p>No web client is installed: start the daemon with"
            + " --web-home DIR (or set TRANSMISSION_WEB_HOME) to serve one here.</p>";

    private Pages() {
    }

    static String unauthorized(int failures) {
        return "<h1>401: Unauthorized</h1><p>Unauthorized User. " + failures + " unsuccessful login attempts.</p>";
    }

    static String tooLarge(int limit) {
        return "<h1>413: Payload Too Large</h1><p>A request body is at most " + limit + " bytes.</p>";
    }

    static String conflict(String sessionId) {
        return "<h1>409: Conflict</h1><p>Your request had an invalid session-id header.</p><p>To fix this, follow"
                + " these steps:<ol><li> When reading a response, get its X-Transmission-Session-Id header and"
                + " remember it<li> Add the updated header to your outgoing requests<li> When you get this 409 error"
                + " message, resend your request with the updated header</ol></p><p>This requirement has been added"
                + " to help prevent <a href=\"https://en.wikipedia.org/wiki/Cross-site_request_forgery\">CSRF</a>"
                + " attacks.</p><p><code>X-Transmission-Session-Id: " + sessionId + "</code></p>";
    }
}
