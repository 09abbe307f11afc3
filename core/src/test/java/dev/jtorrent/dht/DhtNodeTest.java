package dev.jtorrent.dht;

import dev.jtorrent.bencode.BString;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One node among simulated ones, fed hostile and odd datagrams by hand. */
class DhtNodeTest {
    private static final DhtConfig CONFIG = DhtConfig.builder().routers(List.of()).build();
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final SimulatedNetwork net = new SimulatedNetwork();
    private final Random random = new Random(11);
    private final NodeId stranger = NodeId.random(random);

    /** An address no node lives at: what we send from it, and what the node answers it, are ours to read. */
    private static InetSocketAddress outsider(int i) {
        return SimulatedNetwork.address(10_000 + i);
    }

    /** What the node answered {@code outsider}, leaving out the queries it sent there. */
    private List<Krpc> answersTo(InetSocketAddress outsider) {
        List<Krpc> out = new ArrayList<>();
        for (SimulatedNetwork.Datagram d : net.delivered.getOrDefault(outsider, List.of())) {
            Krpc k = decode(d.bytes());
            if (!(k instanceof Krpc.Query)) {
                out.add(k);
            }
        }
        return out;
    }

    private void query(InetSocketAddress from, InetSocketAddress to, Krpc.Method method, String tid) {
        net.inject(from, to, KrpcCodec.encode(new Krpc.Query(BString.of(tid), stranger, method, Set.of(), false)));
    }

    @Test
    void answersEachMethodWithTheRequesterAddress() {
        DhtNode node = net.add(SimulatedNetwork.address(0), CONFIG);
        InetSocketAddress me = outsider(1);
        query(me, SimulatedNetwork.address(0), new Krpc.Ping(), "p1");
        query(me, SimulatedNetwork.address(0), new Krpc.FindNode(stranger), "f1");
        query(me, SimulatedNetwork.address(0), new Krpc.GetPeers(stranger), "g1");
        query(me, SimulatedNetwork.address(0), new Krpc.Unknown("vote"), "u1");
        net.run(SECOND);
        List<Krpc> answers = answersTo(me);
        assertThat(answers).hasSize(4);
        assertThat(answers.subList(0, 3)).allSatisfy(a -> {
            Krpc.Response r = (Krpc.Response) a;
            assertThat(r.sender()).isEqualTo(node.id());
            assertThat(r.requester()).contains(me);
        });
        assertThat(((Krpc.Response) answers.get(2)).token()).isPresent();
        assertThat(answers.get(3)).isEqualTo(new Krpc.Error(BString.of("u1"), Krpc.Error.METHOD_UNKNOWN,
                "unknown method vote"));
    }

