package dev.jtorrent.tracker;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds arbitrary datagrams to the UDP tracker packet reader: each is read as a reply to the request it answers or
 * ignored (empty), never anything else, and never read past its length. Run by {@code ./mvnw verify} on its seed
 * corpus in {@code src/test/resources/dev/jtorrent/tracker/UdpPacketFuzzTestInputs} with the unit tests, then fuzzed
 * for {@code fuzz.duration} (see core/pom.xml).
 *
 * <p>The input's first byte says what was asked: bits 0-1 the action (connect, announce or scrape; 3 reads as
 * connect), bit 2 whether the tracker was reached over IPv6 (18-byte peers), bits 3-7 how many info hashes a scrape
 * asked about. The rest is the datagram, whose own transaction id is the one expected, so that the fuzzer gets past
 * that check.
 */
class UdpPacketFuzzTest {
    /** A receive buffer is larger than the datagram in it; these bytes follow it there and must never be read. */
    private static final byte STALE = 0x55;

    // maxDuration applies when the test is fuzzed from an IDE; the Maven build overrides it with fuzz.duration.
    @FuzzTest(maxDuration = "30s")
    void readsAnyDatagramAsAReplyOrIgnoresIt(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int asked = input[0] & 0xff;
        int action = (asked & 3) % 3;
        int stride = (asked & 4) == 0 ? CompactPeers.IPV4_STRIDE : CompactPeers.IPV6_STRIDE;
        int hashes = asked >> 3;
        byte[] packet = Arrays.copyOfRange(input, 1, input.length);
        int transactionId = packet.length >= 8 ? ByteBuffer.wrap(packet).getInt(4) : 0;
        byte[] buffer = Arrays.copyOf(packet, packet.length + 64);
        Arrays.fill(buffer, packet.length, buffer.length, STALE);

        Optional<UdpPacket.Reply> reply = UdpPacket.read(buffer, packet.length, action, transactionId, stride, hashes);

        byte[] exact = packet.clone();
        assertThat(UdpPacket.read(exact, exact.length, action, transactionId, stride, hashes)
                .map(UdpPacketFuzzTest::describe))
                .as("the same reply, whatever follows the datagram in the buffer")
                .isEqualTo(reply.map(UdpPacketFuzzTest::describe));
        reply.ifPresent(r -> {
            switch (r) {
                case UdpPacket.Connected c -> assertThat(action).isEqualTo(UdpPacket.CONNECT);
                case UdpPacket.Announced a -> {
                    assertThat(action).isEqualTo(UdpPacket.ANNOUNCE);
                    assertThat(a.peers().size()).isLessThanOrEqualTo(AnnounceResponse.MAX_PEERS);
                    for (InetSocketAddress peer : a.peers()) {
                        // An IPv6 peer may be IPv4-mapped (::ffff:a.b.c.d), which reads as the IPv4 address.
                        assertThat(peer.getAddress().getAddress().length).isIn(4, stride - 2);
                        assertThat(peer.getPort()).isBetween(1, 65535);
                    }
                }
                case UdpPacket.Scraped s -> {
                    assertThat(action).isEqualTo(UdpPacket.SCRAPE);
                    assertThat(s.counts()).hasSize(hashes).allMatch(c -> c.length == 3);
                }
                case UdpPacket.Failed f -> {
                    assertThat(f.message().length()).isLessThanOrEqualTo(203);
                    assertThat(f.message().codePoints())
                            .noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
                }
            }
        });
    }

    /** A reply's content as text; a scrape's counts are arrays, whose own toString is their identity. */
    private static String describe(UdpPacket.Reply reply) {
        return reply instanceof UdpPacket.Scraped s
                ? "Scraped" + s.counts().stream().map(Arrays::toString).toList() : reply.toString();
    }
}
