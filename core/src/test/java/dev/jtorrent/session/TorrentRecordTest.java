package dev.jtorrent.session;

import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BList;
import dev.jtorrent.bencode.BString;
import dev.jtorrent.bencode.BencodeEncoder;
import dev.jtorrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TorrentRecordTest {
    private static final InfoHash HASH = InfoHash.of(new byte[20]);

    @Test
    void aRecordRoundTrips() throws Exception {
        TorrentRecord record = new TorrentRecord(HASH, Instant.ofEpochMilli(1_700_000_000_123L),
                Optional.of(Instant.ofEpochMilli(1_700_000_100_000L)), Optional.empty(), Duration.ofSeconds(90),
                Duration.ofMillis(12_345), 1 << 20, 5, 7, Optional.of(List.of(List.of("http://a/announce"),
                List.of("udp://b:1", "https://c/announce"))), new TreeMap<>(Map.of(0, List.of("Renamed", "a.bin"),
                7, List.of("x"))), new TreeMap<>(Map.of(0, List.of("Old", "a.bin"))));

        assertThat(TorrentRecord.parse(record.encode())).isEqualTo(record);
        TorrentRecord plain = new TorrentRecord(HASH, Instant.ofEpochMilli(0), Optional.empty(), Optional.empty(),
                Duration.ZERO, Duration.ZERO, 0, 0, 0, Optional.empty(), new TreeMap<>(), new TreeMap<>());
        assertThat(TorrentRecord.parse(plain.encode())).isEqualTo(plain);
    }

    @Test
    void anythingButAWellFormedRecordIsRefusedWithAReason() {
        assertThatThrownBy(() -> TorrentRecord.parse("not bencode".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageStartingWith("not bencoded");
        assertThatThrownBy(() -> TorrentRecord.parse(BencodeEncoder.encode(BDictionary.builder()
                .put("format", "jtorrent resume").build()))).hasMessage("not a jtorrent state file");
        assertThatThrownBy(() -> TorrentRecord.parse(base().put("added", -1).build()))
                .hasMessage("added is negative");
        assertThatThrownBy(() -> TorrentRecord.parse(base().put("trackers", BList.of(BList.of(
                BString.of("ftp://x/announce")))).build()))
                .hasMessage("not an http, https or udp tracker URL: ftp://x/announce");
        assertThatThrownBy(() -> TorrentRecord.parse(base().put("version", 2).build()))
                .hasMessage("version 2, expected 1");
        assertThatThrownBy(() -> TorrentRecord.parse(base().put("paths", BList.of(BList.of(
                dev.jtorrent.bencode.BInteger.of(-1), BList.of(BString.of("a"))))).build()))
                .hasMessage("an entry of paths is not [file index, [name, ...]]");
    }

    private static Encoded base() {
        return new Encoded();
    }

    /** A valid record's keys, one of which a test overrides. */
    private static final class Encoded {
        private final java.util.Map<String, Object> keys = new java.util.TreeMap<>(java.util.Map.of(
                "format", "jtorrent state", "version", 1L, "info-hash", BString.of(new byte[20]), "added", 1L,
                "downloading", 0L, "seeding", 0L, "downloaded", 0L, "uploaded", 0L, "wasted", 0L));

        Encoded put(String key, Object value) {
            keys.put(key, value instanceof Integer i ? (long) i : value);
            return this;
        }

        byte[] build() {
            BDictionary.Builder builder = BDictionary.builder();
            keys.forEach((key, value) -> {
                switch (value) {
                    case String text -> builder.put(key, text);
                    case Long number -> builder.put(key, number);
                    case dev.jtorrent.bencode.BValue bvalue -> builder.put(key, bvalue);
                    default -> throw new AssertionError(value);
                }
            });
            return BencodeEncoder.encode(builder.build());
        }
    }
}
