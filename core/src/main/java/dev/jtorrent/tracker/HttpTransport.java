package dev.jtorrent.tracker;

import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;

/**
 * One HTTP GET, without redirects: {@link HttpTracker} follows those itself so that the hop limit is its own and
 * every hop shares one deadline. Two implementations exist because they cost very different amounts to start: a
 * plain socket for {@code http://} costs a few milliseconds, while the JDK's HttpClient, needed for TLS, spends
 * about 150 ms of a fresh process loading CA certificates and starting its machinery.
 */
interface HttpTransport {

    /**
     * Fetches {@code uri}, finishing by {@code deadline} (a {@link System#nanoTime()} instant), with a body of at
     * most {@link HttpTracker#MAX_REPLY} bytes.
     *
     * @param host the address that {@code uri}'s host resolved to, which {@link AddressPolicy} allowed. The socket
     *             transport connects to it. The JDK's HttpClient cannot be handed an address, so it looks the name
     *             up again, and a DNS answer that changed in between could take an https request where the policy
     *             would not; that request still needs a TLS handshake valid for the name, which neither a cloud's
     *             metadata service nor a local program's web interface can give.
     * @throws TrackerException with a one-line message; the faults both transports meet (a timeout, the cap, a
     *                          failed connection) are worded alike, by {@link HttpErrors}
     */
    Reply get(URI uri, InetAddress host, long deadline) throws TrackerException, InterruptedException;

    /**
     * What HttpTracker needs of a response.
     *
     * @param location        the {@code Location} header, for redirects
     * @param contentEncoding the {@code Content-Encoding} header, since trackers may gzip their reply
     * @param body            the body as sent (still gzipped, if it was), without any transfer coding
     */
    record Reply(int status, Optional<String> location, Optional<String> contentEncoding, byte[] body) {
    }
}
