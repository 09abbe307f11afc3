package dev.jtorrent.session;

import dev.jtorrent.net.BindAddresses;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The session's listen sockets: one on each bind address, all on one port, so that {@link Session#port()} is the
 * session's single port, the one announced to trackers, the DHT and LSD. The first address is bound on the
 * configured port (or one the system picks for 0), the others on the port it got.
 *
 * <p>Without bind addresses, one socket on the wildcard: Java opens it dual-stack ({@code IPV6_V6ONLY} off), so that
 * it listens on IPv6's {@code ::} and takes IPv4 peers too, as libtorrent's and Transmission's listeners on {@code
 * [::]} do; where IPv6 is off it is an IPv4 socket on {@code 0.0.0.0}. A socket for a given address is opened in
 * that address's family: an IPv4 {@code 0.0.0.0} given as an address then listens on IPv4 alone, where a dual-stack
 * socket bound to it would listen on {@code ::}. IPv6's {@code ::}, given, covers every address of both families,
 * so the other addresses given beside it are not listened on (binding them on the same port would fail).
 */
final class ListenSockets implements AutoCloseable {
    /** Connections the system queues on each socket before they are accepted. */
    static final int BACKLOG = 128;

    private final List<ServerSocketChannel> channels;
    /** Where each is bound; kept, since a closed channel no longer says. */
    private final List<InetSocketAddress> addresses;

    private ListenSockets(List<ServerSocketChannel> channels, List<InetSocketAddress> addresses) {
        this.channels = List.copyOf(channels);
        this.addresses = List.copyOf(addresses);
    }

    /**
     * Opens and binds the sockets.
     *
     * @throws IOException if one of the addresses cannot be listened on (the message says which); none is left open
     */
    static ListenSockets open(BindAddresses binds, int port) throws IOException {
        List<ServerSocketChannel> channels = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        try {
            for (InetAddress address : toListenOn(binds)) {
                int next = addresses.isEmpty() ? port : addresses.getFirst().getPort();
                ServerSocketChannel channel = open(address);
                channels.add(channel);
                try {
                    channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    channel.bind(new InetSocketAddress(address, next), BACKLOG);
                    addresses.add((InetSocketAddress) channel.getLocalAddress());
                } catch (IOException | UnsupportedOperationException e) {
                    throw new IOException("cannot listen on " + (address == null ? "port " + next
                            : hostPort(address, next)) + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException | RuntimeException e) {
            closeAll(channels);
            throw e;
        }
        return new ListenSockets(channels, addresses);
    }

    /** The addresses to listen on: {@code null} for the wildcard; {@code ::} alone where it is given. */
    static List<InetAddress> toListenOn(BindAddresses binds) {
        List<InetAddress> any6 = binds.addresses().stream()
                .filter(a -> a instanceof Inet6Address && a.isAnyLocalAddress()).toList();
        if (binds.isAny()) {
            return Collections.singletonList(null);
        }
        return any6.isEmpty() ? binds.addresses() : any6;
    }

    private static ServerSocketChannel open(InetAddress address) throws IOException {
        if (address == null) {
            return ServerSocketChannel.open();
        }
        try {
            return ServerSocketChannel.open(address instanceof Inet4Address
                    ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        } catch (UnsupportedOperationException e) {
            throw new IOException("cannot listen on " + address.getHostAddress() + ": IPv6 is not available", e);
        }
    }

    /** {@code host:port}, an IPv6 host in brackets. */
    static String hostPort(InetAddress address, int port) {
        String host = address.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The sockets, in the order of the bind addresses. */
    List<ServerSocketChannel> channels() {
        return channels;
    }

    /** Where each socket is bound, in the same order. */
    List<InetSocketAddress> addresses() {
        return addresses;
    }

    /** The first socket's address: its port is every socket's. */
    InetSocketAddress first() {
        return addresses.getFirst();
    }

    @Override
    public void close() {
        closeAll(channels);
    }

    private static void closeAll(List<ServerSocketChannel> channels) {
        for (ServerSocketChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
    }
}
