package dev.jtorrent.tracker;

import dev.jtorrent.net.DeadlineInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * GETs over a TCP socket of our own, for {@code http://} trackers: one HTTP/1.1 request per connection, which the
 * server closes after its reply. Nothing here needs starting, where the JDK's HttpClient costs a fresh process about
 * 150 ms before its first request, on the critical path of every download.
 */
final class SocketHttpTransport implements HttpTransport {
    private static final int HTTP_PORT = 80;

    private final TrackerConfig config;
    private final HttpErrors errors;

    SocketHttpTransport(TrackerConfig config) {
        this.config = config;
        this.errors = new HttpErrors(config);
    }

    @Override
    public Reply get(URI uri, InetAddress host, long deadline) throws TrackerException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        InetSocketAddress address = new InetSocketAddress(host, uri.getPort() < 0 ? HTTP_PORT : uri.getPort());
        // A channel's socket rather than a plain one: an interrupt then ends a blocking read on any thread, where a
        // plain socket heeds interrupts only on virtual threads.
        try (Socket socket = SocketChannel.open().socket()) {
            connect(socket, address, deadline);
            OutputStream out = socket.getOutputStream();
            out.write(requestHead(uri));
            out.flush();
            InputStream in = new DeadlineInputStream(socket, deadline, "deadline passed");
            return HttpResponseReader.read(new BufferedInputStream(in), HttpTracker.MAX_REPLY);
        } catch (SocketTimeoutException e) {
            throw errors.timeout();
        } catch (IOException e) {
            if (Thread.interrupted()) {
                // The interrupt closed the channel, and the blocked call failed for that reason.
                throw new InterruptedException();
            }
            throw HttpErrors.unreachable(e);
        }
    }

    /**
     * Opens the connection from the bind address within the connect timeout, or the time left if that is shorter;
     * the error names whichever ran out.
     */
    private void connect(Socket socket, InetSocketAddress address, long deadline) throws IOException, TrackerException {
        Optional<InetAddress> local = config.localFor(address.getAddress());
        if (local.isPresent()) {
            socket.bind(new InetSocketAddress(local.get(), 0));
        }
        long left = deadline - System.nanoTime();
        long connectTimeout = config.connectTimeout().toNanos();
        try {
            socket.connect(address, DeadlineInputStream.timeoutMillis(Math.min(left, connectTimeout)));
        } catch (SocketTimeoutException e) {
            throw connectTimeout <= left ? errors.connectTimeout() : errors.timeout();
        }
    }

    /**
     * The request: {@code GET} of the raw path and query exactly as the URL has them (an info hash is percent-encoded
     * bytes that must reach the tracker as they are), asking the server to close the connection after its reply.
     */
    static byte[] requestHead(URI uri) {
        URI ascii = URI.create(uri.toASCIIString());
        String path = ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
        String target = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
        String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        return ("GET " + target + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "User-Agent: jtorrent\r\n"
                + "Accept-Encoding: gzip\r\n"
                + "Connection: close\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
