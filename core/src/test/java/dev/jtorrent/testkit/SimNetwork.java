package dev.jtorrent.testkit;

import dev.jtorrent.wire.Message;
import dev.jtorrent.wire.WireCodec;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The network between simulated hosts: connections that take one round trip and a half to open (TCP's and
 * BitTorrent's handshakes), and messages that take their time on the sender's uplink, then its latency, then
 * retransmissions for the segments its link loses (see {@link LinkProfile}), and arrive in order.
 */
public final class SimNetwork {
    private static final int SEGMENT = 1460;
    /** The port a host's outgoing connections come from, counted up: ports are ephemeral, as on a real host. */
    private static final int FIRST_EPHEMERAL_PORT = 40_000;

    private final Simulation sim;
    private final SplittableRandom random;
    private final Map<InetSocketAddress, SimHost> listening = new HashMap<>();
    /** When each host's uplink is free again. */
    private final Map<InetAddress, Long> uplinkFree = new HashMap<>();
    private int nextPort = FIRST_EPHEMERAL_PORT;
    private int nextConnection;

    public SimNetwork(Simulation sim) {
        this.sim = sim;
        this.random = sim.split();
    }

    Simulation sim() {
        return sim;
    }

    void listen(SimHost host) {
        listening.put(host.address(), host);
    }

    void stopListening(SimHost host) {
        listening.remove(host.address());
    }

    /**
     * Opens a connection from {@code from} to {@code to}: after a round trip and a half, {@code connected} gets our
     * end and the listener its own; if nobody listens there, {@code failed} gets why, a round trip on.
     */
    void connect(SimHost from, InetSocketAddress to, Consumer<SimConnection> connected, Consumer<String> failed) {
        long roundTrip = 2 * from.link().latency().toNanos();
        SimHost target = listening.get(to);
        if (target == null) {
            sim.schedule(roundTrip, () -> failed.accept("connection refused"));
            return;
        }
        sim.schedule(roundTrip + roundTrip / 2, () -> {
            if (listening.get(to) != target) {
                failed.accept("connection refused");
                return;
            }
            InetSocketAddress ephemeral = new InetSocketAddress(from.address().getAddress(), nextPort++);
            SimConnection ours = new SimConnection(this, nextConnection++, from, to, target.handshake(), true);
            SimConnection theirs = new SimConnection(this, nextConnection++, target, ephemeral, from.handshake(),
                    false);
            ours.pair(theirs);
            theirs.pair(ours);
            sim.trace(from.address() + " connected to " + to);
            connected.accept(ours);
            target.incoming(theirs);
        });
    }

    /**
     * Sends {@code messages} from {@code sender} to {@code receiver}: each takes its time on the sender's uplink, then
     * the latency and any retransmission, and arrives never before what the same connection sent earlier; messages
     * that arrive at the same instant arrive together. {@code written} runs when the last byte has left the uplink.
     */
    void transmit(SimConnection sender, SimConnection receiver, List<Message> messages, Runnable written) {
        LinkProfile link = sender.host().link();
        InetAddress from = sender.host().address().getAddress();
        long latency = link.latency().toNanos();
        long sent = Math.max(sim.now(), uplinkFree.getOrDefault(from, Long.MIN_VALUE));
        List<Message> together = new ArrayList<>();
        long togetherAt = Long.MIN_VALUE;
        for (Message message : messages) {
            long bytes = WireCodec.encodedLength(message);
            sent += link.bytesPerSecond() == 0 ? 0 : bytes * 1_000_000_000L / link.bytesPerSecond();
            long arrival = sender.inOrder(sent + latency + retransmissions(bytes, link) * 2 * latency);
            if (arrival != togetherAt && !together.isEmpty()) {
                deliver(receiver, together, togetherAt);
                together = new ArrayList<>();
            }
            together.add(message);
            togetherAt = arrival;
        }
        deliver(receiver, together, togetherAt);
        uplinkFree.put(from, sent);
        sim.scheduleAt(sent, written);
    }

    private void deliver(SimConnection receiver, List<Message> messages, long at) {
        sim.scheduleAt(at, () -> receiver.receive(messages));
    }

    /** When a close sent now reaches the other end: after the latency, and after all that was sent before it. */
    long closeArrival(SimConnection sender) {
        return sender.inOrder(sim.now() + sender.host().link().latency().toNanos());
    }

    /** How many of the segments of {@code bytes} the link loses once each. */
    private int retransmissions(long bytes, LinkProfile link) {
        if (link.loss() == 0) {
            return 0;
        }
        int lost = 0;
        for (long segments = (bytes + SEGMENT - 1) / SEGMENT; segments > 0; segments--) {
            if (random.nextDouble() < link.loss()) {
                lost++;
            }
        }
        return lost;
    }
}
