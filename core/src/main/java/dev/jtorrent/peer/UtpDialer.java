package dev.jtorrent.peer;

import dev.jtorrent.utp.UtpEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Opens uTP connections from an endpoint (the session's UDP port, or a socket of its own), each within
 * {@link #CONNECT_TIMEOUT}: the SYN and its two resends (1 s, then 2 s) fit in it, as libtorrent's
 * {@code utp_connect_timeout} of 3 s lets them.
 */
public final class UtpDialer implements Dialer {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final UtpEndpoint endpoint;

    public UtpDialer(UtpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public Transport transport() {
        return Transport.UTP;
    }

    @Override
    public PeerChannel dial(InetSocketAddress address) throws IOException {
        return UtpChannel.of(endpoint.connect(address, CONNECT_TIMEOUT));
    }

    @Override
    public String toString() {
        return "UtpDialer";
    }
}
