package dev.jtorrent.tracker;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;

/**
 * Where tracker requests may go: the defence against server-side request forgery. Anyone can write a torrent and
 * any tracker can answer with a redirect, and both would otherwise aim our requests at services that trust whatever
 * comes from this machine or its network. Each request is checked against the address its host resolved to, before
 * a connection is opened:
 * <ul>
 *   <li>link-local addresses (169.254.0.0/16, fe80::/10) are refused outright: clouds serve instance credentials at
 *       169.254.169.254, and no tracker lives there;</li>
 *   <li>an HTTP tracker on this machine (loopback, or the wildcard address, which reaches it too) must have a path
 *       that starts with {@code /announce} ({@code /scrape} for a scrape), as libtorrent's {@code ssrf_mitigation}
 *       requires: the RPC and web interfaces of local programs have other paths;</li>
 *   <li>a redirect may not lead nearer than the tracker it came from: from the internet neither into the local network
 *       nor to this machine, from the local network not to this machine (libtorrent refuses the first).</li>
 * </ul>
 */
final class AddressPolicy {

    /** How near an address is, from the farthest; a redirect may not move to a nearer one. */
    enum Scope {
        INTERNET("the internet"), LOCAL_NETWORK("the local network"), THIS_MACHINE("this machine");

        private final String description;

        Scope(String description) {
            this.description = description;
        }
    }

    private AddressPolicy() {
    }

    /**
     * Checks one HTTP request: the tracker's own URL, or a redirect's target.
     *
     * @param uri        the request, whose path is checked when it goes to this machine
     * @param address    what the URL's host resolved to
     * @param pathPrefix {@code /announce} or {@code /scrape}: what a path on this machine must start with
     * @param origin     for a redirect, the address of the tracker the redirects started at
     * @throws TrackerException with a one-line message saying why the request is refused
     */
    static void checkHttp(URI uri, InetAddress address, String pathPrefix, Optional<InetAddress> origin)
            throws TrackerException {
        Scope scope = check(address);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (scope == Scope.THIS_MACHINE && !path.startsWith(pathPrefix)) {
            throw new TrackerException("refused a tracker on this machine (" + address.getHostAddress()
                    + ") whose path does not start with " + pathPrefix + ": " + HttpTrackerReply.oneLine(path));
        }
        if (origin.isPresent() && scope.compareTo(scope(origin.get())) > 0) {
            throw new TrackerException("refused a redirect from " + origin.get().getHostAddress() + " on "
                    + scope(origin.get()).description + " to " + address.getHostAddress() + " on "
                    + scope.description);
        }
    }

    /**
     * Checks any tracker's address, a UDP tracker's too: link-local addresses are refused.
     *
     * @return how near the address is
     * @throws TrackerException with a one-line message saying why the address is refused
     */
    static Scope check(InetAddress address) throws TrackerException {
        if (address.isLinkLocalAddress()) {
            throw new TrackerException("refused a tracker at the link-local address " + address.getHostAddress()
                    + ", where clouds serve instance credentials");
        }
        return scope(address);
    }

    /** The scope of an address; a link-local one, which {@link #check} refuses, is on the local network. */
    static Scope scope(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return Scope.THIS_MACHINE;
        }
        boolean uniqueLocal = address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
        if (address.isSiteLocalAddress() || address.isLinkLocalAddress() || uniqueLocal) {
            return Scope.LOCAL_NETWORK;
        }
        return Scope.INTERNET;
    }
}
