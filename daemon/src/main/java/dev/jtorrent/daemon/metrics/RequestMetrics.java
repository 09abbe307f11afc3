package dev.jtorrent.daemon.metrics;

import dev.jtorrent.daemon.RequestCounter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.Objects;

/**
 * The HTTP front's requests by API and result, from its {@link RequestCounter}: every pair reported, at 0 too, so
 * that a rate over a series that has not moved yet is 0 and not absent.
 */
final class RequestMetrics implements MultiCollector {
    static final String REQUESTS = "jtorrent_rpc_requests";

    private final RequestCounter counter;
    private final long startedMillis;

    RequestMetrics(RequestCounter counter, long startedMillis) {
        this.counter = Objects.requireNonNull(counter, "counter");
        this.startedMillis = startedMillis;
    }

    @Override
    public MetricSnapshots collect() {
        CounterSnapshot.Builder requests = CounterSnapshot.builder().name(REQUESTS)
                .help("Requests answered by each API of the HTTP front, by result");
        for (RequestCounter.Api api : RequestCounter.Api.values()) {
            for (RequestCounter.Result result : RequestCounter.Result.values()) {
                requests.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(Labels.of("api", api.label(), "result", result.label()))
                        .value(counter.count(api, result)).createdTimestampMillis(startedMillis).build());
            }
        }
        return MetricSnapshots.of(requests.build());
    }
}
