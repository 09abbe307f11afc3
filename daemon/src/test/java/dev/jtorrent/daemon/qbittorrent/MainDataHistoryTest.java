package dev.jtorrent.daemon.qbittorrent;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MainDataHistoryTest {
    static MainDataHistory.Snapshot snapshot(Map<String, Object[]> rows) {
        return new MainDataHistory.Snapshot(rows, Map.of(), Map.of(), List.of(), new Object[0]);
    }

    @Test
    void keepsTheLastFewRidsAndAnswersFullForOthers() {
        MainDataHistory history = new MainDataHistory(3);
        MainDataHistory.Snapshot a = snapshot(Map.of());
        MainDataHistory.Answer first = history.send(0, a);
        assertThat(first.rid()).isEqualTo(1);
        assertThat(first.base()).isNull();
        assertThat(history.send(1, snapshot(Map.of())).base()).isSameAs(a);
        history.send(2, snapshot(Map.of()));
        history.send(3, snapshot(Map.of()));
        assertThat(history.size()).isEqualTo(3);
        assertThat(history.send(1, snapshot(Map.of())).base()).as("rid 1 was pushed out").isNull();
        assertThat(history.send(99, snapshot(Map.of())).base()).isNull();
        assertThat(history.send(-4, snapshot(Map.of())).base()).isNull();
        assertThat(history.size()).isEqualTo(3);
    }

    @Test
    void snapshotsShareTheRowsThatDidNotChange() {
        MainDataHistory history = new MainDataHistory(2);
        Object[] same = {1L, "a"};
        history.send(0, snapshot(Map.of("h1", same, "h2", new Object[]{2L, "b"})));
        Map<String, Object[]> interned = history.intern(Map.of("h1", new Object[]{1L, "a"},
                "h2", new Object[]{3L, "b"}, "h3", new Object[]{4L, "c"}));
        assertThat(interned.get("h1")).isSameAs(same);
        assertThat(interned.get("h2")).containsExactly(3L, "b");
    }

    @Test
    void ridsCycleBelowAMillion() {
        MainDataHistory history = new MainDataHistory(1);
        int rid = 0;
        for (int i = 0; i < MainDataHistory.MAX_RID; i++) {
            rid = history.send(rid, snapshot(Map.of())).rid();
        }
        assertThat(rid).isEqualTo(MainDataHistory.MAX_RID);
        assertThat(history.send(rid, snapshot(Map.of())).rid()).isEqualTo(1);
    }
}
