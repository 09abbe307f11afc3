package dev.jtorrent.session;

import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BInteger;
import dev.jtorrent.bencode.BList;
import dev.jtorrent.bencode.BString;
import dev.jtorrent.bencode.BValue;
import dev.jtorrent.bencode.BencodeDecoder;
import dev.jtorrent.bencode.BencodeEncoder;
import dev.jtorrent.bencode.BencodeException;
import dev.jtorrent.bencode.BencodeLimits;
import dev.jtorrent.metainfo.InfoHash;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a torrent keeps of itself between runs besides its pieces, in {@code <info hash>.state} in the resume
 * directory: when it was added and completed, when payload last moved, how long it downloaded and seeded, the
 * payload it moved before this run, and its trackers once they were edited. Apart from the resume file ({@link
 * ResumeData}) because that one is about the data on disk, is thrown away whenever it cannot vouch for it (a move,
 * a changed directory), and is written as pieces arrive; none of this depends on the data, and it changes on edits
 * and at stops.
 *
 * <p>A bencoded dictionary: {@code format} ("jtorrent state"), {@code version} (1), {@code info-hash}, {@code
 * added}, {@code completed}, {@code activity} (milliseconds since the epoch; the last two only once known), {@code
 * downloading}, {@code seeding} (milliseconds), {@code downloaded}, {@code uploaded}, {@code wasted} (payload bytes)
 * and, once edited, {@code trackers} (a list of tiers, each a list of URLs).
 */
record TorrentRecord(InfoHash infoHash, Instant added, Optional<Instant> completed, Optional<Instant> lastActivity,
                     Duration downloading, Duration seeding, long downloaded, long uploaded, long wasted,
                     Optional<List<List<String>>> trackers) {
    static final String FORMAT = "jtorrent state";
    static final int VERSION = 1;
    /** Far above a record with {@link TorrentTrackers#MAX_TRACKERS} URLs of the longest length. */
    static final int MAX_SIZE = 4 * 1024 * 1024;
    private static final BencodeLimits LIMITS = new BencodeLimits(4, 100_000, MAX_SIZE);

    TorrentRecord {
        Objects.requireNonNull(infoHash, "infoHash");
        Objects.requireNonNull(added, "added");
        trackers = trackers.map(tiers -> tiers.stream().map(List::copyOf).toList());
    }

    byte[] encode() {
        BDictionary.Builder dictionary = BDictionary.builder()
                .put("format", FORMAT)
                .put("version", VERSION)
                .put("info-hash", BString.of(infoHash.bytes()))
                .put("added", added.toEpochMilli())
                .put("downloading", downloading.toMillis())
                .put("seeding", seeding.toMillis())
                .put("downloaded", downloaded)
                .put("uploaded", uploaded)
                .put("wasted", wasted);
        completed.ifPresent(when -> dictionary.put("completed", when.toEpochMilli()));
        lastActivity.ifPresent(when -> dictionary.put("activity", when.toEpochMilli()));
        trackers.ifPresent(tiers -> dictionary.put("trackers", BList.of(tiers.stream()
                .<BValue>map(tier -> BList.of(tier.stream().<BValue>map(BString::of).toList())).toList())));
        return BencodeEncoder.encode(dictionary.build());
    }

    /**
     * Reads a record's bytes.
     *
     * @throws ResumeData.InvalidResumeDataException with a short reason, for anything but a well-formed record
     */
    static TorrentRecord parse(byte[] bytes) throws ResumeData.InvalidResumeDataException {
        BValue root;
        try {
            root = BencodeDecoder.strict(LIMITS).decode(bytes);
        } catch (BencodeException e) {
            throw invalid("not bencoded: " + e.getMessage());
        }
        if (!(root instanceof BDictionary dictionary)) {
            throw invalid("not a dictionary");
        }
        if (!(dictionary.get("format").orElse(null) instanceof BString format)
                || !FORMAT.equals(format.asStrictText().orElse(null))) {
            throw invalid("not a jtorrent state file");
        }
        long version = integer(dictionary, "version");
        if (version != VERSION) {
            throw invalid("version " + version + ", expected " + VERSION);
        }
        if (!(dictionary.get("info-hash").orElse(null) instanceof BString hash)
                || hash.bytes().length != InfoHash.LENGTH) {
            throw invalid("no info hash of " + InfoHash.LENGTH + " bytes");
        }
        Optional<List<List<String>>> trackers = Optional.empty();
        if (dictionary.get("trackers").isPresent()) {
            trackers = Optional.of(tiers(dictionary.get("trackers").get()));
        }
        return new TorrentRecord(InfoHash.of(hash.bytes()), Instant.ofEpochMilli(notNegative(dictionary, "added")),
                optionalInstant(dictionary, "completed"), optionalInstant(dictionary, "activity"),
                Duration.ofMillis(notNegative(dictionary, "downloading")),
                Duration.ofMillis(notNegative(dictionary, "seeding")), notNegative(dictionary, "downloaded"),
                notNegative(dictionary, "uploaded"), notNegative(dictionary, "wasted"), trackers);
    }

    private static List<List<String>> tiers(BValue value) throws ResumeData.InvalidResumeDataException {
        if (!(value instanceof BList list)) {
            throw invalid("trackers is not a list");
        }
        List<List<String>> tiers = new ArrayList<>();
        for (BValue tierValue : list.values()) {
            if (!(tierValue instanceof BList tier)) {
                throw invalid("a tier of trackers is not a list");
            }
            List<String> urls = new ArrayList<>();
            for (BValue url : tier.values()) {
                if (!(url instanceof BString string) || string.asStrictText().isEmpty()) {
                    throw invalid("a tracker is not a UTF-8 string");
                }
                try {
                    urls.add(TorrentTrackers.check(string.asStrictText().get()));
                } catch (IllegalArgumentException e) {
                    throw invalid(e.getMessage());
                }
            }
            tiers.add(urls);
        }
        return tiers;
    }

    private static Optional<Instant> optionalInstant(BDictionary dictionary, String key)
            throws ResumeData.InvalidResumeDataException {
        return dictionary.get(key).isPresent() ? Optional.of(Instant.ofEpochMilli(notNegative(dictionary, key)))
                : Optional.empty();
    }

    private static long notNegative(BDictionary dictionary, String key) throws ResumeData.InvalidResumeDataException {
        long value = integer(dictionary, key);
        if (value < 0) {
            throw invalid(key + " is negative");
        }
        return value;
    }

    private static long integer(BDictionary dictionary, String key) throws ResumeData.InvalidResumeDataException {
        if (dictionary.get(key).orElse(null) instanceof BInteger integer) {
            return integer.value();
        }
        throw invalid(key + " is not an integer");
    }

    private static ResumeData.InvalidResumeDataException invalid(String reason) {
        return new ResumeData.InvalidResumeDataException(reason);
    }
}
