package dev.jtorrent.session;

import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.tracker.AnnounceEvent;
import dev.jtorrent.tracker.AnnounceRequest;
import dev.jtorrent.tracker.AnnounceResponse;
import dev.jtorrent.tracker.ScrapeResult;
import dev.jtorrent.tracker.Tracker;
import dev.jtorrent.tracker.TrackerException;
import dev.jtorrent.tracker.TrackerOpener;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tracker clients in memory, each playing a {@link Behaviour}, that record every announce made through them and how
 * many were under way at once. A tracker with no behaviour given answers with no peers every 30 minutes.
 */
final class FakeTrackers implements TrackerOpener {

    /** What a tracker does with an announce: answer, throw, or block. */
    @FunctionalInterface
    interface Behaviour {
        AnnounceResponse announce(AnnounceRequest request) throws TrackerException, InterruptedException;
    }

    /** One announce as a tracker saw it. */
    record Announce(String url, AnnounceEvent event, long left, Optional<String> trackerId, long at) {
    }

    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final List<Announce> announces = new CopyOnWriteArrayList<>();
    private final List<String> abandoned = new CopyOnWriteArrayList<>();
    private final AtomicInteger underWay = new AtomicInteger();
    private final AtomicInteger mostUnderWay = new AtomicInteger();

    /** From now on, {@code url} behaves as {@code behaviour}. */
    FakeTrackers set(String url, Behaviour behaviour) {
        behaviours.put(url, behaviour);
        return this;
    }

    static Behaviour answering(Duration interval, List<InetSocketAddress> peers) {
        return request -> reply(interval, peers, Optional.empty());
    }

    static Behaviour answering(Duration interval, String trackerId) {
        return request -> reply(interval, List.of(), Optional.of(trackerId));
    }

    static Behaviour failing(String message) {
        return request -> {
            throw new TrackerException(message);
        };
    }

    /** Never answers: blocks until the announce is interrupted. */
    static Behaviour silent() {
        return request -> {
            Thread.sleep(Long.MAX_VALUE);
            throw new AssertionError("unreachable");
        };
    }

    /** Behaves as {@code then} after {@code delay}, as a slow tracker does. */
    static Behaviour after(Duration delay, Behaviour then) {
        return request -> {
            Thread.sleep(delay);
            return then.announce(request);
        };
    }

    static AnnounceResponse reply(Duration interval, List<InetSocketAddress> peers, Optional<String> trackerId) {
        return new AnnounceResponse(interval, Optional.empty(), peers, OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty(), trackerId);
    }

    /** Every announce so far, in the order they began. */
    List<Announce> announces() {
        return List.copyOf(announces);
    }

    /** The events of the announces to {@code url} so far. */
    List<AnnounceEvent> events(String url) {
        return announces.stream().filter(a -> a.url().equals(url)).map(Announce::event).toList();
    }

    /** The instants, in milliseconds from {@code start}, of the announces to {@code url} so far. */
    List<Long> times(String url, long start) {
        return announces.stream().filter(a -> a.url().equals(url)).map(a -> (a.at() - start) / 1_000_000).toList();
    }

    /** The URLs whose announce was interrupted, once for each. */
    List<String> abandoned() {
        return List.copyOf(abandoned);
    }

    int underWay() {
        return underWay.get();
    }

    int mostUnderWayAtOnce() {
        return mostUnderWay.get();
    }

    @Override
    public Tracker open(String url) {
        return new Tracker() {
            @Override
            public String url() {
                return url;
            }

            @Override
            public AnnounceResponse announce(AnnounceRequest request) throws TrackerException, InterruptedException {
                announces.add(new Announce(url, request.event(), request.left(), request.trackerId(),
                        System.nanoTime()));
                mostUnderWay.accumulateAndGet(underWay.incrementAndGet(), Math::max);
                try {
                    return behaviours.getOrDefault(url, answering(Duration.ofMinutes(30), List.of()))
                            .announce(request);
                } catch (InterruptedException e) {
                    abandoned.add(url);
                    throw e;
                } finally {
                    underWay.decrementAndGet();
                }
            }

            @Override
            public List<ScrapeResult> scrape(List<InfoHash> infoHashes) {
                throw new UnsupportedOperationException("the announcer does not scrape");
            }

            @Override
            public void close() {
            }
        };
    }
}
