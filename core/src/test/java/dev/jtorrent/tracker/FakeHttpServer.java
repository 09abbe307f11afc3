package dev.jtorrent.tracker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted HTTP tracker on 127.0.0.1 (or another address) that plays hostile or broken servers; one request per
 * connection. It keeps the head of every request it read. Public for the session tests, which put such trackers
 * beside good ones.
 */
public final class FakeHttpServer implements AutoCloseable {
    public interface Script {
        void serve(String requestHead, Socket socket) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    public final AtomicInteger requests = new AtomicInteger();
    /** The head of each request, in the order they were read. */
    public final List<String> heads = new CopyOnWriteArrayList<>();

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
                    connections.add(socket);
                    Thread.ofVirtual().start(() -> {
                        try (socket) {
                            String head = readHead(socket.getInputStream());
                            heads.add(head);
                            requests.incrementAndGet();
                            script.serve(head, socket);
                        } catch (IOException | InterruptedException e) {
                            // The client hung up, as it should when a reply crosses a limit.
                        } finally {
                            connections.remove(socket);
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

    /** Answers every announce with {@code peers} and an interval of 30 minutes. */
    public static Script announcing(List<InetSocketAddress> peers) {
        return replying(200, "", announceReply(peers));
    }

    /** Reads the request and says nothing until the client hangs up. */
    public static Script silent() {
        return (head, socket) -> socket.getInputStream().transferTo(OutputStream.nullOutputStream());
    }

    /** An announce reply with {@code peers} in compact form, IPv4 in {@code peers} and IPv6 in {@code peers6}. */
    public static byte[] announceReply(List<InetSocketAddress> peers) {
        ByteArrayOutputStream v4 = new ByteArrayOutputStream();
        ByteArrayOutputStream v6 = new ByteArrayOutputStream();
        for (InetSocketAddress peer : peers) {
            ByteArrayOutputStream out = peer.getAddress() instanceof Inet4Address ? v4 : v6;
            out.writeBytes(peer.getAddress().getAddress());
            out.write(peer.getPort() >> 8);
            out.write(peer.getPort());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("d8:intervali1800e5:peers" + v4.size() + ":").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(v4.toByteArray());
        body.writeBytes(("6:peers6" + v6.size() + ":").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(v6.toByteArray());
        body.write('e');
        return body.toByteArray();
    }

    /** The {@code event} of each request read so far from the client at {@code port}, in order; "" for none. */
    public List<String> events(int port) {
        return heads.stream().map(FakeHttpServer::parameters)
                .filter(p -> String.valueOf(port).equals(p.get("port")))
                .map(p -> p.getOrDefault("event", "")).toList();
    }

    public String url(String path) {
        InetAddress address = server.getInetAddress();
        String host = address instanceof java.net.Inet6Address ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
        return "http://" + host + ":" + server.getLocalPort() + path;
    }

    /** The query parameters of a request, as sent (still percent-encoded). */
    public static Map<String, String> parameters(String head) {
        String target = head.substring(head.indexOf(' ') + 1, head.indexOf(" HTTP/"));
        Map<String, String> parameters = new HashMap<>();
        int question = target.indexOf('?');
        if (question >= 0) {
            for (String pair : target.substring(question + 1).split("&")) {
                int equals = pair.indexOf('=');
                parameters.put(equals < 0 ? pair : pair.substring(0, equals),
                        equals < 0 ? "" : pair.substring(equals + 1));
            }
        }
        return parameters;
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

    /** Stops accepting and closes the connections still open. */
    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : connections) {
            socket.close();
        }
    }
}
