package dev.jtorrent.tracker;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * Connections that fill a listening socket's accept queue, so that Linux ignores the next one's SYN: a connection
 * to that socket then never opens, as one to a host that drops packets. Public for the session tests.
 */
public final class FullBacklog implements AutoCloseable {
    private final List<Socket> sockets;

    private FullBacklog(List<Socket> sockets) {
        this.sockets = sockets;
    }

    /** Connects to {@code server}, which must never accept, until a connection no longer opens. */
    public static FullBacklog fill(ServerSocket server) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            try {
                s.connect(server.getLocalSocketAddress(), 200);
                sockets.add(s);
            } catch (SocketTimeoutException e) {
                s.close();
                return new FullBacklog(sockets);
            }
        }
        sockets.forEach(FullBacklog::closeQuietly);
        throw new IllegalStateException("the accept queue never filled up after 16 connections");
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Only test cleanup.
        }
    }

    @Override
    public void close() {
        sockets.forEach(FullBacklog::closeQuietly);
    }
}
