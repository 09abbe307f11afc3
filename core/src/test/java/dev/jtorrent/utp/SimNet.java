package dev.jtorrent.utp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * A deterministic network for uTP tests: datagrams are copied into a queue ordered by their delivery time, each
 * lost with a given probability and delayed by a base delay plus a random jitter (which reorders them), all from one
 * seeded random source; time is simulated, and every node is ticked every {@link #TICK_NANOS}. After each moment's
 * deliveries every node is told its socket drained, as a real reader would.
 */
final class SimNet {
    static final long TICK_NANOS = 10_000_000;

    /** Something with an address on the network. */
    interface Node {
        void deliver(ByteBuffer datagram, InetSocketAddress from);

        default void drained() {
        }

        default void tick() {
        }
    }

    private record InTransit(long at, long order, InetSocketAddress from, InetSocketAddress to, byte[] bytes)
            implements Comparable<InTransit> {
        @Override
        public int compareTo(InTransit o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
        }
    }

    final Random random;
    double loss;
    long delayNanos = 1_000_000;
    long jitterNanos;
    private long now = 1_000_000_000L;
    private long order;
    private long nextTick = now;
    private final PriorityQueue<InTransit> queue = new PriorityQueue<>();
    private final Map<InetSocketAddress, Node> nodes = new HashMap<>();
    long sent;
    long sentBytes;
    long dropped;
    /** Datagrams sent from each address. */
    final Map<InetSocketAddress, Long> sentFrom = new HashMap<>();

    SimNet(long seed) {
        random = new Random(seed);
    }

    static InetSocketAddress address(int host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) host}), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    long now() {
        return now;
    }

    void add(InetSocketAddress address, Node node) {
        nodes.put(address, node);
    }

    /** Sends a copy of {@code datagram} from {@code from} to {@code to}, unless the link loses it. */
    void send(InetSocketAddress from, InetSocketAddress to, ByteBuffer datagram) {
        byte[] bytes = new byte[datagram.remaining()];
        datagram.get(bytes);
        sent++;
        sentBytes += bytes.length;
        sentFrom.merge(from, 1L, Long::sum);
        if (loss > 0 && random.nextDouble() < loss) {
            dropped++;
            return;
        }
        long jitter = jitterNanos > 0 ? (long) (random.nextDouble() * jitterNanos) : 0;
        queue.add(new InTransit(now + delayNanos + jitter, order++, from, to, bytes));
    }

    /** Injects a datagram as if {@code from} sent it (a spoofed source, for hostile tests). */
    void inject(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
        queue.add(new InTransit(now + delayNanos, order++, from, to, bytes));
    }

    /** Runs until {@code done} or {@code maxNanos} of simulated time passed; false if the time ran out. */
    boolean runUntil(BooleanSupplier done, long maxNanos, Runnable eachStep) {
        long deadline = now + maxNanos;
        while (!done.getAsBoolean()) {
            InTransit next = queue.peek();
            long at = next == null ? nextTick : Math.min(next.at, nextTick);
            if (at > deadline) {
                now = deadline;
                return false;
            }
            now = Math.max(now, at);
            while (!queue.isEmpty() && queue.peek().at <= now) {
                InTransit d = queue.poll();
                Node node = nodes.get(d.to);
                if (node != null) {
                    node.deliver(ByteBuffer.wrap(d.bytes), d.from);
                }
            }
            for (Node node : nodes.values()) {
                node.drained();
            }
            if (now >= nextTick) {
                nextTick += TICK_NANOS;
                for (Node node : nodes.values().toArray(Node[]::new)) {
                    node.tick();
                }
            }
            eachStep.run();
        }
        return true;
    }

    void runFor(long nanos, Runnable eachStep) {
        long end = now + nanos;
        runUntil(() -> now >= end, nanos + 1, eachStep);
    }
}
