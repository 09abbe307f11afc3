package dev.jtorrent.net;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UdpPortTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetAddress LOOPBACK6 = address("::1");

    /** What a handler was given: a copy of the datagram and its sender. */
    private record Got(String text, InetSocketAddress from) {
    }

    /** A handler that keeps a copy of each datagram it accepts. */
    private static class Recording implements UdpPort.Handler {
        final BlockingQueue<Got> got = new ArrayBlockingQueue<>(10_000);
        final Predicate<ByteBuffer> kind;

        Recording(Predicate<ByteBuffer> kind) {
            this.kind = kind;
        }

        @Override
        public boolean accepts(ByteBuffer datagram) {
            return kind.test(datagram);
        }

        @Override
        public void receive(ByteBuffer datagram, InetSocketAddress from) {
            byte[] copy = new byte[datagram.remaining()];
            datagram.get(copy);
            got.add(new Got(new String(copy, StandardCharsets.ISO_8859_1), from));
        }

        Got next() throws InterruptedException {
            Got g = got.poll(10, TimeUnit.SECONDS);
            assertThat(g).as("a datagram within 10 s").isNotNull();
            return g;
        }
    }

    private static final Predicate<ByteBuffer> KRPC = b -> b.remaining() >= 2 && b.get(b.position()) == 'd'
            && b.get(b.limit() - 1) == 'e';
    /** BEP 29: the first byte is the type in its high nibble and version 1 in its low. */
    private static final Predicate<ByteBuffer> UTP = b -> b.remaining() >= 20 && (b.get(b.position()) & 0x0f) == 1
            && (b.get(b.position()) & 0xff) >> 4 <= 4;
    /** BEP 15: an action from 0 to 3, then the transaction id 0x01020304 that this test has in flight. */
    private static final Predicate<ByteBuffer> TRACKER = b -> b.remaining() >= 8
            && b.getInt(b.position()) >= 0 && b.getInt(b.position()) <= 3 && b.getInt(b.position() + 4) == 0x01020304;

    @Test
    void eachKindOfDatagramReachesItsHandler() throws Exception {
        Recording dht = new Recording(KRPC);
        Recording tracker = new Recording(TRACKER);
        Recording utp = new Recording(UTP);
        try (UdpPort port = UdpPort.listen(List.of(LOOPBACK), 0);
             DatagramChannel peer = channel(LOOPBACK)) {
            port.register(utp);
            port.register(dht);
            port.register(tracker);
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, port.port());

            String krpc = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe";
            byte[] reply = ByteBuffer.allocate(16).putInt(0).putInt(0x01020304).putLong(42).array();
            byte[] syn = new byte[20];
            syn[0] = 0x41; // ST_SYN, version 1
            peer.send(ByteBuffer.wrap(krpc.getBytes(StandardCharsets.ISO_8859_1)), to);
            peer.send(ByteBuffer.wrap(reply), to);
            peer.send(ByteBuffer.wrap(syn), to);

            assertThat(dht.next()).isEqualTo(new Got(krpc, (InetSocketAddress) peer.getLocalAddress()));
            assertThat(tracker.next().text()).isEqualTo(new String(reply, StandardCharsets.ISO_8859_1));
            assertThat(utp.next().text()).isEqualTo(new String(syn, StandardCharsets.ISO_8859_1));
            assertThat(port.unknown()).isZero();
            assertThat(dht.got).isEmpty();
            assertThat(tracker.got).isEmpty();
            assertThat(utp.got).isEmpty();
        }
    }

    @Test
    void junkIsDroppedAndCountedAndTheRestStillArrives() throws Exception {
        Recording dht = new Recording(KRPC);
        Recording tracker = new Recording(TRACKER);
        try (UdpPort port = UdpPort.listen(List.of(LOOPBACK), 0);
             DatagramChannel peer = channel(LOOPBACK)) {
            port.register(dht);
            port.register(tracker);
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, port.port());
            List<byte[]> junk = List.of(new byte[0], new byte[] {'d'}, "d1:a".getBytes(StandardCharsets.US_ASCII),
                    ByteBuffer.allocate(8).putInt(1).putInt(0x01020305).array(), // a transaction not in flight
                    ByteBuffer.allocate(8).putInt(4).putInt(0x01020304).array(), // no such action
                    new byte[] {0, 0, 0, 1, 1, 2, 3}, // seven bytes: too short for a tracker reply
                    new byte[1400]);
            for (int i = 0; i < 100; i++) {
                for (byte[] j : junk) {
                    peer.send(ByteBuffer.wrap(j), to);
                }
            }
            // A sender's datagrams arrive in order on loopback: once this one is in, the junk was looked at.
            peer.send(ByteBuffer.wrap("de".getBytes(StandardCharsets.US_ASCII)), to);

            assertThat(dht.next().text()).isEqualTo("de");
            assertThat(port.unknown()).isEqualTo(100L * junk.size());
            assertThat(dht.got).isEmpty();
            assertThat(tracker.got).isEmpty();
        }
    }

    @Test
    void aDatagramLongerThanTheBufferIsDroppedAndCounted() throws Exception {
        Recording all = new Recording(b -> true);
        try (UdpPort port = UdpPort.listen(List.of(LOOPBACK), 0, 100, Thread.ofVirtual());
             DatagramChannel peer = channel(LOOPBACK)) {
            port.register(all);
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, port.port());
            peer.send(ByteBuffer.wrap(new byte[101]), to);
            peer.send(ByteBuffer.wrap(new byte[5000]), to);
            peer.send(ByteBuffer.wrap("x".repeat(100).getBytes(StandardCharsets.US_ASCII)), to);

            assertThat(all.next().text()).hasSize(100);
            assertThat(port.truncated()).isEqualTo(2);
            assertThat(port.unknown()).isZero();
            assertThat(all.got).isEmpty();
        }
    }

    @Test
    void theLargestDatagramFitsTheDefaultBuffer() throws Exception {
        Recording all = new Recording(b -> true);
        try (UdpPort port = UdpPort.listen(List.of(LOOPBACK), 0);
             DatagramChannel peer = channel(LOOPBACK)) {
            port.register(all);
            peer.send(ByteBuffer.wrap(new byte[65_507]), new InetSocketAddress(LOOPBACK, port.port()));

            assertThat(all.next().text()).hasSize(65_507);
            assertThat(port.truncated()).isZero();
        }
    }

    /**
     * Dispatch is synchronous: one reader thread calls the handlers, one datagram at a time, always with the same
     * buffer and, from one sender, the same address object; nothing is queued or copied per datagram.
     */
    @Test
    void handlersRunOneAtATimeOnTheReaderWithTheSameBuffer() throws Exception {
        int datagrams = 2000;
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Set<IdentityKey> buffers = ConcurrentHashMap.newKeySet();
        Set<IdentityKey> senders = ConcurrentHashMap.newKeySet();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        Semaphore handled = new Semaphore(0);
        try (UdpPort port = UdpPort.listen(List.of(LOOPBACK), 0);
             DatagramChannel peer = channel(LOOPBACK)) {
            port.register(new UdpPort.Handler() {
                @Override
                public boolean accepts(ByteBuffer datagram) {
                    return true;
                }

                @Override
                public void receive(ByteBuffer datagram, InetSocketAddress from) {
                    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    threads.add(Thread.currentThread());
                    buffers.add(new IdentityKey(datagram));
                    senders.add(new IdentityKey(from));
                    inside.decrementAndGet();
                    handled.release();
                }
            });
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, port.port());
            for (int i = 0; i < datagrams; i += 100) {
                for (int j = 0; j < 100; j++) {
                    peer.send(ByteBuffer.wrap(new byte[] {(byte) j}), to);
                }
                // Paced by the handler, so that the socket's buffer never overflows.
                assertThat(handled.tryAcquire(100, 10, TimeUnit.SECONDS)).isTrue();
            }
        }
        assertThat(threads).hasSize(1);
        assertThat(threads.iterator().next().isVirtual()).isTrue();
        assertThat(mostInside.get()).isEqualTo(1);
        assertThat(buffers).hasSize(1);
        assertThat(senders).hasSize(1);
    }

    /**
     * A flood of junk costs no memory of ours per datagram: after warming up, ten thousand datagrams allocate nothing
     * on the reader (the JDK hands back the same sender address while it does not change). The reader is a platform
     * thread here, since a virtual thread's allocations are not reported; it runs the same loop.
     */
    @Test
    void aFloodOfJunkAllocatesNothingPerDatagram() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(), "allocation is not measured here");
        Semaphore looked = new Semaphore(0);
        int warmUp = 20_000;
        int flood = 10_000;
        AtomicInteger seen = new AtomicInteger();
        long[] allocated = new long[2];
        try (UdpPort port = UdpPort.listen(List.of(LOOPBACK), 0, UdpPort.RECEIVE_BUFFER, Thread.ofPlatform());
             DatagramChannel peer = channel(LOOPBACK)) {
            // A handler that takes nothing: every datagram is looked at, then dropped and counted.
            port.register(new UdpPort.Handler() {
                @Override
                public boolean accepts(ByteBuffer datagram) {
                    int n = seen.incrementAndGet();
                    if (n == warmUp || n == warmUp + flood) {
                        allocated[n == warmUp ? 0 : 1] = threads.getCurrentThreadAllocatedBytes();
                    }
                    looked.release();
                    return false;
                }

                @Override
                public void receive(ByteBuffer datagram, InetSocketAddress from) {
                    throw new AssertionError("takes nothing");
                }
            });
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, port.port());
            ByteBuffer junk = ByteBuffer.wrap(new byte[] {'x', 1, 2, 3});
            sendPaced(peer, junk, to, warmUp + flood, looked);

            assertThat(allocated[1] - allocated[0]).as("bytes allocated by the reader for %d datagrams", flood)
                    .isLessThan(flood);
            assertThat(port.unknown()).isEqualTo(warmUp + flood);
        }
    }

    /** Sends {@code count} datagrams 200 at a time, each batch once the last was looked at: none overflows. */
    private static void sendPaced(DatagramChannel peer, ByteBuffer datagram, InetSocketAddress to, int count,
                                  Semaphore looked) throws Exception {
        for (int i = 0; i < count; i += 200) {
            for (int j = 0; j < 200; j++) {
                peer.send(datagram.clear(), to);
            }
            assertThat(looked.tryAcquire(200, 10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** An IPv4 sender and an IPv6 sender both reach a port on every address, and the replies find their way back. */
    @Test
    void aWildcardPortIsDualStackAndSeesIpv4SendersAsIpv4() throws Exception {
        assumeIpv6Loopback();
        try (UdpPort port = UdpPort.listen(List.of(), 0);
             DatagramChannel v4 = channel(LOOPBACK);
             DatagramChannel v6 = channel(LOOPBACK6)) {
            assertThat(port.carriesIpv4()).isTrue();
            assertThat(port.carriesIpv6()).isTrue();
            assertThat(port.localAddresses()).singleElement()
                    .satisfies(a -> assertThat(a.getAddress().isAnyLocalAddress()).isTrue());
            Recording echo = new Recording(b -> true) {
                @Override
                public void receive(ByteBuffer datagram, InetSocketAddress from) {
                    ByteBuffer copy = ByteBuffer.allocate(datagram.remaining()).put(datagram.duplicate()).flip();
                    super.receive(datagram, from);
                    try {
                        port.send(copy, from);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
            };
            port.register(echo);

            v4.send(ByteBuffer.wrap("four".getBytes(StandardCharsets.US_ASCII)),
                    new InetSocketAddress(LOOPBACK, port.port()));
            v6.send(ByteBuffer.wrap("six".getBytes(StandardCharsets.US_ASCII)),
                    new InetSocketAddress(LOOPBACK6, port.port()));

            List<Got> got = List.of(echo.next(), echo.next());
            Got four = got.stream().filter(g -> g.text().equals("four")).findFirst().orElseThrow();
            Got six = got.stream().filter(g -> g.text().equals("six")).findFirst().orElseThrow();
            assertThat(four.from().getAddress()).isInstanceOf(Inet4Address.class).isEqualTo(LOOPBACK);
            assertThat(four.from()).isEqualTo(v4.getLocalAddress());
            assertThat(six.from().getAddress()).isInstanceOf(Inet6Address.class).isEqualTo(LOOPBACK6);
            assertThat(received(v4)).isEqualTo("four");
            assertThat(received(v6)).isEqualTo("six");
        }
    }

    @Test
    void anIpv4MappedAddressIsNormalisedToIpv4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        InetAddress asIpv6 = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(asIpv6).isInstanceOf(Inet6Address.class);

        assertThat(UdpPort.normalise(asIpv6)).isInstanceOf(Inet4Address.class).isEqualTo(LOOPBACK);
        assertThat(UdpPort.normalise(new InetSocketAddress(asIpv6, 6881)))
                .isEqualTo(new InetSocketAddress(LOOPBACK, 6881));
        assertThat(UdpPort.normalise(LOOPBACK6)).isSameAs(LOOPBACK6);
        InetAddress compatible = InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4});
        assertThat(UdpPort.normalise(compatible)).isSameAs(compatible);
        assertThat(UdpPort.normalise(address("::ffff:0:102:304"))).isEqualTo(address("::ffff:0:102:304"));

        // Sent through an IPv4 socket, a mapped destination goes out as the IPv4 address it stands for.
        try (UdpPort port = UdpPort.listen(List.of(LOOPBACK), 0);
             DatagramChannel peer = channel(LOOPBACK)) {
            port.send(ByteBuffer.wrap(new byte[] {'m'}),
                    new InetSocketAddress(asIpv6, ((InetSocketAddress) peer.getLocalAddress()).getPort()));
            assertThat(received(peer)).isEqualTo("m");
        }
    }

    /** Nothing leaves a socket for a place it cannot reach: its loopback address, or another family. */
    @Test
    void aDestinationNoSocketReachesIsRefusedUnsent() throws Exception {
        try (UdpPort port = UdpPort.listen(List.of(LOOPBACK), 0)) {
            assertThat(port.carriesIpv4()).isTrue();
            assertThat(port.carriesIpv6()).isFalse();
            assertThat(port.reaches(address("192.0.2.1"))).isFalse();
            assertThatThrownBy(() -> port.send(ByteBuffer.allocate(1), new InetSocketAddress("192.0.2.1", 6881)))
                    .isInstanceOf(IOException.class).hasMessageContaining("reaches 192.0.2.1");
            assertThatThrownBy(() -> port.send(ByteBuffer.allocate(1), new InetSocketAddress(LOOPBACK6, 6881)))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void severalAddressesShareOnePortAndEachFamilyGoesOutOfItsOwnSocket() throws Exception {
        assumeIpv6Loopback();
        try (UdpPort port = UdpPort.listen(List.of(LOOPBACK, LOOPBACK6), 0);
             DatagramChannel v4 = channel(LOOPBACK);
             DatagramChannel v6 = channel(LOOPBACK6)) {
            assertThat(port.localAddresses()).containsExactly(new InetSocketAddress(LOOPBACK, port.port()),
                    new InetSocketAddress(LOOPBACK6, port.port()));
            port.send(ByteBuffer.wrap(new byte[] {'4'}), (InetSocketAddress) v4.getLocalAddress());
            port.send(ByteBuffer.wrap(new byte[] {'6'}), (InetSocketAddress) v6.getLocalAddress());

            assertThat(received(v4, new InetSocketAddress(LOOPBACK, port.port()))).isEqualTo("4");
            assertThat(received(v6, new InetSocketAddress(LOOPBACK6, port.port()))).isEqualTo("6");
        }
    }

    @Test
    void sendingIsSafeFromManyThreads() throws Exception {
        int threads = 4;
        int each = 50; // 200 small datagrams fit the receiver's default buffer of 208 KiB
        Set<String> got = ConcurrentHashMap.newKeySet();
        try (UdpPort port = UdpPort.listen(List.of(LOOPBACK), 0);
             DatagramChannel peer = channel(LOOPBACK)) {
            InetSocketAddress to = (InetSocketAddress) peer.getLocalAddress();
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                senders.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < each; i++) {
                        try {
                            port.send(ByteBuffer.wrap((thread + ":" + i).getBytes(StandardCharsets.US_ASCII)), to);
                        } catch (IOException e) {
                            throw new AssertionError(e);
                        }
                    }
                }));
            }
            for (Thread t : senders) {
                t.join();
            }
            for (int i = 0; i < threads * each; i++) {
                got.add(received(peer));
            }
        }
        assertThat(got).hasSize(threads * each);
    }

    @Test
    void anUnregisteredHandlerGetsNothingMore() throws Exception {
        Recording first = new Recording(b -> true);
        Recording second = new Recording(b -> b.get(b.position()) == 'b');
        try (UdpPort port = UdpPort.listen(List.of(LOOPBACK), 0);
             DatagramChannel peer = channel(LOOPBACK)) {
            port.register(first);
            port.register(second);
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, port.port());
            peer.send(ByteBuffer.wrap(new byte[] {'a'}), to);
            assertThat(first.next().text()).isEqualTo("a");

            port.unregister(first);
            peer.send(ByteBuffer.wrap(new byte[] {'a'}), to);
            peer.send(ByteBuffer.wrap(new byte[] {'b'}), to);

            assertThat(second.next().text()).isEqualTo("b");
            assertThat(first.got).isEmpty();
            assertThat(port.unknown()).isEqualTo(1);
        }
    }

    /** A predicate that moves the buffer, or throws, spoils nothing for the handlers after it. */
    @Test
    void aCarelessPredicateDoesNotSpoilTheDatagram() throws Exception {
        Recording taker = new Recording(b -> true);
        try (UdpPort port = UdpPort.listen(List.of(LOOPBACK), 0);
             DatagramChannel peer = channel(LOOPBACK)) {
            port.register(new Recording(b -> {
                b.position(b.limit());
                return false;
            }));
            port.register(new Recording(b -> {
                throw new IllegalStateException("a bug");
            }));
            port.register(taker);
            peer.send(ByteBuffer.wrap("whole".getBytes(StandardCharsets.US_ASCII)),
                    new InetSocketAddress(LOOPBACK, port.port()));

            assertThat(taker.next().text()).isEqualTo("whole");
        }
    }

    @Test
    void closingStopsTheReadersAndFreesThePort() throws Exception {
        Recording all = new Recording(b -> true);
        UdpPort port = UdpPort.listen(List.of(LOOPBACK), 0);
        port.register(all);
        int number = port.port();
        port.close();
        port.close();

        assertThatThrownBy(() -> port.send(ByteBuffer.allocate(1), new InetSocketAddress(LOOPBACK, 9)))
                .isInstanceOf(IOException.class);
        try (UdpPort again = UdpPort.listen(List.of(LOOPBACK), number)) {
            assertThat(again.port()).isEqualTo(number);
        }
    }

    /** 4 MiB asked for, as uTP needs; the kernel grants at most {@code rmem_max}. */
    @Test
    void theSocketsAskForLargeBuffers() throws Exception {
        java.nio.file.Path rmemMax = java.nio.file.Path.of("/proc/sys/net/core/rmem_max");
        Assumptions.assumeTrue(java.nio.file.Files.isReadable(rmemMax), "not Linux");
        long granted = Math.min(UdpPort.SOCKET_BUFFER, Long.parseLong(java.nio.file.Files.readString(rmemMax).trim()));
        try (UdpPort port = UdpPort.listen(List.of(LOOPBACK), 0)) {
            assertThat(port.socketReceiveBuffers()).singleElement()
                    .satisfies(size -> assertThat((long) size).isGreaterThanOrEqualTo(granted));
        }
    }

    @Test
    void aPortInUseIsReportedWithItsAddress() throws Exception {
        try (UdpPort taken = UdpPort.listen(List.of(LOOPBACK), 0)) {
            assertThatThrownBy(() -> UdpPort.listen(List.of(LOOPBACK), taken.port()))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot bind UDP 127.0.0.1 port " + taken.port());
        }
    }

    private static DatagramChannel channel(InetAddress address) throws IOException {
        DatagramChannel c = DatagramChannel.open(address instanceof Inet4Address ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6);
        c.bind(new InetSocketAddress(address, 0));
        return c;
    }

    private static String received(DatagramChannel channel) throws IOException {
        return received(channel, null);
    }

    /** The next datagram on a blocking channel, from {@code from} if given; the class timeout bounds the wait. */
    private static String received(DatagramChannel channel, InetSocketAddress from) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2048);
        Object sender = channel.receive(b);
        if (from != null) {
            assertThat(sender).isEqualTo(from);
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.ISO_8859_1);
    }

    private static void assumeIpv6Loopback() {
        try (DatagramChannel probe = channel(LOOPBACK6)) {
            assertThat(probe.getLocalAddress()).isNotNull();
        } catch (IOException | UnsupportedOperationException e) {
            Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An object compared by identity, for sets of the very objects a handler was given. */
    private record IdentityKey(Object object) {
        @Override
        public boolean equals(Object o) {
            return o instanceof IdentityKey k && k.object == object;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(object);
        }
    }
}
