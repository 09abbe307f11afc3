package dev.jtorrent.peer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/** Opens TCP connections, from the bind address if there is one, each within {@link #CONNECT_TIMEOUT_MILLIS}. */
public final class TcpDialer implements Dialer {
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final Optional<InetAddress> bindAddress;

    public TcpDialer(Optional<InetAddress> bindAddress) {
        this.bindAddress = bindAddress;
    }

    @Override
    public Transport transport() {
        return Transport.TCP;
    }

    @Override
    public PeerChannel dial(InetSocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            Socket socket = channel.socket(); // its adaptor: for the connect's timeout
            socket.setTcpNoDelay(true);
            if (bindAddress.isPresent()) {
                socket.bind(new InetSocketAddress(bindAddress.get(), 0));
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
        return "TcpDialer[" + bindAddress.map(InetAddress::getHostAddress).orElse("*") + "]";
    }
}
