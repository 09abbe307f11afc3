package dev.jtorrent.daemon.qbittorrent;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TorrentFeedTest {
    static final long SECOND = 1_000_000_000L;
    static final int PROGRESS = TorrentRow.index("progress");
    static final int DLSPEED = TorrentRow.index("dlspeed");
    static final int STATE = TorrentRow.STATE;

    static Object[] row(String hash, double progress, long rate, String state) {
        Object[] row = new Object[TorrentRow.FIELDS.size()];
        Arrays.fill(row, 0L);
        row[TorrentRow.HASH] = hash;
        row[PROGRESS] = progress;
        row[DLSPEED] = rate;
        row[STATE] = state;
        return row;
    }

    static Object[] server(long rate) {
        Object[] state = new Object[ServerState.FIELDS.size()];
        Arrays.fill(state, 0L);
        state[ServerState.FIELDS.indexOf("dl_info_speed")] = rate;
        return state;
    }

    @SafeVarargs
    static MainDataHistory.Snapshot snapshot(long serverRate, Object[]... rows) {
        Map<String, Object[]> torrents = new LinkedHashMap<>();
        for (Object[] row : rows) {
            torrents.put((String) row[TorrentRow.HASH], row);
        }
        return new MainDataHistory.Snapshot(torrents, Map.of(), Map.of(), List.of(), server(serverRate));
    }

    static JsonNode json(TorrentFeed.Update update) {
        String frame = new String(EventStreams.frame(update), StandardCharsets.UTF_8);
        assertThat(frame).startsWith("id: " + update.id() + "\nevent: update\ndata: {").endsWith("}\n\n");
        String data = frame.substring(frame.indexOf("data: ") + 6, frame.length() - 2);
        assertThat(data).doesNotContain("\n");
        return JsonMapper.builder().build().readTree(data);
    }

    @Test
    void theFirstSnapshotOnlySetsTheBaseAndNothingChangedSendsNothing() {
        TorrentFeed feed = new TorrentFeed();
        assertThat(feed.next(snapshot(0, row("aa", 0.5, 10, "downloading")), 0)).isEmpty();
        assertThat(feed.next(snapshot(0, row("aa", 0.5, 10, "downloading")), 5 * SECOND)).isEmpty();
    }

    @Test
    void sendsOnlyTheFieldsThatChangedInSyncMaindataForm() {
        TorrentFeed feed = new TorrentFeed();
        feed.next(snapshot(0, row("aa", 0.5, 10, "downloading"), row("bb", 1.0, 0, "stalledUP")), 0);

        TorrentFeed.Update update = feed.next(snapshot(0, row("aa", 0.75, 10, "downloading"),
                row("bb", 1.0, 0, "stalledUP")), 2 * SECOND).orElseThrow();
        JsonNode json = json(update);

        assertThat(json.get("rid").asInt()).isEqualTo(update.id());
        assertThat(json.has("full_update")).isFalse();
        assertThat(json.get("torrents").propertyNames()).containsExactly("aa");
        assertThat(json.get("torrents").get("aa").propertyNames()).containsExactly("progress");
        assertThat(json.get("torrents").get("aa").get("progress").asDouble()).isEqualTo(0.75);
    }

    @Test
    void addedAndRemovedTorrentsGoAtOnceWhole() {
        TorrentFeed feed = new TorrentFeed();
        feed.next(snapshot(0, row("aa", 0.5, 10, "downloading")), 0);
        // A tenth of a second later: within the gap, but an addition and a removal are not held back.
        JsonNode json = json(feed.next(snapshot(0, row("bb", 0.0, 0, "metaDL")), SECOND / 10).orElseThrow());

        assertThat(json.get("torrents").get("bb").get("state").asString()).isEqualTo("metaDL");
        assertThat(json.get("torrents").get("bb").size()).isEqualTo(TorrentRow.FIELDS.size() - 1);
        assertThat(json.get("torrents_removed").get(0).asString()).isEqualTo("aa");
    }

    @Test
    void aTorrentChangesAtMostOnceASecondAndAHeldBackChangeGoesAfterTheGap() {
        TorrentFeed feed = new TorrentFeed();
        feed.next(snapshot(0, row("aa", 0.1, 10, "downloading")), 0);
        TorrentFeed.Update first = feed.next(snapshot(0, row("aa", 0.2, 20, "downloading")), SECOND).orElseThrow();
        assertThat(json(first).get("torrents").get("aa").get("progress").asDouble()).isEqualTo(0.2);

        // 0.3 s and 0.9 s after it: held back, nothing to send.
        assertThat(feed.next(snapshot(0, row("aa", 0.3, 30, "downloading")), SECOND + 3 * SECOND / 10)).isEmpty();
        assertThat(feed.next(snapshot(0, row("aa", 0.4, 40, "pausedDL")), SECOND + 9 * SECOND / 10)).isEmpty();

        // A full second after the last send: the latest values, compared with what was sent, go together.
        JsonNode json = json(feed.next(snapshot(0, row("aa", 0.4, 40, "pausedDL")), 2 * SECOND).orElseThrow());
        assertThat(json.get("torrents").get("aa").get("progress").asDouble()).isEqualTo(0.4);
        assertThat(json.get("torrents").get("aa").get("dlspeed").asLong()).isEqualTo(40);
        assertThat(json.get("torrents").get("aa").get("state").asString()).isEqualTo("pausedDL");
    }

    @Test
    void oneBusyTorrentDoesNotHoldBackAnother() {
        TorrentFeed feed = new TorrentFeed();
        feed.next(snapshot(0, row("aa", 0.1, 10, "downloading"), row("bb", 0.1, 10, "downloading")), 0);
        feed.next(snapshot(0, row("aa", 0.2, 10, "downloading"), row("bb", 0.1, 10, "downloading")), SECOND);
        // bb last went at 0 s: due. aa went at 1 s: held.
        JsonNode json = json(feed.next(snapshot(0, row("aa", 0.3, 10, "downloading"),
                row("bb", 0.2, 10, "downloading")), SECOND + SECOND / 2).orElseThrow());
        assertThat(json.get("torrents").propertyNames()).containsExactly("bb");
    }

    @Test
    void theServerStateFollowsTheSameGap() {
        TorrentFeed feed = new TorrentFeed();
        feed.next(snapshot(0), 0);
        JsonNode json = json(feed.next(snapshot(100), SECOND).orElseThrow());
        assertThat(json.get("server_state").get("dl_info_speed").asLong()).isEqualTo(100);
        assertThat(feed.next(snapshot(200), SECOND + SECOND / 2)).isEmpty();
        assertThat(json(feed.next(snapshot(200), 2 * SECOND).orElseThrow()).get("server_state")
                .get("dl_info_speed").asLong()).isEqualTo(200);
    }

    @Test
    void afterAResetTheNextSnapshotIsTheBaseAgain() {
        TorrentFeed feed = new TorrentFeed();
        feed.next(snapshot(0, row("aa", 0.1, 10, "downloading")), 0);
        feed.reset();
        assertThat(feed.next(snapshot(0, row("bb", 0.1, 10, "downloading")), SECOND)).isEmpty();
        Optional<TorrentFeed.Update> next = feed.next(snapshot(0, row("bb", 0.1, 10, "downloading")), 3 * SECOND);
        assertThat(next).isEmpty();
    }
}
