package dev.jtorrent.tracker;

import java.time.Duration;

/**
 * The one-line errors an HTTP(S) announce or scrape ends in, worded once so that both transports and every redirect
 * hop fail alike: a user sees the same message for the same fault whether the tracker speaks http or https. The
 * timeouts are quoted from the configuration.
 */
final class HttpErrors {
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    HttpErrors(TrackerConfig config) {
        this.connectTimeout = config.connectTimeout();
        this.requestTimeout = config.requestTimeout();
    }

    /** The request, its redirects and its body did not finish within the request timeout. */
    TrackerException timeout() {
        return new TrackerException("no reply from tracker within " + requestTimeout.toMillis() + " ms");
    }

    /** The TCP (or TLS) connection did not open within the connect timeout. */
    TrackerException connectTimeout() {
        return new TrackerException("could not connect to tracker within " + connectTimeout.toMillis() + " ms");
    }

    /** The body, before or after inflating gzip, is over {@link HttpTracker#MAX_REPLY}. */
    static TrackerException tooLarge() {
        return new TrackerException("reply larger than 1 MiB");
    }

    /** The reply broke HTTP's framing; {@code what} says how, in a few words. */
    static TrackerException badReply(String what) {
        return new TrackerException("bad tracker reply: " + what);
    }

    /**
     * The connection failed for a reason of its own (refused, reset, a TLS handshake failure). I/O libraries wrap
     * the real cause in layers of IOExceptions; the innermost one says what happened.
     */
    static TrackerException unreachable(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return unreachable(detail, cause);
    }

    /** As {@link #unreachable(Throwable)}, in words of our own. */
    static TrackerException unreachable(String detail, Throwable cause) {
        return new TrackerException("could not reach tracker: " + HttpTrackerReply.oneLine(detail), cause);
    }

    /** As {@link #unreachable(Throwable)}, for a failure we found without an exception to blame. */
    static TrackerException unreachable(String detail) {
        return new TrackerException("could not reach tracker: " + HttpTrackerReply.oneLine(detail));
    }
}
