package dev.jtorrent.dht;

import dev.jtorrent.bencode.BString;

import java.util.Optional;

/**
 * A datagram that is not a well-formed KRPC message. When it was recognisably a query with a transaction id, the
 * node can still answer it with a protocol error (203); otherwise it is dropped.
 */
final class KrpcException extends Exception {
    private final transient BString queryTransactionId;

    KrpcException(String problem) {
        this(problem, null);
    }

    KrpcException(String problem, BString queryTransactionId) {
        super(problem, null, false, false);
        this.queryTransactionId = queryTransactionId;
    }

    /** The transaction id of the malformed query, if the datagram was one and had a usable id. */
    Optional<BString> queryTransactionId() {
        return Optional.ofNullable(queryTransactionId);
    }
}
