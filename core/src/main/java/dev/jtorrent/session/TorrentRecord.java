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
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a torrent keeps of itself between runs besides its pieces, in {@code <info hash>.state} in the resume
 * directory: when it was added and completed, when payload last moved, how long it downloaded and seeded, the
 * payload it moved before this run, and its trackers once they were edited. Apart from the resume file ({@link
 * ResumeData}) because that one is about the data on disk, is thrown away whenever it cannot vouch for it (a move,
 * a changed directory), and is written as pieces arrive; none of this depends on the data, and it changes on edits
 * and at stops. Also the paths of the files renamed ({@link FileNames}), and while a rename is under way, the paths
 * its files are leaving: the journal that lets the next start finish a rename that a crash cut short.
 *
 * <p>A bencoded dictionary: {@code format} ("jtorrent state"), {@code version} (1), {@code info-hash}, {@code
 * added}, {@code completed}, {@code activity} (milliseconds since the epoch; the last two only once known), {@code
 * downloading}, {@code seeding} (milliseconds), {@code downloaded}, {@code uploaded}, {@code wasted} (payload bytes)
 * and, once edited, {@code trackers} (a list of tiers, each a list of URLs); once files are renamed, {@code paths}
 * (a list of {@code [file index, [name, ...]]}), and during a rename {@code renaming} (the same, of the paths the
 * files had before).
 */
record TorrentRecord(InfoHash infoHash, Instant added, Optional<Instant> completed, Optional<Instant> lastActivity,
                     Duration downloading, Duration seeding, long downloaded, long uploaded, long wasted,
                     Optional<List<List<String>>> trackers, SortedMap<Integer, List<String>> paths,
                     SortedMap<Integer, List<String>> renaming) {
    static final String FORMAT = "jtorrent state";
    static final int VERSION = 1;
    /**
     * Above a record with {@link TorrentTrackers#MAX_TRACKERS} URLs of the longest length, and with every file of a
     * torrent of 500,000 files renamed (its top folder renamed, say) under a journal of as many: each path is
     * listed whole, about 40 bytes a file and entry for usual paths.
     */
    static final int MAX_SIZE = 64 * 1024 * 1024;
    private static final BencodeLimits LIMITS = new BencodeLimits(6, 8_000_000, MAX_SIZE);

    TorrentRecord {
        Objects.requireNonNull(infoHash, "infoHash");
        Objects.requireNonNull(added, "added");
        trackers = trackers.map(tiers -> tiers.stream().map(List::copyOf).toList());
        paths = Collections.unmodifiableSortedMap(new TreeMap<>(paths));
        renaming = Collections.unmodifiableSortedMap(new TreeMap<>(renaming));
    }

    /** The same record with {@code renaming} as its journal of a rename under way (empty: none). */
    TorrentRecord withRenaming(SortedMap<Integer, List<String>> journal) {
        return new TorrentRecord(infoHash, added, completed, lastActivity, downloading, seeding, downloaded,
                uploaded, wasted, trackers, paths, journal);
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
        if (!paths.isEmpty()) {
            dictionary.put("paths", encodePaths(paths));
        }
        if (!renaming.isEmpty()) {
            dictionary.put("renaming", encodePaths(renaming));
        }
        return BencodeEncoder.encode(dictionary.build());
    }

    private static BList encodePaths(SortedMap<Integer, List<String>> paths) {
        List<BValue> entries = new ArrayList<>();
        paths.forEach((index, path) -> entries.add(BList.of(BInteger.of(index),
                BList.of(path.stream().<BValue>map(BString::of).toList()))));
        return BList.of(entries);
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
                notNegative(dictionary, "uploaded"), notNegative(dictionary, "wasted"), trackers,
                paths(dictionary, "paths"), paths(dictionary, "renaming"));
    }

    private static SortedMap<Integer, List<String>> paths(BDictionary dictionary, String key)
            throws ResumeData.InvalidResumeDataException {
        SortedMap<Integer, List<String>> paths = new TreeMap<>();
        if (dictionary.get(key).isEmpty()) {
            return paths;
        }
        if (!(dictionary.get(key).get() instanceof BList list)) {
            throw invalid(key + " is not a list");
        }
        for (BValue entry : list.values()) {
            if (!(entry instanceof BList pair) || pair.size() != 2 || !(pair.get(0) instanceof BInteger index)
                    || index.value() < 0 || index.value() > Integer.MAX_VALUE || !(pair.get(1) instanceof BList names)
                    || names.size() == 0) {
                throw invalid("an entry of " + key + " is not [file index, [name, ...]]");
            }
            List<String> path = new ArrayList<>();
            for (BValue name : names.values()) {
                if (!(name instanceof BString string) || string.asStrictText().isEmpty()) {
                    throw invalid("a name in " + key + " is not a UTF-8 string");
                }
                path.add(string.asStrictText().get());
            }
            paths.put((int) index.value(), path);
        }
        return paths;
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
