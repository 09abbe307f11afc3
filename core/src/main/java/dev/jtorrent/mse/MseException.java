package dev.jtorrent.mse;

import java.io.IOException;

/**
 * An MSE handshake that failed because of what the peer sent (or did not send): a bad key, a sync marker not found
 * within the spec's bound, a wrong verification constant, no crypto method in common, a torrent we do not have. The
 * message is one line for the connection's log; the connection is then closed. A failure of the channel itself
 * (closed by the caller's deadline, reset by the peer) is the channel's own {@link IOException}.
 */
public final class MseException extends IOException {
    public MseException(String message) {
        super(message);
    }
}
