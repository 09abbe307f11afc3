package dev.jtorrent.daemon.transmission;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A request's {@code labels}: trimmed, blanks dropped, each once, and none with a comma (Transmission's rule). */
final class Labels {
    static final String COMMA = "labels cannot contain comma (,) character";
    /** Labels a torrent may have, and the longest one: enough for any tagging, bounded for memory. */
    static final int MAX_LABELS = 256;
    static final int MAX_LENGTH = 256;

    private Labels() {
    }

    /** The labels asked for; empty when the request has none. */
    static Optional<List<String>> of(Arguments args) throws RpcException {
        Optional<List<String>> asked = args.strings("labels");
        if (asked.isEmpty()) {
            return Optional.empty();
        }
        Set<String> labels = new LinkedHashSet<>();
        for (String label : asked.get()) {
            if (label.indexOf(',') >= 0) {
                throw new RpcException(COMMA);
            }
            String trimmed = label.strip();
            if (trimmed.length() > MAX_LENGTH) {
                throw new RpcException("a label is at most " + MAX_LENGTH + " characters");
            }
            if (!trimmed.isEmpty()) {
                labels.add(trimmed);
            }
        }
        if (labels.size() > MAX_LABELS) {
            throw new RpcException("a torrent has at most " + MAX_LABELS + " labels");
        }
        return Optional.of(List.copyOf(labels));
    }
}
