package dev.jtorrent.daemon.qbittorrent;

import java.time.Duration;

/**
 * The bounds of the Web API: what one request may carry, how many clients it remembers and for how long, and how
 * long it waits for a torrent URL. Each has a test that crosses it.
 *
 * @param maxBodyBytes        a request body, multipart uploads included, in all
 * @param maxFileBytes        one uploaded or fetched .torrent (the metainfo parser's own bound is 48 MiB)
 * @param maxFields           form fields and files of one request together
 * @param sessionTimeout      a web session ends after this long without a request (qBittorrent: 3600 s)
 * @param maxSessions         web sessions at once; the least recently used ends for a new one
 * @param snapshotsPerSession {@code sync/maindata} answers a session can get changes since
 * @param maxLoginFailures    failed logins that ban a client (qBittorrent: 5)
 * @param banDuration         how long the ban lasts (qBittorrent: 3600 s)
 * @param maxFailureEntries   clients the failed-login table remembers
 * @param fetchTimeout        the whole fetch of a torrent URL given to {@code torrents/add}
 */
public record QbtLimits(int maxBodyBytes, int maxFileBytes, int maxFields, Duration sessionTimeout,
                        int maxSessions, int snapshotsPerSession, int maxLoginFailures, Duration banDuration,
                        int maxFailureEntries, Duration fetchTimeout) {
    public static final QbtLimits DEFAULTS = new QbtLimits(16 * 1024 * 1024, 16 * 1024 * 1024, 1_000,
            Duration.ofSeconds(3600), 64, 3, 5, Duration.ofSeconds(3600), 10_000, Duration.ofSeconds(30));

    public QbtLimits {
        if (maxBodyBytes < 1 || maxFileBytes < 1 || maxFields < 1 || maxSessions < 1 || snapshotsPerSession < 1
                || maxLoginFailures < 1 || maxFailureEntries < 1) {
            throw new IllegalArgumentException("Web API limits must be positive");
        }
    }
}
