package dev.jtorrent.daemon.qbittorrent;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * An endpoint's answer: its status, content type and body, and the {@code Set-Cookie} of a login or logout.
 */
record Reply(int status, String contentType, byte[] body, Optional<String> setCookie) {
    static final String TEXT = "text/plain; charset=UTF-8";
    static final String JSON = "application/json";

    Reply {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(setCookie, "setCookie");
    }

    /** 200 with a text body, such as qBittorrent's "Ok." and "Fails.". */
    static Reply text(String text) {
        return new Reply(200, TEXT, text.getBytes(StandardCharsets.UTF_8), Optional.empty());
    }

    /** 200 with an empty body: what qBittorrent answers an action that has nothing to say. */
    static Reply ok() {
        return text("");
    }

    static Reply json(byte[] json) {
        return new Reply(200, JSON, json, Optional.empty());
    }

    static Reply json(Json.Body body) {
        return json(Json.write(body));
    }

    /** An error: the status, and the message or else the status's reason phrase as the text body. */
    static Reply error(int status, String message) {
        return new Reply(status, TEXT, message.getBytes(StandardCharsets.UTF_8), Optional.empty());
    }

    Reply withCookie(String cookie) {
        return new Reply(status, contentType, body, Optional.of(cookie));
    }
}
