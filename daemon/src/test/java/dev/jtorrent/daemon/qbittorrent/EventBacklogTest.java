package dev.jtorrent.daemon.qbittorrent;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventBacklogTest {
    static final Duration NOW = Duration.ZERO;

    static byte[] frame(int size) {
        return new byte[size];
    }

    @Test
    void aNewStreamStartsWithAResyncThenItsUpdatesInOrder() throws Exception {
        EventBacklog backlog = new EventBacklog(4, 1000);
        byte[] first = frame(1);
        byte[] second = frame(2);
        backlog.offer(first);
        backlog.offer(second);

        assertThat(backlog.take(NOW)).isInstanceOf(EventBacklog.Next.Resync.class);
        assertThat(((EventBacklog.Next.Event) backlog.take(NOW)).frame()).isSameAs(first);
        assertThat(((EventBacklog.Next.Event) backlog.take(NOW)).frame()).isSameAs(second);
        assertThat(backlog.take(NOW)).isInstanceOf(EventBacklog.Next.Idle.class);
    }

    @Test
    void keepsAtMostItsEventCountAndThenDropsTheBacklogForOneResync() throws Exception {
        EventBacklog backlog = new EventBacklog(3, 1_000_000);
        backlog.take(NOW); // the first resync
        for (int i = 0; i < 3; i++) {
            backlog.offer(frame(10));
        }
        assertThat(backlog.size()).isEqualTo(3);
        assertThat(backlog.resyncs()).isZero();

        backlog.offer(frame(10)); // one past the bound
        assertThat(backlog.size()).isZero();
        assertThat(backlog.bytes()).isZero();
        assertThat(backlog.resyncs()).isEqualTo(1);
        byte[] after = frame(7);
        backlog.offer(after); // pushed after the drop: it goes after the resync

        assertThat(backlog.take(NOW)).isInstanceOf(EventBacklog.Next.Resync.class);
        assertThat(((EventBacklog.Next.Event) backlog.take(NOW)).frame()).isSameAs(after);
        assertThat(backlog.take(NOW)).isInstanceOf(EventBacklog.Next.Idle.class);
    }

    @Test
    void keepsAtMostItsBytes() throws Exception {
        EventBacklog backlog = new EventBacklog(100, 100);
        backlog.take(NOW);
        backlog.offer(frame(60));
        backlog.offer(frame(40));
        assertThat(backlog.size()).isEqualTo(2);
        assertThat(backlog.bytes()).isEqualTo(100);

        backlog.offer(frame(1));
        assertThat(backlog.size()).isZero();
        assertThat(backlog.resyncs()).isEqualTo(1);
    }

    @Test
    void aClientThatNeverReadsHoldsOneResyncAndABoundedBacklogHoweverMuchIsPushed() throws Exception {
        EventBacklog backlog = new EventBacklog(8, 1_000);
        for (int i = 0; i < 100_000; i++) {
            backlog.offer(frame(100));
            assertThat(backlog.size()).isLessThanOrEqualTo(8);
            assertThat(backlog.bytes()).isLessThanOrEqualTo(1_000);
        }
        // Never read, so it never left the resync it started with: one resync, however many drops.
        assertThat(backlog.resyncs()).isZero();
        assertThat(backlog.take(NOW)).isInstanceOf(EventBacklog.Next.Resync.class);
    }

    @Test
    void aWaitingWriterWakesForAnOfferAndForClose() throws Exception {
        EventBacklog backlog = new EventBacklog(4, 1000);
        backlog.take(NOW);
        CompletableFuture<EventBacklog.Next> waiting = CompletableFuture.supplyAsync(() -> take(backlog));
        backlog.offer(frame(3));
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(EventBacklog.Next.Event.class);

        CompletableFuture<EventBacklog.Next> closing = CompletableFuture.supplyAsync(() -> take(backlog));
        backlog.close();
        assertThat(closing.get(10, TimeUnit.SECONDS)).isInstanceOf(EventBacklog.Next.Closed.class);
        backlog.offer(frame(3));
        assertThat(backlog.size()).isZero();
    }

    private static EventBacklog.Next take(EventBacklog backlog) {
        try {
            return backlog.take(Duration.ofMinutes(1));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void refusesBoundsBelowOne() {
        assertThatThrownBy(() -> new EventBacklog(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventBacklog(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
