package dev.jtorrent.tracker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted HTTP tracker on 127.0.0.1 (or another address) that plays hostile or broken servers; one request per
 * connection. Public for the session tests, which put such trackers beside good ones.
 */
public final class FakeHttpServer implements AutoCloseable {
    public interface Script {
        void serve(String requestHead, Socket socket) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    public final AtomicInteger requests = new AtomicInteger();

    public FakeHttpServer(Script script) throws IOException {
        this(InetAddress.getLoopbackAddress(), script);
    }

    public FakeHttpServer(InetAddress bind, Script script) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(bind, 0));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (socket) {
                            String head = readHead(socket.getInputStream());
                            requests.incrementAndGet();
                            script.serve(head, socket);
                        } catch (IOException | InterruptedException e) {
                            // The client hung up, as it should when a reply crosses a limit.
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** Answers with a complete response carrying {@code body}. */
    public static Script replying(int status, String headers, byte[] body) {
        return (head, socket) -> {
            socket.getOutputStream().write(("HTTP/1.1 " + status + " X\r\nConnection: close\r\nContent-Length: "
                    + body.length + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
        };
    }

    public static Script replying(String body) {
        return replying(200, "", body.getBytes(StandardCharsets.ISO_8859_1));
    }

    public String url(String path) {
        InetAddress address = server.getInetAddress();
        String host = address instanceof java.net.Inet6Address ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
        return "http://" + host + ":" + server.getLocalPort() + path;
    }

    /** Reads up to the blank line that ends the request head. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        for (int b; last4 != 0x0d0a0d0a && (b = in.read()) >= 0; ) {
            head.write(b);
            last4 = last4 << 8 | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
