package dev.jtorrent.daemon;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpFrontTest {
    /** Reads the whole body, then answers 200 with its length. */
    private static final Handler BODY_LENGTH = new Handler.Abstract.NonBlocking() {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Content.Source.asByteBufferAsync(request).whenComplete((body, failure) -> {
                if (failure != null) {
                    Response.writeError(request, response, callback, failure);
                } else {
                    response.setStatus(200);
                    Content.Sink.write(response, true, String.valueOf(body.remaining()), callback);
                }
            });
            return true;
        }
    };

    private static HttpFront front() throws Exception {
        HttpFront front = new HttpFront(InetAddress.getLoopbackAddress(), 0, Map.of("/*", BODY_LENGTH));
        front.start();
        return front;
    }

    private static String exchange(int port, String head, byte[] body) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(body);
            } catch (java.io.IOException e) {
                // The server may answer and close before the whole body is sent.
            }
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] status = in.readNBytes(12);
            return new String(status, StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aBodyLargerThanTheLimitIsRefusedWith413() throws Exception {
        try (HttpFront front = front()) {
            int limit = (int) HttpFront.MAX_BODY_BYTES;
            String head = "POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\nConnection: close\r\n\r\n";
            assertThat(exchange(front.port(), head.formatted(limit), new byte[limit])).endsWith("200");
            assertThat(exchange(front.port(), head.formatted(limit + 1), new byte[limit + 1])).endsWith("413");
        }
    }

    @Test
    void headersLargerThanTheLimitAreRefusedWith431() throws Exception {
        try (HttpFront front = front()) {
            String small = "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + "a".repeat(1000)
                    + "\r\nConnection: close\r\n\r\n";
            assertThat(exchange(front.port(), small, new byte[0])).endsWith("200");
            String large = "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + "a".repeat(HttpFront.MAX_HEADER_BYTES)
                    + "\r\nConnection: close\r\n\r\n";
            assertThat(exchange(front.port(), large, new byte[0])).endsWith("431");
        }
    }

    @Test
    void connectionsPastTheLimitWaitUntilOneCloses() throws Exception {
        try (HttpFront front = front()) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < HttpFront.MAX_CONNECTIONS; i++) {
                    Socket socket = new Socket(InetAddress.getLoopbackAddress(), front.port());
                    // Each proves it was accepted: a whole exchange on a kept-alive connection.
                    socket.getOutputStream().write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    socket.setSoTimeout(20_000);
                    assertThat(new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1))
                            .endsWith("200");
                    held.add(socket);
                }
                try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), front.port())) {
                    extra.getOutputStream().write("GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    // Not accepted: no answer comes while the others are open.
                    extra.setSoTimeout(1_000);
                    assertThatThrownBy(() -> extra.getInputStream().read())
                            .isInstanceOf(SocketTimeoutException.class);
                    held.removeFirst().close();
                    extra.setSoTimeout(20_000);
                    assertThat(new String(extra.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1))
                            .endsWith("200");
                }
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void thePoolRefusesWorkPastItsThreadsAndQueueRatherThanQueueWithoutBound() throws Exception {
        QueuedThreadPool pool = HttpFront.threadPool();
        pool.start();
        CountDownLatch release = new CountDownLatch(1);
        try {
            int accepted = 0;
            try {
                for (int i = 0; i < HttpFront.MAX_THREADS + HttpFront.MAX_QUEUED + 10; i++) {
                    pool.execute(() -> {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    accepted++;
                }
            } catch (RejectedExecutionException expected) {
                // the bound
            }
            assertThat(accepted).isLessThanOrEqualTo(HttpFront.MAX_THREADS + HttpFront.MAX_QUEUED)
                    .isGreaterThanOrEqualTo(HttpFront.MAX_QUEUED);
        } finally {
            release.countDown();
            pool.stop();
        }
    }
}
