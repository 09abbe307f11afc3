package dev.jtorrent.dht;

import dev.jtorrent.bencode.BString;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A KRPC message (BEP 5): a query, its response, or an error. Each carries the transaction id its query was given, so
 * that the querier can match the answer. Values are checked by {@link KrpcCodec} when decoded; built in code they are
 * trusted to be well formed (ids of 20 bytes, ports in range).
 */
sealed interface Krpc permits Krpc.Query, Krpc.Response, Krpc.Error {

    /** The querier's opaque transaction id, echoed in the answer. */
    BString transactionId();

    /**
     * A query.
     *
     * @param sender   the querier's node id
     * @param method   what is asked, with its arguments
     * @param want     the address families whose nodes the querier wants (BEP 32); empty means its own family
     * @param readOnly whether the querier is a read-only node (BEP 43), which is not put in routing tables
     */
    record Query(BString transactionId, NodeId sender, Method method, Set<Family> want, boolean readOnly)
            implements Krpc {
        public Query {
            Objects.requireNonNull(transactionId, "transactionId");
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(method, "method");
            want = Set.copyOf(want);
        }
    }

    /** The method of a query, with its arguments. */
    sealed interface Method permits Ping, FindNode, GetPeers, AnnouncePeer, Unknown {
        /** The method's name on the wire. */
        String name();
    }

    record Ping() implements Method {
        @Override
        public String name() {
            return "ping";
        }
    }

    record FindNode(NodeId target) implements Method {
        @Override
        public String name() {
            return "find_node";
        }
    }

    record GetPeers(NodeId infoHash) implements Method {
        @Override
        public String name() {
            return "get_peers";
        }
    }

    /**
     * @param port        the peer's TCP port; ignored when {@code impliedPort}
     * @param impliedPort the peer's port is the UDP source port of the query (BEP 5, for peers behind a NAT)
     * @param token       what the announcer was given by our answer to its {@code get_peers}
     */
    record AnnouncePeer(NodeId infoHash, int port, boolean impliedPort, BString token) implements Method {
        @Override
        public String name() {
            return "announce_peer";
        }
    }

    /** A method this node does not serve (BEP 44 {@code get}, a typo): answered with error 204. */
    record Unknown(String name) implements Method {
    }

    /**
     * A response.
     *
     * @param sender    the responder's node id
     * @param requester our address as the responder saw it (BEP 42 {@code ip}), if it said
     * @param nodes     IPv4 nodes ({@code nodes}), possibly empty
     * @param nodes6    IPv6 nodes ({@code nodes6}, BEP 32), possibly empty
     * @param values    peers of the info hash asked with {@code get_peers}, possibly empty
     * @param token     the token to send back with {@code announce_peer}, for an answer to {@code get_peers}
     */
    record Response(BString transactionId, NodeId sender, Optional<InetSocketAddress> requester, List<Contact> nodes,
                    List<Contact> nodes6, List<InetSocketAddress> values, Optional<BString> token) implements Krpc {
        public Response {
            Objects.requireNonNull(transactionId, "transactionId");
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(requester, "requester");
            nodes = List.copyOf(nodes);
            nodes6 = List.copyOf(nodes6);
            values = List.copyOf(values);
            Objects.requireNonNull(token, "token");
        }

        /** The nodes of one family. */
        List<Contact> nodes(Family family) {
            return family == Family.IPV4 ? nodes : nodes6;
        }
    }

    /** An error (BEP 5 codes: {@link #GENERIC}, {@link #SERVER}, {@link #PROTOCOL}, {@link #METHOD_UNKNOWN}). */
    record Error(BString transactionId, int code, String message) implements Krpc {
        static final int GENERIC = 201;
        static final int SERVER = 202;
        static final int PROTOCOL = 203;
        static final int METHOD_UNKNOWN = 204;

        public Error {
            Objects.requireNonNull(transactionId, "transactionId");
            Objects.requireNonNull(message, "message");
        }
    }
}
