package dev.jtorrent.peer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which transport {@link DialRace} connects over, how soon it tries the next, and what it remembers. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DialRaceTest {
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 6881);

    /** A dialer whose attempts connect, fail at once, or hang until released, as the test says. */
    private static final class Scripted implements Dialer {
        private final Transport transport;
        private final String failure;
        private final CountDownLatch release;
        private final AtomicInteger dials = new AtomicInteger();
        private final AtomicInteger closed = new AtomicInteger();

        private Scripted(Transport transport, String failure, CountDownLatch release) {
            this.transport = transport;
            this.failure = failure;
            this.release = release;
        }

        static Scripted connecting(Transport transport) {
            return new Scripted(transport, null, new CountDownLatch(0));
        }

        static Scripted failing(Transport transport, String failure) {
            return new Scripted(transport, failure, new CountDownLatch(0));
        }

        /** Connects only once {@code release} counts down: a peer that answers late, or never. */
        static Scripted hanging(Transport transport, CountDownLatch release) {
            return new Scripted(transport, null, release);
        }

        @Override
        public Transport transport() {
            return transport;
        }

        @Override
        public PeerChannel dial(InetSocketAddress address) throws IOException {
            dials.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException("interrupted", e);
            }
            if (failure != null) {
                throw new IOException(failure);
            }
            return new Channel(this, address);
        }
    }

    private record Channel(Scripted dialer, InetSocketAddress remoteAddress) implements PeerChannel {
        @Override
        public int available() {
            return 0;
        }

        @Override
        public Transport transport() {
            return dialer.transport;
        }

        @Override
        public int read(ByteBuffer destination) {
            return -1;
        }

        @Override
        public int write(ByteBuffer source) {
            return 0;
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) {
            return 0;
        }

        @Override
        public long write(ByteBuffer[] sources) {
            return 0;
        }

        @Override
        public boolean isOpen() {
            return dialer.closed.get() == 0;
        }

        @Override
        public void close() {
            dialer.closed.incrementAndGet();
        }
    }

    @Test
    void thePreferredTransportIsUsedWhenItConnectsWithinItsHeadStart() throws Exception {
        Scripted utp = Scripted.connecting(Transport.UTP);
        Scripted tcp = Scripted.connecting(Transport.TCP);

        PeerChannel channel = new DialRace(List.of(utp, tcp), Duration.ofSeconds(10)).dial(PEER);

        assertThat(channel.transport()).isEqualTo(Transport.UTP);
        assertThat(tcp.dials).hasValue(0);
    }

    @Test
    void theNextTransportStartsAfterTheHeadStartAndALateConnectionIsClosed() throws Exception {
        CountDownLatch utpAnswers = new CountDownLatch(1);
        Scripted utp = Scripted.hanging(Transport.UTP, utpAnswers);
        Scripted tcp = Scripted.connecting(Transport.TCP);
        long start = System.nanoTime();

        PeerChannel channel = new DialRace(List.of(utp, tcp), Duration.ofMillis(200)).dial(PEER);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(channel.transport()).isEqualTo(Transport.TCP);
        utpAnswers.countDown();
        await(() -> utp.closed.get() == 1);
        assertThat(tcp.closed).hasValue(0);
    }

    @Test
    void aTransportThatFailsAtOnceLetsTheNextStartAtOnceAndIsNotTriedThereAgain() throws Exception {
        Scripted utp = Scripted.failing(Transport.UTP, "no answer");
        Scripted tcp = Scripted.connecting(Transport.TCP);
        DialRace race = new DialRace(List.of(utp, tcp), Duration.ofMinutes(1)); // a head start the test cannot wait

        assertThat(race.dial(PEER).transport()).isEqualTo(Transport.TCP);
        assertThat(race.remembered()).isEqualTo(1);
        assertThat(race.dial(PEER).transport()).isEqualTo(Transport.TCP);
        assertThat(utp.dials).as("uTP is not tried again at that address").hasValue(1);
        race.dial(new InetSocketAddress(PEER.getAddress(), 6882));
        assertThat(utp.dials).as("but at another").hasValue(2);
    }

    @Test
    void whenEveryTransportFailsTheMessageSaysWhyForEach() {
        DialRace race = new DialRace(List.of(Scripted.failing(Transport.UTP, "timed out"),
                Scripted.failing(Transport.TCP, "Connection refused")), Duration.ofMinutes(1));

        assertThatThrownBy(() -> race.dial(PEER)).isInstanceOf(IOException.class)
                .hasMessage("utp: timed out; tcp: Connection refused");
        assertThat(race.remembered()).as("nothing connected: nothing learnt").isZero();
    }

    @Test
    void oneTransportAloneIsDialledDirectly() {
        DialRace race = new DialRace(List.of(Scripted.failing(Transport.TCP, "Connection refused")),
                Duration.ofMinutes(1));

        assertThatThrownBy(() -> race.dial(PEER)).isInstanceOf(IOException.class)
                .hasMessage("tcp: Connection refused");
    }

    @Test
    void aTransportRuledOutAtAnAddressIsNotDialledThereWhileAnotherRemains() throws Exception {
        Scripted utp = Scripted.connecting(Transport.UTP);
        Scripted tcp = Scripted.connecting(Transport.TCP);
        DialRace race = new DialRace(List.of(utp, tcp), Duration.ofMinutes(1));

        assertThat(race.ruleOut(Transport.UTP, PEER)).as("TCP remains").isTrue();

        assertThat(race.dial(PEER).transport()).isEqualTo(Transport.TCP);
        assertThat(utp.dials).hasValue(0);
        assertThat(race.dial(new InetSocketAddress(PEER.getAddress(), 6882)).transport()).as("but elsewhere")
                .isEqualTo(Transport.UTP);
    }

    @Test
    void rulingOutTheLastTransportLeftForgetsTheAddress() throws Exception {
        DialRace race = new DialRace(List.of(Scripted.connecting(Transport.UTP), Scripted.connecting(Transport.TCP)),
                Duration.ofMinutes(1));

        assertThat(race.ruleOut(Transport.UTP, PEER)).isTrue();
        assertThat(race.ruleOut(Transport.TCP, PEER)).as("every transport failed there: the peer did").isFalse();

        assertThat(race.remembered()).isZero();
        assertThat(race.dial(PEER).transport()).isEqualTo(Transport.UTP);
    }

    @Test
    void whenTheTransportsLeftFailToConnectTheAddressIsForgotten() throws Exception {
        Scripted utp = Scripted.connecting(Transport.UTP);
        DialRace race = new DialRace(List.of(utp, Scripted.failing(Transport.TCP, "Connection refused")),
                Duration.ofMinutes(1));
        race.ruleOut(Transport.UTP, PEER);

        assertThatThrownBy(() -> race.dial(PEER)).hasMessage("tcp: Connection refused");

        assertThat(race.remembered()).isZero();
        assertThat(race.dial(PEER).transport()).isEqualTo(Transport.UTP);
    }

    @Test
    void aDialOverOneTransportDoesNotRaceTheOthers() throws Exception {
        Scripted utp = Scripted.connecting(Transport.UTP);
        DialRace race = new DialRace(List.of(utp, Scripted.failing(Transport.TCP, "Connection refused")),
                Duration.ofMinutes(1));

        assertThatThrownBy(() -> race.dial(PEER, Transport.TCP)).isInstanceOf(IOException.class)
                .hasMessage("tcp: Connection refused");
        assertThat(utp.dials).hasValue(0);
        assertThat(race.dial(PEER, Transport.UTP).transport()).isEqualTo(Transport.UTP);
    }

    @Test
    void theAddressesRememberedAreBounded() throws Exception {
        Scripted utp = Scripted.failing(Transport.UTP, "no answer");
        DialRace race = new DialRace(List.of(utp, Scripted.connecting(Transport.TCP)), Duration.ofMinutes(1));

        for (int port = 1; port <= DialRace.REMEMBERED + 10; port++) {
            race.dial(new InetSocketAddress(PEER.getAddress(), port));
        }

        assertThat(race.remembered()).isEqualTo(DialRace.REMEMBERED);
        race.dial(new InetSocketAddress(PEER.getAddress(), 1));
        assertThat(utp.dials).as("the oldest was forgotten, and uTP tried there again")
                .hasValue(DialRace.REMEMBERED + 11);
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 10 s").isNegative();
            Thread.sleep(5);
        }
    }
}
