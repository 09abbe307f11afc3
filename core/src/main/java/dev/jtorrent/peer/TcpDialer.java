package dev.jtorrent.peer;

import dev.jtorrent.net.BindAddresses;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * Opens TCP connections, each within {@link #CONNECT_TIMEOUT_MILLIS}, from the bind address of the peer's family
 * ({@link BindAddresses#localFor}); a peer of a family none of them has is not dialled.
 */
public final class TcpDialer implements Dialer {
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final BindAddresses bindAddresses;

    public TcpDialer(BindAddresses bindAddresses) {
        this.bindAddresses = bindAddresses;
    }

    @Override
    public boolean canReach(InetSocketAddress address) {
        return address.getAddress() != null && bindAddresses.canReach(address.getAddress());
    }

    @Override
    public Transport transport() {
        return Transport.TCP;
    }

    @Override
    public PeerChannel dial(InetSocketAddress address) throws IOException {
        if (!canReach(address)) {
            throw new IOException("no bind address of its family (bound to " + bindAddresses + ")");
        }
        Optional<InetAddress> local = bindAddresses.localFor(address.getAddress());
        SocketChannel channel = SocketChannel.open();
        try {
            Socket socket = channel.socket(); // its adaptor: for the connect's timeout
            socket.setTcpNoDelay(true);
            if (local.isPresent()) {
                socket.bind(new InetSocketAddress(local.get(), 0));
            }
            socket.connect(address, CONNECT_TIMEOUT_MILLIS);
            return TcpChannel.of(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "TcpDialer[" + bindAddresses + "]";
    }
}
