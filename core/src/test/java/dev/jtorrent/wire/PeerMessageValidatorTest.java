package dev.jtorrent.wire;

import dev.jtorrent.wire.Message.AllowedFast;
import dev.jtorrent.wire.Message.Bitfield;
import dev.jtorrent.wire.Message.Cancel;
import dev.jtorrent.wire.Message.Extended;
import dev.jtorrent.wire.Message.Have;
import dev.jtorrent.wire.Message.HaveAll;
import dev.jtorrent.wire.Message.HaveNone;
import dev.jtorrent.wire.Message.Piece;
import dev.jtorrent.wire.Message.Reject;
import dev.jtorrent.wire.Message.Request;
import dev.jtorrent.wire.Message.Suggest;
import dev.jtorrent.wire.Message.Unchoke;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.stream.Stream;

import static dev.jtorrent.wire.SampleMessages.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerMessageValidatorTest {
    /** Ten pieces of 32 KiB but the last, which has 1000 bytes. */
    private static final PeerMessageValidator TEN_PIECES =
            new PeerMessageValidator(10, piece -> piece == 9 ? 1000 : 32768, true, true);
    private static final PeerMessageValidator NO_EXTENSIONS =
            new PeerMessageValidator(10, piece -> 32768, false, false);

    static Stream<Message> valid() {
        return Stream.of(new Have(0), new Have(9), new Bitfield(wire(0xFF, 0xC0)), new Request(0, 16384, 16384),
                new Request(9, 0, 1000), new Cancel(8, 0, 1), new Reject(9, 999, 1), new Suggest(9),
                new AllowedFast(0), new HaveAll(), new HaveNone(), new Unchoke(), new Extended(1, new byte[0]),
                new Piece(9, 0, ByteBuffer.allocate(1000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void acceptsMessagesThatFitTheTorrent(Message message) throws ProtocolException {
        assertThat(TEN_PIECES.validate(message)).isSameAs(message);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(new Have(10), "A have message names piece 10 of a torrent with 10 pieces."),
                Arguments.of(new Bitfield(wire(0xFF)), "A bitfield for 10 pieces has 2 bytes, not 1."),
                Arguments.of(new Bitfield(wire(0xFF, 0xC0, 0)), "A bitfield for 10 pieces has 2 bytes, not 3."),
                Arguments.of(new Bitfield(wire(0xFF, 0xE0)), "A bitfield has bits set past the last piece."),
                Arguments.of(new Request(10, 0, 16384), "A request message names piece 10 of a torrent with 10 pieces."),
                Arguments.of(new Request(0, 0, 0), "A request message asks for 0 bytes, outside 1..16384."),
                Arguments.of(new Request(0, 0, 16385), "A request message asks for 16385 bytes, outside 1..16384."),
                Arguments.of(new Request(9, 512, 1000),
                        "A request message for bytes 512..1512 runs past the end of piece 9 (1000 bytes)."),
                Arguments.of(new Request(0, Integer.MAX_VALUE, 16384), "A request message for bytes 2147483647.."
                        + "2147500031 runs past the end of piece 0 (32768 bytes)."),
                Arguments.of(new Cancel(0, 32768, 1),
                        "A cancel message for bytes 32768..32769 runs past the end of piece 0 (32768 bytes)."),
                Arguments.of(new Reject(11, 0, 1), "A reject message names piece 11 of a torrent with 10 pieces."),
                Arguments.of(new Suggest(10), "A suggest message names piece 10 of a torrent with 10 pieces."),
                Arguments.of(new AllowedFast(10), "An allowed fast message names piece 10 of a torrent with 10 pieces."),
                Arguments.of(new Piece(9, 1, ByteBuffer.allocate(1000)),
                        "A piece message for bytes 1..1001 runs past the end of piece 9 (1000 bytes)."));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalid")
    void refusesMessagesThatDoNotFitTheTorrent(Message message, String problem) {
        assertThatThrownBy(() -> TEN_PIECES.validate(message))
                .isInstanceOf(ProtocolException.class).hasMessage(problem);
    }

    static Stream<Message> needAnExtension() {
        return Stream.of(new Suggest(1), new HaveAll(), new HaveNone(), new Reject(1, 0, 1), new AllowedFast(1),
                new Extended(0, new byte[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("needAnExtension")
    void refusesExtensionMessagesWhenTheExtensionIsOff(Message message) {
        assertThatThrownBy(() -> NO_EXTENSIONS.validate(message))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("is off");
    }

    /** Before the metadata, a bitfield of any length and any piece index pass; requests are still bounded. */
    @org.junit.jupiter.api.Test
    void beforeTheMetadataThePiecesAreUnknown() throws ProtocolException {
        Handshake theirs = Handshake.of(dev.jtorrent.metainfo.InfoHash.of(new byte[20]),
                PeerId.random("-XX0000-")).withExtensionProtocol(true).withFast(true);
        PeerMessageValidator before = PeerMessageValidator.beforeMetadata(theirs);
        for (Message message : java.util.List.of(new Bitfield(wire(0xFF, 0xFF, 0xFF)), new Bitfield(wire(0x01)),
                new Have(1_000_000), new HaveAll(), new Extended(2, new byte[0]), new Request(5_000, 0, 16384))) {
            assertThat(before.validate(message)).isSameAs(message);
        }
        assertThatThrownBy(() -> before.validate(new Request(0, 0, 16385))).isInstanceOf(ProtocolException.class);

        PeerMessageValidator plain = PeerMessageValidator.beforeMetadata(
                Handshake.of(dev.jtorrent.metainfo.InfoHash.of(new byte[20]), PeerId.random("-XX0000-")));
        assertThatThrownBy(() -> plain.validate(new Extended(2, new byte[0]))).hasMessageContaining("is off");
        assertThatThrownBy(() -> plain.validate(new HaveNone())).hasMessageContaining("is off");
    }
}
