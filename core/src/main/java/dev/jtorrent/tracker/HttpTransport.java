package dev.jtorrent.tracker;

import java.net.URI;
import java.util.Optional;

/**
 * One HTTP GET, without redirects: {@link HttpTracker} follows those itself so that the hop limit is its own and
 * every hop shares one deadline.
 */
interface HttpTransport {

    /**
     * Fetches {@code uri}, finishing by {@code deadline} (a {@link System#nanoTime()} instant) with the body under
     * {@link HttpTracker#MAX_REPLY}.
     *
     * @throws TrackerException with one of the messages of {@link HttpErrors} or a "bad tracker reply"
     */
    Reply get(URI uri, long deadline) throws TrackerException, InterruptedException;

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
