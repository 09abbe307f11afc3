/**
 * {@code /metrics}: the daemon's figures in the Prometheus text format (and OpenMetrics), through the Prometheus
 * Java client's data model and writers. {@link dev.jtorrent.daemon.metrics.MetricsEndpoint} serves them, after the
 * daemon's access checks ({@code ScrapeAccess}); {@code SessionMetrics} reads the session in one pass at each
 * scrape, with no series per torrent; {@code RequestMetrics} reports the daemon's
 * {@link dev.jtorrent.daemon.RequestCounter}.
 */
package dev.jtorrent.daemon.metrics;
