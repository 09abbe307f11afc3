package dev.jtorrent.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Many {@link DhtNode}s in one thread: an in-memory datagram router with a fixed latency and a fake clock that
 * ticks every node once a simulated second. Each node gets its own /24 of globally routable IPv4 space (or an IPv6
 * /64), so the default address rules apply as on the internet.
 */
final class SimulatedNetwork {
    static final long LATENCY = TimeUnit.MILLISECONDS.toNanos(20);
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    record Datagram(long at, InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
    }

    final Random random = new Random(42);
    final Map<InetSocketAddress, DhtNode> nodes = new HashMap<>();
    final List<InetSocketAddress> addresses = new ArrayList<>();
    private final ArrayDeque<Datagram> inFlight = new ArrayDeque<>();
    /** Datagrams sent to each address, for tests that watch the wire. */
    final Map<InetSocketAddress, List<Datagram>> delivered = new HashMap<>();
    long now = TimeUnit.HOURS.toNanos(1);
    private long nextTick = now + SECOND;

    static InetSocketAddress address(int i) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(
                    new byte[] {20, (byte) (i >>> 8), (byte) i, 1}), 6881);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static InetSocketAddress address6(int i) {
        byte[] ip = new byte[16];
        ip[0] = 0x20;
        ip[1] = 0x01;
        ip[2] = 0x0a;
        ip[6] = (byte) (i >>> 8);
        ip[7] = (byte) i;
        ip[15] = 1;
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 6881);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    DhtNode add(InetSocketAddress address, DhtConfig config) {
        return add(List.of(address), config);
    }

    /** A node on one address per family it has. */
    DhtNode add(List<InetSocketAddress> own, DhtConfig config) {
        EnumSet<Family> families = EnumSet.noneOf(Family.class);
        own.forEach(a -> families.add(Family.of(a.getAddress())));
        DhtNode node = new DhtNode(config, families, own, (to, bytes) -> {
            InetSocketAddress from = own.stream().filter(a -> Family.of(a.getAddress()) == Family.of(to.getAddress()))
                    .findFirst().orElseThrow();
            inFlight.addLast(new Datagram(now + LATENCY, from, to, bytes));
        }, new Random(random.nextLong()), Optional.empty(), now);
        for (InetSocketAddress a : own) {
            nodes.put(a, node);
            addresses.add(a);
        }
        return node;
    }

    /** Injects a datagram as if {@code from} sent it. */
    void inject(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
        inFlight.addLast(new Datagram(now + LATENCY, from, to, bytes));
    }

    /** Runs the network for {@code nanos} of simulated time. */
    void run(long nanos) {
        long end = now + nanos;
        while (true) {
            long nextDelivery = inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.peekFirst().at();
            long next = Math.min(nextDelivery, nextTick);
            if (next > end) {
                now = end;
                return;
            }
            now = next;
            if (nextDelivery <= nextTick) {
                Datagram d = inFlight.removeFirst();
                delivered.computeIfAbsent(d.to(), k -> new ArrayList<>()).add(d);
                DhtNode target = nodes.get(d.to());
                if (target != null) {
                    target.receive(d.from(), ByteBuffer.wrap(d.bytes()), now);
                }
            } else {
                for (DhtNode n : List.copyOf(new java.util.LinkedHashSet<>(nodes.values()))) {
                    n.tick(now);
                }
                nextTick += SECOND;
            }
        }
    }

    /** Runs until {@code done} holds or {@code limit} passes; returns whether it held. */
    boolean runUntil(java.util.function.BooleanSupplier done, long limit) {
        long end = now + limit;
        while (now < end) {
            if (done.getAsBoolean()) {
                return true;
            }
            run(TimeUnit.MILLISECONDS.toNanos(100));
        }
        return done.getAsBoolean();
    }
}
