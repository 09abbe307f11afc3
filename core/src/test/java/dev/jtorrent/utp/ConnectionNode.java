package dev.jtorrent.utp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One side of a simulated uTP connection: a {@link UtpConnection} at an address of a {@link SimNet}, opened towards
 * a peer or waiting for its SYN, as its endpoint would.
 */
final class ConnectionNode implements SimNet.Node {
    final SimNet net;
    final InetSocketAddress self;
    final InetSocketAddress peer;
    final UtpLimits limits;
    final OutOfOrderBudget budget;
    private final UtpPacket packet = new UtpPacket();
    UtpConnection connection;
    /** When false, packets that arrive are dropped (a peer gone silent). */
    boolean listening = true;

    private ConnectionNode(SimNet net, InetSocketAddress self, InetSocketAddress peer, UtpLimits limits) {
        this.net = net;
        this.self = self;
        this.peer = peer;
        this.limits = limits;
        this.budget = new OutOfOrderBudget(limits.outOfOrderBytesTotal());
        net.add(self, this);
    }

    static ConnectionNode opening(SimNet net, InetSocketAddress self, InetSocketAddress peer, UtpLimits limits,
            int ceiling) {
        ConnectionNode n = new ConnectionNode(net, self, peer, limits);
        n.connection = UtpConnection.open(n::send, limits, n.budget, 0x7000, ceiling, net.now());
        return n;
    }

    static ConnectionNode accepting(SimNet net, InetSocketAddress self, InetSocketAddress peer, UtpLimits limits) {
        return new ConnectionNode(net, self, peer, limits);
    }

    int ceiling = UtpPacket.ETHERNET_PAYLOAD;

    /**
     * Puts {@code link} before this node: each datagram for it passes through {@code link} first, which may change
     * it or return null to lose it; the node is still ticked and drained as before.
     */
    ConnectionNode behind(java.util.function.UnaryOperator<ByteBuffer> link) {
        ConnectionNode node = this;
        net.add(self, new SimNet.Node() {
            @Override
            public void deliver(ByteBuffer datagram, InetSocketAddress from) {
                ByteBuffer passed = link.apply(datagram);
                if (passed != null) {
                    node.deliver(passed, from);
                }
            }

            @Override
            public void drained() {
                node.drained();
            }

            @Override
            public void tick() {
                node.tick();
            }
        });
        return this;
    }

    /** Sees each datagram the connection sends, before the net takes it (a test's tap; the buffer is only lent). */
    java.util.function.Consumer<ByteBuffer> sendTap = datagram -> { };

    private void send(ByteBuffer datagram) {
        sendTap.accept(datagram);
        net.send(self, peer, datagram);
    }

    @Override
    public void deliver(ByteBuffer datagram, InetSocketAddress from) {
        if (!listening) {
            return;
        }
        try {
            packet.parse(datagram);
        } catch (UtpPacketException e) {
            return;
        }
        if (connection == null) {
            if (packet.type() == UtpType.SYN) {
                connection = UtpConnection.accept(this::send, limits, budget, packet, 0xFFF0, ceiling, net.now());
            }
            return;
        }
        connection.receive(packet, datagram, net.now());
    }

    @Override
    public void drained() {
        if (connection != null && listening) {
            connection.flushAck(net.now());
        }
    }

    @Override
    public void tick() {
        if (connection != null && listening) {
            connection.tick(net.now());
        }
    }
}
