package dev.jtorrent.session;

import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BList;
import dev.jtorrent.bencode.BString;
import dev.jtorrent.bencode.BencodeEncoder;
import dev.jtorrent.metainfo.InfoHash;
import dev.jtorrent.storage.FileState;
import dev.jtorrent.swarm.PieceSet;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResumeDataTest {
    private static final InfoHash HASH = InfoHash.of(new byte[20]);

    @Test
    void whatIsEncodedIsParsedBack() throws Exception {
        PieceSet pieces = new PieceSet(11);
        pieces.add(0);
        pieces.add(10);
        ResumeData data = ResumeData.of(HASH, "/downloads/ü", pieces,
                List.of(new FileState(1234, 1_700_000_000_123_456_789L), FileState.ABSENT));

        ResumeData parsed = ResumeData.parse(data.encode());

        assertThat(parsed.infoHash()).isEqualTo(HASH);
        assertThat(parsed.directory()).isEqualTo("/downloads/ü");
        assertThat(PieceSet.fromBitfield(parsed.bitfield(), 11).toString()).isEqualTo(pieces.toString());
        assertThat(parsed.files()).isEqualTo(data.files());
    }

    @Test
    void everyTruncationOfAValidFileIsRefused() throws Exception {
        byte[] whole = ResumeData.of(HASH, "/d", PieceSet.all(9), List.of(new FileState(5, 6))).encode();
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> ResumeData.parse(cut)).as("cut at %d", length)
                    .isInstanceOf(ResumeData.InvalidResumeDataException.class);
        }
    }

    @Test
    void anythingButAResumeDictionaryIsRefusedWithItsReason() {
        assertRefused("garbage".getBytes(StandardCharsets.US_ASCII), "not bencoded");
        assertRefused("le".getBytes(StandardCharsets.US_ASCII), "not a dictionary");
        assertRefused(encode(valid().put("format", "libtorrent resume file")), "not a jtorrent resume file");
        assertRefused(encode(valid().put("version", 2)), "version 2, expected 1");
        assertRefused(encode(valid().put("info-hash", BString.of(new byte[19]))), "an info hash of 19 bytes");
        assertRefused(encode(valid().put("pieces", 7)), "pieces is not a string");
        assertRefused(encode(valid().put("files", BList.of(BString.of("x")))), "a file entry is not");
        assertRefused(encode(valid().put("directory", BString.of(new byte[] {(byte) 0xff}))),
                "directory is not UTF-8");
        BDictionary.Builder noFiles = BDictionary.builder().put("format", ResumeData.FORMAT).put("version", 1)
                .put("info-hash", BString.of(new byte[20])).put("directory", "/d").put("pieces", "");
        assertRefused(encode(noFiles), "no files");
    }

    private static BDictionary.Builder valid() {
        return BDictionary.builder().put("format", ResumeData.FORMAT).put("version", 1)
                .put("info-hash", BString.of(new byte[20])).put("directory", "/d").put("pieces", "")
                .put("files", BList.of());
    }

    private static byte[] encode(BDictionary.Builder builder) {
        return BencodeEncoder.encode(builder.build());
    }

    private static void assertRefused(byte[] bytes, String reason) {
        assertThatThrownBy(() -> ResumeData.parse(bytes))
                .isInstanceOf(ResumeData.InvalidResumeDataException.class)
                .hasMessageContaining(reason);
    }
}
