package dev.jtorrent.dht;

import dev.jtorrent.bencode.BString;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KrpcCodecTest {
    private static final Random RANDOM = new Random(1);
    private static final BString TID = BString.of("aa");
    private static final NodeId ID = NodeId.random(RANDOM);
    private static final NodeId TARGET = NodeId.random(RANDOM);

    @Test
    void queriesRoundTrip() throws KrpcException {
        List<Krpc.Query> queries = List.of(
                new Krpc.Query(TID, ID, new Krpc.Ping(), Set.of(), false),
                new Krpc.Query(TID, ID, new Krpc.FindNode(TARGET), Set.of(Family.IPV4, Family.IPV6), false),
                new Krpc.Query(TID, ID, new Krpc.GetPeers(TARGET), Set.of(Family.IPV6), true),
                new Krpc.Query(TID, ID, new Krpc.AnnouncePeer(TARGET, 6881, false, BString.of("tok")), Set.of(),
                        false),
                new Krpc.Query(TID, ID, new Krpc.AnnouncePeer(TARGET, 0, true, BString.of("tok")), Set.of(), false),
                new Krpc.Query(TID, ID, new Krpc.Unknown("get"), Set.of(), false));
        for (Krpc.Query q : queries) {
            assertThat(KrpcCodec.decode(KrpcCodec.encode(q))).isEqualTo(q);
        }
    }

    @Test
    void responsesAndErrorsRoundTrip() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("1.2.3.4"), 6881);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 6882);
        Krpc.Response r = new Krpc.Response(TID, ID, Optional.of(v4),
                List.of(new Contact(TARGET, v4)), List.of(new Contact(ID, v6)), List.of(v4, v6),
                Optional.of(BString.of("token")));
        assertThat(KrpcCodec.decode(KrpcCodec.encode(r))).isEqualTo(r);
        Krpc.Response bare = new Krpc.Response(TID, ID, Optional.empty(), List.of(), List.of(), List.of(),
                Optional.empty());
        assertThat(KrpcCodec.decode(KrpcCodec.encode(bare))).isEqualTo(bare);
        Krpc.Error e = new Krpc.Error(TID, 204, "Method Unknown");
        assertThat(KrpcCodec.decode(KrpcCodec.encode(e))).isEqualTo(e);
    }

    @Test
    void theRequesterAddressIsWrittenAsIp() throws Exception {
        InetSocketAddress requester = new InetSocketAddress(InetAddress.getByName("5.6.7.8"), 999);
        Krpc.Response r = new Krpc.Response(TID, ID, Optional.empty(), List.of(), List.of(), List.of(),
                Optional.empty());
        Krpc decoded = KrpcCodec.decode(KrpcCodec.encode(r, Optional.of(requester)));
        assertThat(((Krpc.Response) decoded).requester()).contains(requester);
    }

    @Test
    void readsTheBep5Examples() throws KrpcException {
        Krpc ping = KrpcCodec.decode(bytes("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe"));
        assertThat(ping).isInstanceOf(Krpc.Query.class);
        assertThat(((Krpc.Query) ping).method()).isEqualTo(new Krpc.Ping());
        Krpc error = KrpcCodec.decode(bytes("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee"));
        assertThat(error).isEqualTo(new Krpc.Error(TID, 201, "A Generic Error Ocurred"));
        Krpc peers = KrpcCodec.decode(bytes(
                "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re"));
        assertThat(((Krpc.Response) peers).values()).hasSize(2);
        // Keys out of order, as some clients send them, are read too.
        assertThat(KrpcCodec.decode(bytes("d1:y1:q1:t2:aa1:q4:ping1:ad2:id20:abcdefghij0123456789ee")))
                .isInstanceOf(Krpc.Query.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not a dictionary | li1ee",
            "not bencoded | d1:t2:aa",
            "empty transaction id | d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t0:1:y1:qe",
            "17-byte transaction id | d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t17:aaaaaaaaaaaaaaaaa1:y1:qe",
            "no transaction id | d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:y1:qe",
            "integer transaction id | d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:ti1e1:y1:qe",
            "unknown y | d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:xe",
            "no y | d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aae",
            "no a | d1:q4:ping1:t2:aa1:y1:qe",
            "a is a list | d1:ali1ee1:q4:ping1:t2:aa1:y1:qe",
            "19-byte id | d1:ad2:id19:abcdefghij012345678e1:q4:ping1:t2:aa1:y1:qe",
            "21-byte target | d1:ad2:id20:abcdefghij01234567896:target21:abcdefghij0123456789xe1:q9:find_node1:t2:aa1:y1:qe",
            "no info_hash | d1:ad2:id20:abcdefghij0123456789e1:q9:get_peers1:t2:aa1:y1:qe",
            "port 0 | d1:ad2:id20:abcdefghij01234567899:info_hash20:abcdefghij01234567894:porti0e5:token2:tke1:q13:announce_peer1:t2:aa1:y1:qe",
            "port 65536 | d1:ad2:id20:abcdefghij01234567899:info_hash20:abcdefghij01234567894:porti65536e5:token2:tke1:q13:announce_peer1:t2:aa1:y1:qe",
            "no port | d1:ad2:id20:abcdefghij01234567899:info_hash20:abcdefghij01234567895:token2:tke1:q13:announce_peer1:t2:aa1:y1:qe",
            "implied_port 2 | d1:ad2:id20:abcdefghij012345678912:implied_porti2e9:info_hash20:abcdefghij01234567894:porti1e5:token2:tke1:q13:announce_peer1:t2:aa1:y1:qe",
            "no token | d1:ad2:id20:abcdefghij01234567899:info_hash20:abcdefghij01234567894:porti1ee1:q13:announce_peer1:t2:aa1:y1:qe",
            "want not a list | d1:ad2:id20:abcdefghij01234567896:target20:abcdefghij01234567894:want2:n4e1:q9:find_node1:t2:aa1:y1:qe",
            "no r | d1:t2:aa1:y1:re",
            "response without id | d1:rd5:token2:tke1:t2:aa1:y1:re",
            "nodes of 27 bytes | d1:rd2:id20:abcdefghij01234567895:nodes27:abcdefghij0123456789abcdefge1:t2:aa1:y1:re",
            "nodes6 of 37 bytes | d1:rd2:id20:abcdefghij01234567896:nodes637:abcdefghij0123456789abcdefghijklmnopqe1:t2:aa1:y1:re",
            "a value of 7 bytes | d1:rd2:id20:abcdefghij01234567896:valuesl7:abcdefgee1:t2:aa1:y1:re",
            "values not a list | d1:rd2:id20:abcdefghij01234567896:values6:abcdefe1:t2:aa1:y1:re",
            "ip of 5 bytes | d2:ip5:abcde1:rd2:id20:abcdefghij0123456789e1:t2:aa1:y1:re",
            "error without message | d1:eli201ee1:t2:aa1:y1:ee",
            "error code not a number | d1:el3:abc3:abce1:t2:aa1:y1:ee",
            "trailing bytes | d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qex",
    })
    void refuses(String what, String message) {
        assertThatThrownBy(() -> KrpcCodec.decode(bytes(message))).as(what).isInstanceOf(KrpcException.class);
    }

    @Test
    void refusesATokenOverTheBound() {
        String token = "x".repeat(KrpcCodec.MAX_TOKEN + 1);
        String m = "d1:ad2:id20:abcdefghij01234567899:info_hash20:abcdefghij01234567894:porti1e5:token"
                + token.length() + ":" + token + "e1:q13:announce_peer1:t2:aa1:y1:qe";
        assertThatThrownBy(() -> KrpcCodec.decode(bytes(m))).hasMessageContaining("token of 65 bytes");
        String ok = m.replace(token.length() + ":" + token, KrpcCodec.MAX_TOKEN + ":" + token.substring(1));
        assertThat(decodes(ok)).isTrue();
    }

    @Test
    void refusesMoreNodesAndValuesThanTheBounds() {
        String nodes = "n".repeat(26 * (KrpcCodec.MAX_NODES + 1));
        assertThatThrownBy(() -> KrpcCodec.decode(bytes("d1:rd2:id20:abcdefghij01234567895:nodes" + nodes.length()
                + ":" + nodes + "e1:t2:aa1:y1:re"))).isInstanceOf(KrpcException.class);
        String fewer = "n".repeat(26 * KrpcCodec.MAX_NODES);
        assertThat(decodes("d1:rd2:id20:abcdefghij01234567895:nodes" + fewer.length() + ":" + fewer
                + "e1:t2:aa1:y1:re")).isTrue();
        String values = "6:abcdef".repeat(KrpcCodec.MAX_VALUES + 1);
        assertThatThrownBy(() -> KrpcCodec.decode(bytes("d1:rd2:id20:abcdefghij01234567896:valuesl" + values
                + "ee1:t2:aa1:y1:re"))).hasMessageContaining("101 values");
        assertThat(decodes("d1:rd2:id20:abcdefghij01234567896:valuesl" + "6:abcdef".repeat(KrpcCodec.MAX_VALUES)
                + "ee1:t2:aa1:y1:re")).isTrue();
    }

    @Test
    void boundsWantListsAndCutsLongErrorMessages() throws KrpcException {
        String want = "2:n4".repeat(KrpcCodec.MAX_WANT);
        String query = "d1:ad2:id20:abcdefghij01234567896:target20:abcdefghij01234567894:wantl%see1:q9:find_node"
                + "1:t2:aa1:y1:qe";
        assertThat(((Krpc.Query) KrpcCodec.decode(bytes(query.formatted(want)))).want()).containsExactly(Family.IPV4);
        assertThatThrownBy(() -> KrpcCodec.decode(bytes(query.formatted(want + "2:n6"))))
                .isInstanceOf(KrpcException.class);
        String text = "e".repeat(KrpcCodec.MAX_TEXT + 100);
        Krpc.Error e = (Krpc.Error) KrpcCodec.decode(bytes("d1:eli201e" + text.length() + ":" + text
                + "e1:t2:aa1:y1:ee"));
        assertThat(e.message()).hasSize(KrpcCodec.MAX_TEXT);
    }

    @Test
    void refusesNestingDeeperThanAnyMessage() {
        String deep = "l".repeat(10) + "e".repeat(10);
        assertThatThrownBy(() -> KrpcCodec.decode(bytes("d1:ad2:id20:abcdefghij01234567891:x" + deep
                + "e1:q4:ping1:t2:aa1:y1:qe"))).hasMessageContaining("not bencoded");
    }

    @Test
    void refusesADatagramOverThePacketBound() {
        String big = "x".repeat(KrpcCodec.MAX_PACKET);
        assertThatThrownBy(() -> KrpcCodec.decode(bytes("d1:t2:aa1:y1:r1:x" + big.length() + ":" + big + "e")))
                .isInstanceOf(KrpcException.class);
    }

    @Test
    void aMalformedQueryKeepsItsTransactionIdForTheProtocolError() {
        assertThatThrownBy(() -> KrpcCodec.decode(bytes("d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe")))
                .isInstanceOfSatisfying(KrpcException.class,
                        e -> assertThat(e.queryTransactionId()).contains(TID));
        assertThatThrownBy(() -> KrpcCodec.decode(bytes("d1:rd2:id3:abce1:t2:aa1:y1:re")))
                .isInstanceOfSatisfying(KrpcException.class, e -> assertThat(e.queryTransactionId()).isEmpty());
    }

    @Test
    void anUnknownMethodIsAQueryOfItsOwn() throws KrpcException {
        Krpc q = KrpcCodec.decode(bytes("d1:ad2:id20:abcdefghij0123456789e1:q3:get1:t2:aa1:y1:qe"));
        assertThat(((Krpc.Query) q).method()).isEqualTo(new Krpc.Unknown("get"));
    }

    private static boolean decodes(String message) {
        try {
            KrpcCodec.decode(bytes(message));
            return true;
        } catch (KrpcException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
