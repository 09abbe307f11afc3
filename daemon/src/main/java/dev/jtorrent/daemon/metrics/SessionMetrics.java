package dev.jtorrent.daemon.metrics;

import dev.jtorrent.session.PayloadTotals;
import dev.jtorrent.session.Session;
import dev.jtorrent.session.TorrentHandle;
import dev.jtorrent.session.TorrentStatus;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.Objects;

/**
 * What a session is doing, read at each scrape: its torrents by state, the payload moved and its rates, peers, DHT
 * nodes, the disk's queue and read cache, and what the IP filter blocked.
 *
 * <p>A scrape costs one status of each torrent (the pass that counts states, rates and peers), plus the session's
 * own pass for its payload totals ({@link Session#payloadTotals()}), and no series per torrent: with 10,000 torrents
 * the answer is as short as with one. Nothing is kept between scrapes, so nothing grows with the torrents added and
 * removed.
 */
final class SessionMetrics implements MultiCollector {
    static final String TORRENTS = "jtorrent_torrents";
    static final String DOWNLOADED = "jtorrent_payload_downloaded_bytes";
    static final String UPLOADED = "jtorrent_payload_uploaded_bytes";
    static final String DOWNLOAD_RATE = "jtorrent_payload_download_rate_bytes_per_second";
    static final String UPLOAD_RATE = "jtorrent_payload_upload_rate_bytes_per_second";
    static final String PEERS = "jtorrent_peers_connected";
    static final String KNOWN_PEERS = "jtorrent_peers_known";
    static final String DHT_NODES = "jtorrent_dht_nodes";
    static final String DISK_JOBS = "jtorrent_disk_jobs_waiting";
    static final String READ_CACHE = "jtorrent_disk_read_cache_bytes";
    static final String BLOCKED = "jtorrent_ip_filter_blocked";

    private final Session session;
    /** When the session's counters started from 0: their {@code _created} time (OpenMetrics). */
    private final long startedMillis;

    SessionMetrics(Session session, long startedMillis) {
        this.session = Objects.requireNonNull(session, "session");
        this.startedMillis = startedMillis;
    }

    @Override
    public MetricSnapshots collect() {
        int[] byState = new int[StateLabel.values().length];
        double downRate = 0;
        double upRate = 0;
        long peers = 0;
        long knownPeers = 0;
        for (TorrentHandle handle : session.torrents()) {
            TorrentStatus status;
            try {
                status = handle.status();
            } catch (IllegalStateException removedMeanwhile) {
                continue;
            }
            byState[StateLabel.of(status.state()).ordinal()]++;
            downRate += status.downloadRate();
            upRate += status.uploadRate();
            peers += status.peers();
            knownPeers += status.knownPeers();
        }
        PayloadTotals payload = session.payloadTotals();

        GaugeSnapshot.Builder torrents = GaugeSnapshot.builder().name(TORRENTS)
                .help("Torrents in the session, by state");
        for (StateLabel state : StateLabel.values()) {
            torrents.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("state", state.label())).value(byState[state.ordinal()]).build());
        }
        return MetricSnapshots.of(
                torrents.build(),
                counter(DOWNLOADED, "Payload bytes downloaded since the daemon started, removed torrents included",
                        Unit.BYTES, payload.downloaded()),
                counter(UPLOADED, "Payload bytes uploaded since the daemon started, removed torrents included",
                        Unit.BYTES, payload.uploaded()),
                gauge(DOWNLOAD_RATE, "Payload bytes a second downloaded, over the last seconds", downRate),
                gauge(UPLOAD_RATE, "Payload bytes a second uploaded, over the last seconds", upRate),
                gauge(PEERS, "Peers connected, over all torrents", peers),
                gauge(KNOWN_PEERS, "Peer addresses known (from trackers, the DHT, PEX, LSD), over all torrents",
                        knownPeers),
                gauge(DHT_NODES, "Nodes in the DHT routing table; 0 with the DHT off", session.dhtNodes()),
                gauge(DISK_JOBS, "Disk jobs (checks, writes, reads) waiting for a disk thread",
                        session.diskJobsWaiting()),
                GaugeSnapshot.builder().name(READ_CACHE).unit(Unit.BYTES)
                        .help("Memory held by the read caches of pieces read for uploads")
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                                .value(session.readCacheBytes()).build())
                        .build(),
                counter(BLOCKED, "Peers the IP filter blocked (connections refused, dials not made, addresses dropped)",
                        null, session.blockedByIpFilter()));
    }

    private CounterSnapshot counter(String name, String help, Unit unit, long value) {
        CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(help);
        if (unit != null) {
            counter.unit(unit);
        }
        return counter.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .value(value).createdTimestampMillis(startedMillis).build()).build();
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }
}
