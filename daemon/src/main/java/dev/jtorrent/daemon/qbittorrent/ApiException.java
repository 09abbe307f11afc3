package dev.jtorrent.daemon.qbittorrent;

/**
 * A request the Web API refuses, with the status and the one-line text qBittorrent answers it with. qBittorrent's
 * controllers throw the same way ({@code APIError}), and its web application turns the error into a text/plain
 * response whose body is the message, or the status's reason phrase when the message is empty.
 */
final class ApiException extends Exception {
    private final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    /** 400, for a missing or malformed parameter. */
    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    /** 404 with qBittorrent's "Not Found": its controllers throw NotFound without a message for unknown hashes. */
    static ApiException notFound() {
        return new ApiException(404, "Not Found");
    }

    /** 409, for a request that is well formed but cannot be done now. */
    static ApiException conflict(String message) {
        return new ApiException(409, message);
    }
}
