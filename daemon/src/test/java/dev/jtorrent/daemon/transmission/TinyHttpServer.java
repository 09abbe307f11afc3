package dev.jtorrent.daemon.transmission;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A loopback HTTP server for the URL adds: it answers every request with one fixed status and body, or, when told
 * to stall, accepts and never answers.
 */
final class TinyHttpServer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread thread;
    private final List<Socket> held = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    TinyHttpServer(int status, byte[] body, boolean stall) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    if (stall) {
                        synchronized (held) {
                            held.add(socket);
                        }
                        continue;
                    }
                    try (socket) {
                        readHead(socket.getInputStream());
                        OutputStream out = socket.getOutputStream();
                        out.write(("HTTP/1.1 " + status + " X\r\nContent-Length: " + body.length
                                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(body);
                    }
                } catch (IOException e) {
                    // Closed, or the client went away: the next accept tells which.
                }
            }
            closed.countDown();
        });
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    private static void readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
            if (matched == 4) {
                return;
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        synchronized (held) {
            for (Socket socket : held) {
                socket.close();
            }
        }
        closed.await();
    }
}