    @Test
    void aMalformedQueryGetsAProtocolErrorAndOtherGarbageNothing() {
        DhtNode node = net.add(SimulatedNetwork.address(0), CONFIG);
        InetSocketAddress me = outsider(1);
        net.inject(me, SimulatedNetwork.address(0),
                "d1:ad2:id3:abce1:q4:ping1:t2:xx1:y1:qe".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        net.inject(me, SimulatedNetwork.address(0), new byte[] {'d', 'e', 'x'});
        net.run(SECOND);
        assertThat(answersTo(me)).singleElement().isInstanceOfSatisfying(Krpc.Error.class,
                e -> assertThat(e.code()).isEqualTo(Krpc.Error.PROTOCOL));
        assertThat(node.stats().malformed).isEqualTo(2);
    }

    @Test
    void anOversizedDatagramIsDroppedUnread() {
        DhtNode node = net.add(SimulatedNetwork.address(0), CONFIG);
        node.receive(outsider(1), ByteBuffer.allocate(KrpcCodec.MAX_PACKET + 1), net.now);
        assertThat(node.stats().oversized).isEqualTo(1);
    }

    @Test
    void tokensAreGoodForFiveToTenMinutesAndOnlyForTheirAddress() {
        DhtNode node = net.add(SimulatedNetwork.address(0), CONFIG);
        InetSocketAddress me = outsider(1);
        NodeId hash = NodeId.random(random);
        query(me, SimulatedNetwork.address(0), new Krpc.GetPeers(hash), "g1");
        net.run(SECOND);
        BString token = ((Krpc.Response) answersTo(me).getFirst()).token().orElseThrow();

        query(outsider(2), SimulatedNetwork.address(0), new Krpc.AnnouncePeer(hash, 7000, false, token), "a0");
        net.run(Tokens.ROTATE_NANOS + SECOND); // one rotation: the previous secret still counts
        query(me, SimulatedNetwork.address(0), new Krpc.AnnouncePeer(hash, 7000, false, token), "a1");
        net.run(SECOND);
        assertThat(answersTo(outsider(2))).singleElement().isInstanceOf(Krpc.Error.class);
        assertThat(answersTo(me).get(1)).isInstanceOf(Krpc.Response.class);
        assertThat(node.peerStore().peers()).isEqualTo(1);

        net.run(Tokens.ROTATE_NANOS); // two rotations: gone
        query(me, SimulatedNetwork.address(0), new Krpc.AnnouncePeer(hash, 7001, false, token), "a2");
        net.run(SECOND);
        assertThat(answersTo(me).get(2)).isInstanceOfSatisfying(Krpc.Error.class,
                e -> assertThat(e.message()).isEqualTo("bad token"));
    }

    @Test
    void aFloodFromOneAddressIsCutWhileOthersAreStillAnswered() {
        DhtNode node = net.add(SimulatedNetwork.address(0), CONFIG);
        InetSocketAddress flooder = outsider(1);
        for (int i = 0; i < 10_000; i++) {
            query(flooder, SimulatedNetwork.address(0), new Krpc.Ping(), "f" + i);
        }
        query(outsider(2), SimulatedNetwork.address(0), new Krpc.Ping(), "honest");
        net.run(SECOND);
        assertThat(answersTo(flooder)).hasSizeLessThanOrEqualTo(CONFIG.queriesPerSecondPerIp() + 1);
        assertThat(answersTo(outsider(2))).hasSize(1);
        assertThat(node.rateLimiter().dropped()).isGreaterThan(9_000);
    }

    @Test
    void aFloodFromManyAddressesIsCutByTheGlobalRateAndRemembersBoundedSources() {
        DhtNode node = net.add(SimulatedNetwork.address(0), CONFIG);
        int sources = RateLimiter.MAX_SOURCES * 2;
        for (int i = 0; i < sources; i++) {
            query(outsider(i), SimulatedNetwork.address(0), new Krpc.Ping(), "f");
        }
        net.run(SECOND / 2);
        long answered = 0;
        for (int i = 0; i < sources; i++) {
            answered += answersTo(outsider(i)).size();
        }
        assertThat(answered).isLessThanOrEqualTo(CONFIG.queriesPerSecond() + 1);
        assertThat(node.rateLimiter().trackedSources()).isEqualTo(RateLimiter.MAX_SOURCES);
        net.run(2 * SECOND);
        query(outsider(sources + 1), SimulatedNetwork.address(0), new Krpc.Ping(), "honest");
        net.run(SECOND);
        assertThat(answersTo(outsider(sources + 1))).hasSize(1);
    }

    @Test
    void answersWithAnUnknownTransactionOrFromTheWrongAddressAreIgnored() {
        DhtNode node = net.add(SimulatedNetwork.address(0), CONFIG);
        InetSocketAddress peer = outsider(1);
        node.addNode(peer, net.now);
        net.run(SECOND / 10);
        Krpc.Query ping = (Krpc.Query) decode(net.delivered.get(peer).getFirst().bytes());
        Krpc.Response answer = new Krpc.Response(ping.transactionId(), stranger, Optional.empty(), List.of(),
                List.of(), List.of(), Optional.empty());
        Krpc.Response unknown = new Krpc.Response(BString.of("zz"), stranger, Optional.empty(), List.of(),
                List.of(), List.of(), Optional.empty());
        net.inject(outsider(2), SimulatedNetwork.address(0), KrpcCodec.encode(answer));
        net.inject(peer, SimulatedNetwork.address(0), KrpcCodec.encode(unknown));
        net.run(SECOND / 10);
        assertThat(node.stats().wrongSource).isEqualTo(1);
        assertThat(node.stats().unknownTransaction).isEqualTo(1);
        assertThat(node.routingTableSize()).isZero();
        net.inject(peer, SimulatedNetwork.address(0), KrpcCodec.encode(answer));
        net.run(SECOND / 10);
        assertThat(node.routingTableSize()).as("the real answer still counts").isEqualTo(1);
    }

    @Test
    void unansweredQueriesTimeOut() {
        DhtNode node = net.add(SimulatedNetwork.address(0), CONFIG);
        node.addNode(outsider(1), net.now);
        assertThat(node.outstanding()).isEqualTo(1);
        net.run(Transactions.TIMEOUT_NANOS + 2 * SECOND);
        assertThat(node.outstanding()).isZero();
        assertThat(node.stats().timeouts).isEqualTo(1);
    }

    @Test
    void anUnverifiedRequesterGetsNoMoreThanAFewTimesItsQuery() {
        List<DhtNode> all = DhtNetworkTest.join(net, 40);
        DhtNode node = all.getFirst();
        NodeId hash = NodeId.random(random);
        for (int i = 0; i < 100; i++) {
            node.peerStore().announce(hash, outsider(500 + i), net.now);
        }
        InetSocketAddress victim = outsider(1);
        byte[] q = KrpcCodec.encode(new Krpc.Query(BString.of("g1"), stranger, new Krpc.GetPeers(hash),
                Set.of(Family.IPV4, Family.IPV6), false));
        net.inject(victim, SimulatedNetwork.address(0), q);
        net.run(SECOND);
        SimulatedNetwork.Datagram reply = net.delivered.get(victim).stream()
                .filter(d -> d.from().equals(SimulatedNetwork.address(0))).findFirst().orElseThrow();
        assertThat(reply.bytes().length).isLessThanOrEqualTo(q.length * DhtNode.UNVERIFIED_REPLY_FACTOR);

        // A node in the table asks the same and gets the full answer.
        InetSocketAddress known = node.table(Family.IPV4).closest(stranger, 1).getFirst().address();
        net.inject(known, SimulatedNetwork.address(0), q);
        net.run(SECOND);
        Krpc.Response full = net.delivered.get(known).stream()
                .filter(d -> d.from().equals(SimulatedNetwork.address(0)))
                .map(d -> decode(d.bytes()))
                .filter(k -> k instanceof Krpc.Response r && r.transactionId().equals(BString.of("g1")))
                .map(Krpc.Response.class::cast)
                .findFirst().orElseThrow();
        assertThat(full.values()).hasSize(DhtNode.MAX_VALUES_PER_REPLY);
        assertThat(full.nodes()).hasSize(RoutingTable.K);
    }

    @Test
    void tenThousandNodesInRepliesNeverGrowTheNodePastItsBounds() {
        DhtConfig small = CONFIG.toBuilder().maxNodes(50).build();
        DhtNode node = net.add(SimulatedNetwork.address(0), small);
        InetSocketAddress router = outsider(0);
        node.bootstrap(List.of(router), net.now);
        int given = 0;
        int next = 1;
        for (int round = 0; round < 400 && given < 10_000; round++) {
            net.run(SECOND / 20);
            for (InetSocketAddress to : List.copyOf(net.delivered.keySet())) {
                if (to.equals(SimulatedNetwork.address(0))) {
                    continue;
                }
                for (SimulatedNetwork.Datagram d : net.delivered.remove(to)) {
                    if (!(decode(d.bytes()) instanceof Krpc.Query q)) {
                        continue;
                    }
                    List<Contact> nodes = new ArrayList<>();
                    for (int i = 0; i < KrpcCodec.MAX_NODES; i++) {
                        nodes.add(new Contact(NodeId.random(random), outsider(next++)));
                    }
                    given += nodes.size();
                    // Each answers under a new random id, the router as much as the nodes it made up.
                    net.inject(to, SimulatedNetwork.address(0), KrpcCodec.encode(new Krpc.Response(
                            q.transactionId(), NodeId.random(random), Optional.empty(), nodes, List.of(), List.of(),
                            Optional.empty())));
                }
            }
            node.search(NodeId.random(random), 0, false, new DhtNetworkTest.Found(), net.now);
            assertThat(node.outstanding()).isLessThanOrEqualTo(small.maxOutstanding());
            assertThat(node.searches()).isLessThanOrEqualTo(small.maxLookups());
        }
        assertThat(given).isGreaterThanOrEqualTo(10_000);
        RoutingTable table = node.table(Family.IPV4);
        assertThat(table.size()).isLessThanOrEqualTo(50);
        assertThat(table.held()).isLessThanOrEqualTo(50 + table.buckets() * RoutingTable.REPLACEMENTS);
    }

    @Test
    void lookupsBeyondMaxLookupsAreRefusedAtOnce() {
        DhtConfig two = CONFIG.toBuilder().maxLookups(2).build();
        DhtNode node = net.add(SimulatedNetwork.address(0), two);
        InetSocketAddress silent = outsider(1); // answers a ping, then nothing: lookups asking it keep running
        node.addNode(silent, net.now);
        net.run(SECOND / 10);
        Krpc.Query ping = (Krpc.Query) decode(net.delivered.get(silent).getFirst().bytes());
        net.inject(silent, SimulatedNetwork.address(0), KrpcCodec.encode(new Krpc.Response(ping.transactionId(),
                stranger, Optional.empty(), List.of(), List.of(), List.of(), Optional.empty())));
        net.run(SECOND / 10);
        assertThat(node.routingTableSize()).isEqualTo(1);
        // The node's own bootstrap, started once it had a node, may hold one of the two places.
        List<DhtNetworkTest.Found> searches = new ArrayList<>();
        boolean accepted;
        do {
            DhtNetworkTest.Found found = new DhtNetworkTest.Found();
            searches.add(found);
            accepted = node.search(NodeId.random(random), 0, false, found, net.now);
        } while (accepted && searches.size() <= 2);
        assertThat(accepted).isFalse();
        assertThat(searches.getLast().done).as("a refused search is over at once").isTrue();
        assertThat(node.searches()).isEqualTo(2);
        net.run(SECOND / 10);
        assertThat(node.searches()).as("still running: the silent node has not timed out").isEqualTo(2);
    }

    @Test
    void queriesBeyondMaxOutstandingWait() {
        DhtConfig few = CONFIG.toBuilder().maxOutstanding(3).build();
        DhtNode node = net.add(SimulatedNetwork.address(0), few);
        for (int i = 1; i <= 10; i++) {
            node.addNode(outsider(i), net.now);
        }
        assertThat(node.outstanding()).isEqualTo(3);
    }

    @Test
    void aNodeWithFewerThanKNodesBootstrapsAgainEveryThirtySeconds() {
        DhtNode node = net.add(SimulatedNetwork.address(0), CONFIG);
        InetSocketAddress router = outsider(1);
        node.bootstrap(List.of(router), net.now);
        net.run(DhtNode.BOOTSTRAP_RETRY_NANOS - SECOND);
        assertThat(net.delivered.get(router)).hasSize(1);
        net.run(2 * SECOND);
        assertThat(net.delivered.get(router)).hasSize(2);
    }

    @Test
    void pingsAtMostPingsPerTickQuestionableNodesATick() {
        DhtNode node = net.add(SimulatedNetwork.address(0), CONFIG);
        List<InetSocketAddress> known = new ArrayList<>();
        for (int i = 1; i <= 3 * DhtNode.PINGS_PER_TICK; i++) {
            InetSocketAddress peer = outsider(i);
            known.add(peer);
            node.addNode(peer, net.now);
        }
        net.run(SECOND / 10);
        for (InetSocketAddress peer : known) {
            Krpc.Query ping = (Krpc.Query) decode(net.delivered.get(peer).getFirst().bytes());
            net.inject(peer, SimulatedNetwork.address(0), KrpcCodec.encode(new Krpc.Response(ping.transactionId(),
                    NodeId.random(random), Optional.empty(), List.of(), List.of(), List.of(), Optional.empty())));
        }
        net.run(SECOND / 10);
        int inTable = node.routingTableSize();
        assertThat(inTable).isGreaterThan(DhtNode.PINGS_PER_TICK);
        net.delivered.clear();
        net.run(RoutingTable.QUESTIONABLE_AFTER_NANOS + 3 * SECOND / 2); // just one tick finds them questionable
        long pings = known.stream().flatMap(p -> net.delivered.getOrDefault(p, List.of()).stream())
                .map(d -> decode(d.bytes()))
                .filter(k -> k instanceof Krpc.Query q && q.method() instanceof Krpc.Ping)
                .count();
        assertThat(pings).isBetween(1L, (long) DhtNode.PINGS_PER_TICK);
    }

    private static Krpc decode(byte[] bytes) {
        try {
            return KrpcCodec.decode(bytes);
        } catch (KrpcException e) {
            throw new AssertionError(e);
        }
    }
}
