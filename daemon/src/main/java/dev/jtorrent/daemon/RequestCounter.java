package dev.jtorrent.daemon;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The requests each API of the HTTP front answered, by how they ended: what {@code /metrics} reports as
 * {@code jtorrent_http_requests_total}. Both label sets are closed enums, so the series stay a fixed dozen whatever
 * clients send. Thread-safe, and lock-free: a counter per API and result.
 *
 * <p>An API is counted by wrapping its handler ({@link #counting}) where the daemon mounts it, so that an API's own
 * code does not change to be counted, and every answer is counted once, when it has been sent (or failed to be).
 */
public final class RequestCounter {
    /** The APIs of the HTTP front. */
    public enum Api {
        /** The Transmission RPC and the web client it serves, under {@code /transmission/}. */
        TRANSMISSION,
        /** The qBittorrent Web API, under {@code /api/v2/}. */
        QBITTORRENT,
        /** The daemon's own web UI. */
        WEB;

        /** The label value: the name in lower case. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a request ended, by its status. */
    public enum Result {
        /** Answered: 1xx to 3xx (Transmission's redirects to its web client included). */
        SUCCESS,
        /** Refused by an access check: 401, 403, 421 (bad credentials, a client not whitelisted, a foreign Host). */
        DENIED,
        /** Any other 4xx: a bad request, an unknown path, Transmission's 409 session-id handshake, a body too large. */
        CLIENT_ERROR,
        /** 5xx, or a handler that failed before it set a status. */
        SERVER_ERROR;

        /** The result of a response with {@code status}. */
        public static Result of(int status) {
            if (status >= 100 && status < 400) {
                return SUCCESS;
            }
            if (status == 401 || status == 403 || status == 421) {
                return DENIED;
            }
            if (status >= 400 && status < 500) {
                return CLIENT_ERROR;
            }
            return SERVER_ERROR;
        }

        /** The label value: the name in lower case. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final LongAdder[] counts = new LongAdder[Api.values().length * Result.values().length];

    public RequestCounter() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts a request of {@code api} answered with {@code status}. */
    public void count(Api api, int status) {
        counts[index(api, Result.of(status))].increment();
    }

    /** The requests of {@code api} that ended with {@code result} so far. */
    public long count(Api api, Result result) {
        return counts[index(api, result)].sum();
    }

    private static int index(Api api, Result result) {
        return api.ordinal() * Result.values().length + result.ordinal();
    }

    /**
     * {@code handler}, each of its requests counted as {@code api} once its response is complete: by the status
     * sent, or as a server error if the handler threw (Jetty then answers 500 itself).
     */
    Handler counting(Api api, Handler handler) {
        Objects.requireNonNull(api, "api");
        return new Handler.Wrapper(Objects.requireNonNull(handler, "handler")) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Callback counted = new Callback.Nested(callback) {
                    @Override
                    public void succeeded() {
                        count(api, response.getStatus());
                        super.succeeded();
                    }

                    @Override
                    public void failed(Throwable failure) {
                        count(api, response.isCommitted() ? response.getStatus() : 500);
                        super.failed(failure);
                    }
                };
                try {
                    return super.handle(request, response, counted);
                } catch (Exception | Error e) {
                    count(api, 500);
                    throw e;
                }
            }
        };
    }
}
