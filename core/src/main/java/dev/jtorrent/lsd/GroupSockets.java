package dev.jtorrent.lsd;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One LSD group's sockets, as libtorrent lays them out: one bound to the group's port on every address (with {@code
 * SO_REUSEADDR}, so that several clients on one machine all hear the group) that joins the group on each endpoint's
 * interface, and per endpoint one bound to its source address that announces, with the endpoint's interface as the
 * outgoing one and a TTL of {@value #MULTICAST_TTL}.
 *
 * @param receiver hears the group
 * @param senders  announce, one from each endpoint
 */
record GroupSockets(DatagramChannel receiver, List<Sender> senders) {
    /** Announces are for the LAN: no router forwards them. */
    static final int MULTICAST_TTL = 1;
    private static final System.Logger LOG = System.getLogger(GroupSockets.class.getName());

    /** Opens them all, or none: what was opened is closed again if one fails. */
    static GroupSockets open(LsdGroup group, List<LsdEndpoint> endpoints) throws IOException {
        List<DatagramChannel> opened = new ArrayList<>();
        try {
            DatagramChannel receiver = joined(group, endpoints);
            opened.add(receiver);
            List<Sender> senders = new ArrayList<>();
            for (LsdEndpoint endpoint : endpoints) {
                DatagramChannel channel = sending(endpoint);
                opened.add(channel);
                senders.add(new Sender(endpoint, channel));
            }
            return new GroupSockets(receiver, senders);
        } catch (IOException | RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /** A socket that announces from one endpoint's address. */
    static final class Sender {
        private final LsdEndpoint endpoint;
        private final DatagramChannel channel;
        /** Whether a send failed already: the first failure is logged, the others only for debugging. */
        private boolean failed;

        Sender(LsdEndpoint endpoint, DatagramChannel channel) {
            this.endpoint = endpoint;
            this.channel = channel;
        }

        DatagramChannel channel() {
            return channel;
        }

        /** Sends {@code message} to the group of the endpoint's family; false once the channel is closed. */
        boolean send(LsdMessage message) {
            LsdGroup group = endpoint.group();
            try {
                channel.send(ByteBuffer.wrap(message.withGroup(group).encode()), group.socketAddress());
            } catch (ClosedChannelException e) {
                return false;
            } catch (IOException e) {
                // IPv6 without a multicast route fails here, not when joining: LSD goes on on the other endpoints.
                LOG.log(failed ? System.Logger.Level.DEBUG : System.Logger.Level.INFO, "cannot announce to "
                        + group.host() + " from " + endpoint.source().getHostAddress() + ": " + e);
                failed = true;
            }
            return true;
        }
    }

    /** A socket on the group's port, joined to it on each endpoint's interface. */
    private static DatagramChannel joined(LsdGroup group, List<LsdEndpoint> endpoints) throws IOException {
        DatagramChannel channel = DatagramChannel.open(family(group));
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(group == LsdGroup.IPV4 ? InetAddress.getByName("0.0.0.0")
                    : InetAddress.getByName("::"), LsdGroup.PORT));
            Set<NetworkInterface> interfaces = new LinkedHashSet<>();
            endpoints.forEach(endpoint -> interfaces.add(endpoint.networkInterface()));
            for (NetworkInterface nif : interfaces) {
                channel.join(group.address(), nif);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A socket that sends from the endpoint's address out of its interface. */
    private static DatagramChannel sending(LsdEndpoint endpoint) throws IOException {
        DatagramChannel channel = DatagramChannel.open(family(endpoint.group()));
        try {
            channel.bind(new InetSocketAddress(endpoint.source(), 0));
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, endpoint.networkInterface());
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, MULTICAST_TTL);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true); // other clients on this machine
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static StandardProtocolFamily family(LsdGroup group) {
        return group == LsdGroup.IPV4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    /** Closes each of {@code channels}, going on past any that fails to close. */
    static void closeAll(List<DatagramChannel> channels) {
        for (DatagramChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
    }
}
