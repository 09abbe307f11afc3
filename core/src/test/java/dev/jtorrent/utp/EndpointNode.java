package dev.jtorrent.utp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A {@link UtpEndpoint} at an address of a {@link SimNet}, on its simulated clock, keeping what it accepts. */
final class EndpointNode implements SimNet.Node {
    final UtpEndpoint endpoint;
    final List<UtpStream> accepted = new ArrayList<>();
    /** Sizes of the datagrams the endpoint sent. */
    final List<Integer> sentSizes = new ArrayList<>();
    final List<InetSocketAddress> sentTo = new ArrayList<>();

    EndpointNode(SimNet net, InetSocketAddress self, UtpLimits limits) {
        endpoint = new UtpEndpoint((datagram, to) -> {
            sentSizes.add(datagram.remaining());
            sentTo.add(to);
            net.send(self, to, datagram);
        }, limits, net::now, new Random(7), to -> UtpPacket.ETHERNET_PAYLOAD);
        endpoint.onAccept(accepted::add);
        net.add(self, this);
    }

    @Override
    public void deliver(ByteBuffer datagram, InetSocketAddress from) {
        endpoint.receive(datagram, from);
    }

    @Override
    public void drained() {
        endpoint.drained();
    }

    @Override
    public void tick() {
        endpoint.tick();
    }
}
