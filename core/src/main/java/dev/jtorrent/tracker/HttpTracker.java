package dev.jtorrent.tracker;

import dev.jtorrent.metainfo.InfoHash;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP(S) tracker client (BEP 3, BEP 7, BEP 23, BEP 48). Each request, its redirects and its body together must
 * finish within the request timeout; bodies over 1 MiB (after gzip) are cut off; at most 5 redirects are followed,
 * and none to where {@link AddressPolicy} forbids.
 *
 * <p>{@code http://} URLs go over a plain socket ({@link SocketHttpTransport}); {@code https://} ones over the JDK's
 * HttpClient ({@link JdkHttpTransport}), built only when a URL first needs TLS, since building it costs a fresh
 * process about 150 ms that a download would otherwise wait for before its first peer.
 */
final class HttpTracker implements Tracker {
    static final int MAX_REPLY = 1024 * 1024;
    static final int MAX_REDIRECTS = 5;

    private final URI announceUrl;
    private final TrackerConfig config;
    private final HttpErrors errors;
    private final SocketHttpTransport plain;
    private JdkHttpTransport tls; // guarded by this; null until an https URL is first fetched
    private boolean closed; // guarded by this; a closed client must not build a new HttpClient that nothing closes

    HttpTracker(URI announceUrl, TrackerConfig config) {
        this.announceUrl = announceUrl;
        this.config = config;
        this.errors = new HttpErrors(config);
        this.plain = new SocketHttpTransport(config);
    }

    @Override
    public String url() {
        return announceUrl.toString();
    }

    @Override
    public AnnounceResponse announce(AnnounceRequest request) throws TrackerException, InterruptedException {
        return HttpTrackerReply.announce(get(HttpQuery.announce(announceUrl, request, config.ipv6()), "/announce"));
    }

    @Override
    public List<ScrapeResult> scrape(List<InfoHash> infoHashes) throws TrackerException, InterruptedException {
        URI scrapeUrl = HttpQuery.scrapeUrl(announceUrl).orElseThrow(() -> new TrackerException(
                "tracker does not support scrape: its URL has no 'announce' to replace (" + announceUrl + ")"));
        return HttpTrackerReply.scrape(get(HttpQuery.scrape(scrapeUrl, infoHashes), "/scrape"));
    }

    /**
     * GETs {@code first}, following redirects. Every hop's address is looked up and checked by {@link AddressPolicy}
     * before anything connects to it; {@code pathPrefix} is what a path on this machine must start with.
     */
    private byte[] get(URI first, String pathPrefix) throws TrackerException, InterruptedException {
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        URI uri = first;
        Optional<InetAddress> origin = Optional.empty();
        for (int hop = 0; ; hop++) {
            InetAddress address = HostLookup.resolve(uri.getHost(), deadline, errors);
            AddressPolicy.checkHttp(uri, address, pathPrefix, origin);
            if (origin.isEmpty()) {
                origin = Optional.of(address);
            }
            HttpTransport.Reply reply = transportFor(uri).get(uri, address, deadline);
            int status = reply.status();
            if (status >= 300 && status < 400 && status != 304) {
                if (hop == MAX_REDIRECTS) {
                    throw new TrackerException("tracker redirected more than " + MAX_REDIRECTS + " times");
                }
                uri = redirectTarget(uri, reply);
                continue;
            }
            byte[] body = decoded(reply);
            if (status != 200 && body.length == 0) {
                throw new TrackerException("tracker answered HTTP " + status);
            }
            // Trackers often put a bencoded failure reason in a 4xx/5xx body; let the reply parser report it.
            return body;
        }
    }

    /** The transport for {@code uri}'s scheme: http or https, as {@link Tracker#open} and redirectTarget ensure. */
    private synchronized HttpTransport transportFor(URI uri) throws TrackerException {
        if (closed) {
            throw new TrackerException("tracker client is closed");
        }
        if (!uri.getScheme().equalsIgnoreCase("https")) {
            return plain;
        }
        if (tls == null) {
            tls = new JdkHttpTransport(config);
        }
        return tls;
    }

    private static URI redirectTarget(URI from, HttpTransport.Reply reply) throws TrackerException {
        if (reply.location().isEmpty()) {
            throw new TrackerException("tracker answered HTTP " + reply.status() + " without a Location");
        }
        try {
            URI target = from.resolve(reply.location().get().strip());
            String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new TrackerException("tracker redirected to a non-HTTP URL");
            }
            if (target.getHost() == null) {
                throw new TrackerException("tracker redirected to an invalid URL");
            }
            return target;
        } catch (IllegalArgumentException e) {
            throw new TrackerException("tracker redirected to an invalid URL");
        }
    }

    private static byte[] decoded(HttpTransport.Reply reply) throws TrackerException {
        boolean gzip = reply.contentEncoding().map(v -> v.strip().equalsIgnoreCase("gzip")).orElse(false);
        if (!gzip) {
            return reply.body();
        }
        try {
            return CappedBody.gunzip(reply.body(), MAX_REPLY);
        } catch (CappedBody.TooLarge e) {
            throw HttpErrors.tooLarge();
        } catch (IOException e) {
            throw HttpErrors.badReply("broken gzip encoding");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (tls != null) {
            tls.close();
        }
    }
}
