package dev.jtorrent.tracker;

import dev.jtorrent.metainfo.InfoHash;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP(S) tracker client (BEP 3, BEP 7, BEP 23, BEP 48). Each request, its redirects and its body together must
 * finish within the request timeout; bodies over 1 MiB (after gzip) are cut off; at most 5 redirects are followed.
 */
final class HttpTracker implements Tracker {
    static final int MAX_REPLY = 1024 * 1024;
    static final int MAX_REDIRECTS = 5;

    private final URI announceUrl;
    private final TrackerConfig config;
    private final JdkHttpTransport transport;

    HttpTracker(URI announceUrl, TrackerConfig config) {
        this.announceUrl = announceUrl;
        this.config = config;
        this.transport = new JdkHttpTransport(config);
    }

    @Override
    public String url() {
        return announceUrl.toString();
    }

    @Override
    public AnnounceResponse announce(AnnounceRequest request) throws TrackerException, InterruptedException {
        return HttpTrackerReply.announce(get(HttpQuery.announce(announceUrl, request)));
    }

    @Override
    public List<ScrapeResult> scrape(List<InfoHash> infoHashes) throws TrackerException, InterruptedException {
        URI scrapeUrl = HttpQuery.scrapeUrl(announceUrl).orElseThrow(() -> new TrackerException(
                "tracker does not support scrape: its URL has no 'announce' to replace (" + announceUrl + ")"));
        return HttpTrackerReply.scrape(get(HttpQuery.scrape(scrapeUrl, infoHashes)));
    }

    private byte[] get(URI first) throws TrackerException, InterruptedException {
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        URI uri = first;
        for (int hop = 0; ; hop++) {
            HttpTransport.Reply reply = transport.get(uri, deadline);
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
    public void close() {
        transport.close();
    }
}
