package dev.jtorrent.budget;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link FairBudget}'s bound and how it shares among torrents, at instants the test gives. */
class FairBudgetTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicInteger wakesOfB = new AtomicInteger();
    private final AtomicInteger wakesOfC = new AtomicInteger();

    @Test
    void theTotalTakenNeverExceedsTheLimit() {
        FairBudget budget = new FairBudget("connections", 10);
        FairBudget.Share a = budget.join(() -> { });
        FairBudget.Share b = budget.join(() -> { });

        int granted = 0;
        for (int i = 0; i < 30; i++) {
            granted += (i % 2 == 0 ? a : b).tryTake(1, 0) ? 1 : 0;
        }
        assertThat(granted).isEqualTo(10);
        assertThat(budget.used()).isEqualTo(10);
        assertThat(budget.peak()).isEqualTo(10);
        assertThat(a.held() + b.held()).isEqualTo(10);
    }

    @Test
    void aBusyTorrentMayUseWhatIdleOnesLeave() {
        FairBudget budget = new FairBudget("connections", 10);
        FairBudget.Share busy = budget.join(() -> { });
        budget.join(() -> { }); // idle: never asks

        for (int i = 0; i < 10; i++) {
            assertThat(busy.tryTake(1, 0)).isTrue();
        }
        assertThat(busy.tryTake(1, 0)).isFalse();
        assertThat(busy.excess(0)).isZero(); // nobody waits: no reason to give any back
    }

    @Test
    void aTorrentRefusedUnderItsFairPartIsWokenAndGetsWhatIsGivenBackBeforeTheBusyOne() {
        FairBudget budget = new FairBudget("connections", 9);
        FairBudget.Share a = budget.join(() -> { });
        FairBudget.Share b = budget.join(wakesOfB::incrementAndGet);
        FairBudget.Share c = budget.join(wakesOfC::incrementAndGet);
        for (int i = 0; i < 9; i++) {
            a.tryTake(1, 0);
        }

        assertThat(b.tryTake(1, 0)).isFalse(); // under its fair part: waits
        assertThat(c.tryTake(1, 0)).isFalse();
        // A holds 9 of 9 while the fair part of each of three is 3: it is told to give back, one at a time.
        assertThat(a.excess(0)).isEqualTo(1);
        a.give(1);
        assertThat(wakesOfB).hasValue(1);
        assertThat(wakesOfC).hasValue(1);
        assertThat(a.tryTake(1, 0)).isFalse(); // the slot is for those waiting, though there is room
        assertThat(b.tryTake(1, 0)).isTrue();
        a.give(1);
        assertThat(c.tryTake(1, 0)).isTrue();
        assertThat(budget.used()).isEqualTo(9);

        // Three more given back (A is stopping some peers): first come, first served while nobody waits.
        a.give(1);
        a.give(1);
        a.give(1);
        assertThat(b.tryTake(1, 0)).isTrue();
        assertThat(b.tryTake(1, 0)).isTrue();
        assertThat(c.tryTake(1, 0)).isTrue();
        assertThat(c.tryTake(1, 1)).isFalse(); // full again, and C, under its fair part, waits
        assertThat(a.excess(1)).isEqualTo(1); // A holds 4 of 9
        a.give(1);
        assertThat(c.tryTake(1, 1)).isTrue();
        assertThat(a.held()).isEqualTo(3);
        assertThat(b.held()).isEqualTo(3);
        assertThat(c.held()).isEqualTo(3);
        assertThat(a.excess(1)).isZero();
    }

    @Test
    void aWaitingTorrentThatStopsAskingNoLongerHoldsTheOthersBack() {
        FairBudget budget = new FairBudget("connections", 4);
        FairBudget.Share a = budget.join(() -> { });
        FairBudget.Share b = budget.join(() -> { });
        for (int i = 0; i < 4; i++) {
            a.tryTake(1, 0);
        }
        assertThat(b.tryTake(1, 0)).isFalse();
        a.give(1);
        assertThat(a.tryTake(1, FairBudget.WAIT_NANOS - 1)).isFalse();
        assertThat(a.excess(FairBudget.WAIT_NANOS - 1)).isEqualTo(0); // not full: nothing to shed
        assertThat(a.tryTake(1, FairBudget.WAIT_NANOS)).isTrue(); // B never came back
    }

    @Test
    void aConnectionThatCannotWaitIsRefusedWithoutQueueingItsTorrent() {
        FairBudget budget = new FairBudget("connections", 2);
        FairBudget.Share a = budget.join(() -> { });
        FairBudget.Share b = budget.join(wakesOfB::incrementAndGet);
        a.tryTake(1, 0);
        a.tryTake(1, 0);

        assertThat(b.tryTakeIfFree(1, 0)).isFalse();
        assertThat(a.excess(0)).isZero();
        a.give(1);
        assertThat(wakesOfB).hasValue(0);
        assertThat(a.tryTake(1, 0)).isTrue();
    }

    @Test
    void memoryIsReclaimedFromEveryShareWhenOneIsRefused() {
        FairBudget budget = new FairBudget("bytes", 100);
        FairBudget.Share[] pool = new FairBudget.Share[1];
        AtomicInteger pooled = new AtomicInteger(60);
        pool[0] = budget.join(() -> { }, () -> {
            pool[0].give(pooled.getAndSet(0)); // memory kept for later and not in use
        });
        FairBudget.Share other = budget.join(() -> { });
        assertThat(pool[0].tryTake(60, 0)).isTrue();
        assertThat(other.tryTake(30, 0)).isTrue();

        assertThat(other.tryTake(50, 0)).isTrue(); // refused at first; the pool's 60 are reclaimed, then it fits
        assertThat(budget.used()).isEqualTo(80);
        assertThat(budget.peak()).isEqualTo(90);
    }

    @Test
    void aSingleTakeLargerThanTheLimitGoesOnlyWhileNothingElseIsTaken() {
        FairBudget budget = new FairBudget("bytes", 100);
        FairBudget.Share a = budget.join(() -> { });
        FairBudget.Share b = budget.join(() -> { });
        assertThat(b.tryTake(1, 0)).isTrue();
        assertThat(a.tryTake(150, 0)).isFalse();
        b.give(1);
        assertThat(a.tryTake(150, 0)).isTrue(); // alone: a piece larger than the budget still goes
        assertThat(b.tryTake(1, 0)).isFalse();
    }

    @Test
    void leavingGivesEverythingBackAndLaterGivesAreIgnored() {
        FairBudget budget = new FairBudget("bytes", 100);
        FairBudget.Share a = budget.join(() -> { });
        FairBudget.Share b = budget.join(wakesOfB::incrementAndGet);
        a.tryTake(100, 0);
        assertThat(b.tryTake(10, 0)).isFalse();

        a.leave();
        assertThat(budget.used()).isZero();
        assertThat(wakesOfB).hasValue(1);
        a.give(40); // a block lent before the torrent stopped comes back: already counted as given
        assertThat(budget.used()).isZero();
        assertThatThrownBy(() -> a.tryTake(1, 0)).isInstanceOf(IllegalStateException.class);
        assertThat(b.tryTake(10, SECOND)).isTrue();
    }

    @Test
    void givingBackMoreThanWasTakenIsABug() {
        FairBudget.Share a = new FairBudget("connections", 3).join(() -> { });
        a.tryTake(1, 0);
        assertThatThrownBy(() -> a.give(2)).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot give back 2 connections of 1 held");
        assertThatThrownBy(() -> new FairBudget("connections", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- the limit changed while shares hold some ---------------------------------------------------------

    /**
     * Lowered below what is taken, the limit takes nothing back, and admits nothing (waiting or not) until enough
     * was given back to be under it.
     */
    @Test
    void aLimitLoweredBelowWhatIsTakenAdmitsNoneUntilUnderIt() {
        FairBudget budget = new FairBudget("connections", 10);
        FairBudget.Share a = budget.join(() -> { });
        FairBudget.Share b = budget.join(wakesOfB::incrementAndGet);
        assertThat(a.tryTake(8, 0)).isTrue();

        budget.setLimit(4);
        assertThat(budget.limit()).isEqualTo(4);
        assertThat(a.held()).as("nothing taken back").isEqualTo(8);
        assertThat(a.tryTake(1, 0)).isFalse();
        assertThat(b.tryTakeIfFree(1, 0)).isFalse();
        assertThat(b.tryTake(1, 0)).as("8 of 4").isFalse();
        a.give(2);
        assertThat(b.tryTake(1, 0)).as("6 of 4").isFalse();
        a.give(2);
        assertThat(b.tryTake(1, 0)).as("4 of 4").isFalse();
        a.give(1);
        assertThat(b.tryTake(1, 0)).as("3 of 4").isTrue();
        assertThat(a.tryTake(1, 0)).as("4 of 4").isFalse();
        assertThat(budget.used()).isEqualTo(4);
        assertThat(budget.peak()).isEqualTo(8); // taken before the limit was lowered
    }

    @Test
    void aRaisedLimitWakesTheSharesWaitingAndLetsThemTake() {
        FairBudget budget = new FairBudget("connections", 2);
        FairBudget.Share a = budget.join(() -> { });
        FairBudget.Share b = budget.join(wakesOfB::incrementAndGet);
        assertThat(a.tryTake(2, 0)).isTrue();
        assertThat(b.tryTake(1, 0)).isFalse(); // under its fair part: waits

        budget.setLimit(3);
        assertThat(wakesOfB).hasValue(1);
        assertThat(b.tryTake(1, 0)).isTrue();
        budget.setLimit(2); // lowered: nobody is woken
        assertThat(wakesOfB).hasValue(1);
    }

    @Test
    void aLimitUnderOneIsRefusedAndChangesNothing() {
        FairBudget budget = new FairBudget("connections", 5);
        assertThatThrownBy(() -> budget.setLimit(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a budget of connections must be at least 1: 0");
        assertThat(budget.limit()).isEqualTo(5);
    }
}
