package dev.jtorrent.utp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class UtpPacketTest {
    private static ByteBuffer hex(String s) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(s.replace(" ", "")));
    }

    @Test
    void readsTheHeaderFieldsBigEndian() throws UtpPacketException {
        // ST_DATA v1, no extension, id 0x1234, ts 1, diff 2, window 0xfffffffe, seq 0xfff0, ack 7, payload "hi"
        UtpPacket p = new UtpPacket().parse(hex("01 00 1234 00000001 00000002 fffffffe fff0 0007 6869"));
        assertThat(p.type()).isEqualTo(UtpType.DATA);
        assertThat(p.connectionId()).isEqualTo(0x1234);
        assertThat(p.timestampMicros()).isEqualTo(1);
        assertThat(p.timestampDifferenceMicros()).isEqualTo(2);
        assertThat(p.windowSize()).isEqualTo(0xFFFF_FFFEL);
        assertThat(p.seqNr()).isEqualTo(0xFFF0);
        assertThat(p.ackNr()).isEqualTo(7);
        assertThat(p.payloadOffset()).isEqualTo(20);
        assertThat(p.payloadLength()).isEqualTo(2);
        assertThat(p.sackLength()).isZero();
    }

    @Test
    void writesWhatItReads() throws UtpPacketException {
        ByteBuffer out = ByteBuffer.allocate(20);
        UtpPacket.putHeader(out, UtpType.SYN, 0, 0xBEEF, -5, 77, 1L << 20, 1, 0xFFFF);
        UtpPacket p = new UtpPacket().parse(out.flip());
        assertThat(p.type()).isEqualTo(UtpType.SYN);
        assertThat(p.connectionId()).isEqualTo(0xBEEF);
        assertThat(p.timestampMicros()).isEqualTo(-5);
        assertThat(p.timestampDifferenceMicros()).isEqualTo(77);
        assertThat(p.windowSize()).isEqualTo(1L << 20);
        assertThat(p.seqNr()).isEqualTo(1);
        assertThat(p.ackNr()).isEqualTo(0xFFFF);
    }

    @Test
    void readsASelectiveAckAndSkipsUnknownExtensions() throws UtpPacketException {
        // STATE with SACK (4 bytes: bits 0 and 9), then an unknown extension 9 of 3 bytes, then our datagram size
        UtpPacket p = new UtpPacket().parse(hex(
                "21 01 0001 00000000 00000000 00010000 0005 0003  09 04 01020000  4a 03 aabbcc  00 02 ffe3"));
        assertThat(p.type()).isEqualTo(UtpType.STATE);
        assertThat(p.sackOffset()).isEqualTo(22);
        assertThat(p.sackLength()).isEqualTo(4);
        assertThat(p.maxDatagram()).isEqualTo(0xFFE3);
        assertThat(p.payloadLength()).isZero();
    }

    @Test
    void refusesWhatIsNotAPacketWithAReason() {
        assertRefused("01 00 1234", "shorter than its header");
        assertRefused("02 00 0000 00000000 00000000 00000000 0000 0000", "version 2");
        assertRefused("51 00 0000 00000000 00000000 00000000 0000 0000", "unknown uTP packet type 5");
        assertRefused("21 01 0000 00000000 00000000 00000000 0000 0000 00", "cut short");
        assertRefused("21 01 0000 00000000 00000000 00000000 0000 0000 00 08 0000", "of 8 bytes cut short");
        assertRefused("21 01 0000 00000000 00000000 00000000 0000 0000 00 00", "an empty selective ACK");
        assertRefused("21 4a 0000 00000000 00000000 00000000 0000 0000 00 03 000000", "not 2");
        assertRefused("21 00 0000 00000000 00000000 00000000 0000 0000 41", "STATE packet with 1 bytes of payload");
    }

    @Test
    void boundsTheNumberOfExtensions() throws UtpPacketException {
        StringBuilder chain = new StringBuilder("21 09 0000 00000000 00000000 00000000 0000 0000");
        for (int i = 1; i < UtpPacket.MAX_EXTENSIONS; i++) {
            chain.append(" 09 00");
        }
        new UtpPacket().parse(hex(chain + " 00 00")); // exactly the bound: read
        assertRefused(chain + " 09 00 00 00", "more than " + UtpPacket.MAX_EXTENSIONS + " uTP extensions");
    }

    @Test
    void tellsUtpFromOtherDatagramsByItsFirstByte() {
        assertThat(UtpPacket.looksLikeUtp(hex("41 00 0000 00000000 00000000 00000000 0000 0000"))).isTrue();
        assertThat(UtpPacket.looksLikeUtp(hex("51 00 0000 00000000 00000000 00000000 0000 0000"))).isFalse();
        assertThat(UtpPacket.looksLikeUtp(hex("41 00 0000"))).isFalse();
        // a DHT message (bencoded dictionary) and a UDP tracker connect reply (action 0) are not uTP
        assertThat(UtpPacket.looksLikeUtp(ByteBuffer.wrap("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe"
                .getBytes()))).isFalse();
        assertThat(UtpPacket.looksLikeUtp(hex("00000000 12345678 0102030405060708 00000000"))).isFalse();
    }

    private static void assertRefused(String datagram, String reason) {
        assertThatThrownBy(() -> new UtpPacket().parse(hex(datagram)))
                .isInstanceOf(UtpPacketException.class).hasMessageContaining(reason);
    }
}
