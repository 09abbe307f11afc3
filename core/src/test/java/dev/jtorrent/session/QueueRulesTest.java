package dev.jtorrent.session;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The queue's rules, on pictures of a session's torrents in queue order: {@code D} a download running that counts,
 * {@code d} one that does not (forced, stalled or failed), {@code S} and {@code s} the same for seeds, {@code w} a
 * download waiting, {@code W} one forced, {@code v} and {@code V} the same for seeds, {@code .} a torrent paused,
 * checking or without metadata. The answer is the places of the torrents that start.
 */
class QueueRulesTest {
    private static final QueueRules.Limits TWO_AND_OFF = new QueueRules.Limits(true, 2, false, 10);
    private static final QueueRules.Limits TWO_AND_ONE = new QueueRules.Limits(true, 2, true, 1);

    @Test
    void aQueueWithRoomStartsTheWaitingInQueueOrderUpToItsSize() {
        assertThat(start("www", TWO_AND_OFF)).containsExactly(0, 1);
        assertThat(start("Dww", TWO_AND_OFF)).containsExactly(1);
        assertThat(start("wDw", TWO_AND_OFF)).containsExactly(0);
    }

    @Test
    void aFullQueueStartsNothingAndAnOverfullOneStopsNothing() {
        assertThat(start("DDw", TWO_AND_OFF)).isEmpty();
        assertThat(start("DDDw", TWO_AND_OFF)).as("a queue made smaller").isEmpty();
    }

    @Test
    void forcedStalledAndFailedTorrentsDoNotCount() {
        assertThat(start("ddww", TWO_AND_OFF)).containsExactly(2, 3);
        assertThat(start("dDwww", TWO_AND_OFF)).containsExactly(2);
    }

    @Test
    void aForcedTorrentStartsWithoutRoomAndTakesNone() {
        assertThat(start("DDwW", TWO_AND_OFF)).containsExactly(3);
        assertThat(start("DWw", TWO_AND_OFF)).containsExactly(1, 2);
    }

    @Test
    void aQueueThatIsOffStartsEveryoneWaitingInIt() {
        assertThat(start("SSvvv", TWO_AND_OFF)).containsExactly(2, 3, 4);
        assertThat(start("DDww", new QueueRules.Limits(false, 2, false, 10))).containsExactly(2, 3);
    }

    @Test
    void downloadsAndSeedsCountInTheirOwnQueues() {
        assertThat(start("DDvv", TWO_AND_ONE)).containsExactly(2);
        assertThat(start("Svww", TWO_AND_ONE)).containsExactly(2, 3);
        assertThat(start("sSvV", TWO_AND_ONE)).containsExactly(3);
    }

    @Test
    void torrentsThatAreNeitherRunningNorWaitingAreLeftAlone() {
        assertThat(start("..w.w", TWO_AND_OFF)).containsExactly(2, 4);
    }

    @Test
    void aQueueOfSizeZeroStartsOnlyForcedTorrents() {
        assertThat(start("wW", new QueueRules.Limits(true, 0, true, 0))).containsExactly(1);
    }

    @Test
    void negativeSizesAreRefused() {
        assertThatThrownBy(() -> new QueueRules.Limits(true, -1, true, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> TWO_AND_OFF.withSeedSize(-2)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Integer> start(String picture, QueueRules.Limits limits) {
        List<QueueRules.Member<Integer>> members = new ArrayList<>();
        for (int i = 0; i < picture.length(); i++) {
            char c = picture.charAt(i);
            QueueRules.Kind kind = "DdwW.".indexOf(c) >= 0 ? QueueRules.Kind.DOWNLOAD : QueueRules.Kind.SEED;
            QueueRules.Standing standing = switch (Character.toLowerCase(c)) {
                case 'd', 's' -> QueueRules.Standing.ACTIVE;
                case 'w', 'v' -> QueueRules.Standing.WAITING;
                default -> QueueRules.Standing.OTHER;
            };
            boolean upper = Character.isUpperCase(c);
            boolean counted = standing == QueueRules.Standing.ACTIVE && upper;
            boolean forced = standing == QueueRules.Standing.WAITING && upper;
            members.add(new QueueRules.Member<>(i, standing, kind, counted, forced));
        }
        return QueueRules.toStart(members, limits);
    }
}
