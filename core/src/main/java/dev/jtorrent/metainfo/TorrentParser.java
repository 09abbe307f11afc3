package dev.jtorrent.metainfo;

import dev.jtorrent.bencode.BDictionary;
import dev.jtorrent.bencode.BInteger;
import dev.jtorrent.bencode.BList;
import dev.jtorrent.bencode.BString;
import dev.jtorrent.bencode.BValue;
import dev.jtorrent.bencode.BencodeDecoder;
import dev.jtorrent.bencode.BencodeException;
import dev.jtorrent.bencode.Span;
import dev.jtorrent.digest.Sha1;
import dev.jtorrent.metainfo.InvalidTorrentException.Reason;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses v1 metainfo (BEP 3) with trackers (BEP 12), web seeds (BEP 17, 19), private flag (BEP 27) and pad files
 * and attributes (BEP 47). Hybrid v1+v2 torrents (BEP 52) load through their v1 half after a check that both halves
 * describe the same files; v2-only torrents are refused for now.
 *
 * <p>Dictionaries may have unsorted keys (some torrent makers write them so); the info hash is always the SHA-1 of
 * the info dictionary's original bytes.
 */
final class TorrentParser {
    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://\\S+");
    private static final String OLD_PAD_PREFIX = "_____padding_file_";

    private final MetainfoLimits limits;
    private final PathSanitizer sanitizer;

    TorrentParser(MetainfoLimits limits, PathSanitizer sanitizer) {
        this.limits = limits;
        this.sanitizer = sanitizer;
    }

    Torrent parse(byte[] bytes) throws InvalidTorrentException {
        if (bytes.length > limits.maxFileSize()) {
            throw new InvalidTorrentException(Reason.TOO_LARGE,
                    "the torrent is larger than the limit of " + limits.maxFileSize() + " bytes");
        }
        BValue root;
        try {
            root = BencodeDecoder.lenient(limits.bencode()).decode(bytes);
        } catch (BencodeException e) {
            throw new InvalidTorrentException(Reason.MALFORMED_BENCODE, "not a valid torrent file: " + e.getMessage(), e);
        }
        if (!(root instanceof BDictionary top)) {
            throw new InvalidTorrentException(Reason.NOT_A_DICTIONARY,
                    "not a torrent file: the top level is a " + root.typeName() + ", not a dictionary");
        }
        if (!(top.get("info").orElse(null) instanceof BDictionary infoDict)) {
            throw new InvalidTorrentException(Reason.MISSING_INFO, "the torrent has no info dictionary");
        }
        Span infoSpan = infoDict.span().orElseThrow();
        // Sha1 rather than MessageDigest: the first MessageDigest of a JVM starts the JDK's security providers
        // (about 0.03 CPU s), which a download need not otherwise start.
        InfoHash infoHash = InfoHash.of(Sha1.create().digest(infoSpan.view()));

        InfoDictionary info = parseInfo(infoDict, infoHash);
        return new Torrent(infoHash, info, infoSpan.bytes(), trackerTiers(top), urls(top.get("url-list")),
                urls(top.get("httpseeds")), dhtNodes(top), creationDate(top),
                text(top, "comment.utf-8").or(() -> text(top, "comment")), text(top, "created by"));
    }

    private InfoDictionary parseInfo(BDictionary info, InfoHash infoHash) throws InvalidTorrentException {
        boolean hybrid = false;
        Optional<BValue> metaVersion = info.get("meta version");
        if (metaVersion.isPresent()) {
            long version = metaVersion.get() instanceof BInteger v ? v.value() : -1;
            if (version == 2) {
                if (!info.containsKey("pieces")) {
                    throw new InvalidTorrentException(Reason.V2_ONLY_UNSUPPORTED,
                            "BitTorrent v2-only torrents are not supported yet");
                }
                hybrid = true;
            } else if (version != 1) {
                throw new InvalidTorrentException(Reason.UNSUPPORTED_META_VERSION,
                        "unsupported meta version " + metaVersion.get());
            }
        }

        byte[] rawName = string(info, "name.utf-8").filter(n -> n.asStrictText().isPresent())
                .or(() -> string(info, "name"))
                .orElseThrow(() -> new InvalidTorrentException(Reason.MISSING_NAME, "the torrent has no name"))
                .bytes();
        if (!hasVisibleCharacter(rawName)) {
            throw new InvalidTorrentException(Reason.MISSING_NAME, "the torrent's name has no visible characters");
        }
        String name = sanitizer.element(rawName, true).orElseThrow();

        if (!(info.get("piece length").orElse(null) instanceof BInteger pieceLengthValue)
                || pieceLengthValue.value() <= 0 || pieceLengthValue.value() > limits.maxPieceLength()) {
            throw new InvalidTorrentException(Reason.INVALID_PIECE_LENGTH,
                    "the piece length is missing or not an integer from 1 to " + limits.maxPieceLength());
        }
        int pieceLength = (int) pieceLengthValue.value();

        if (!(info.get("pieces").orElse(null) instanceof BString pieces)) {
            throw new InvalidTorrentException(Reason.MISSING_PIECES, "the torrent has no piece hashes");
        }
        if (pieces.length() % InfoDictionary.HASH_LENGTH != 0) {
            throw new InvalidTorrentException(Reason.INVALID_PIECE_HASHES,
                    "the piece hashes are " + pieces.length() + " bytes, not a multiple of 20");
        }
        int pieceCount = pieces.length() / InfoDictionary.HASH_LENGTH;
        if (pieceCount > limits.maxPieces()) {
            throw new InvalidTorrentException(Reason.TOO_MANY_PIECES,
                    "the torrent has " + pieceCount + " pieces, more than the limit of " + limits.maxPieces());
        }

        boolean multiFile = info.containsKey("files");
        List<RawFile> rawFiles = multiFile ? multiFileList(info) : List.of(singleFile(info, rawName));
        List<FileEntry> files = layOut(name, multiFile, rawFiles);
        long total = files.get(files.size() - 1).end();
        if (total == 0) {
            throw new InvalidTorrentException(Reason.INVALID_LENGTH, "the torrent has no content (0 bytes)");
        }
        if (hybrid) {
            new HybridCheck(pieceLength).verify(info, multiFile ? rawFiles : List.of(rawFiles.get(0).renamed(rawName)),
                    files);
        }
        long expectedPieces = (total + pieceLength - 1) / pieceLength;
        if (expectedPieces > limits.maxPieces()) {
            throw new InvalidTorrentException(Reason.TOO_MANY_PIECES, "the torrent's " + total + " bytes make "
                    + expectedPieces + " pieces, more than the limit of " + limits.maxPieces());
        }
        if (expectedPieces != pieceCount) {
            throw new InvalidTorrentException(Reason.INVALID_PIECE_HASHES, "the torrent has " + pieceCount
                    + " piece hashes but its " + total + " bytes make " + expectedPieces + " pieces");
        }
        boolean isPrivate = info.get("private").orElse(null) instanceof BInteger p && p.value() == 1;
        return new InfoDictionary(name, pieceLength, pieces.bytes(), multiFile, files, isPrivate,
                text(info, "source"), hybrid);
    }

    /** A file as the torrent lists it, before sanitising. */
    record RawFile(List<byte[]> path, long length, String attributes, Optional<List<byte[]>> symlink) {
        RawFile renamed(byte[] name) {
            return new RawFile(List.of(name), length, attributes, symlink);
        }

        boolean padding() {
            if (attributes.indexOf('p') >= 0) {
                return true;
            }
            byte[] last = path.isEmpty() ? new byte[0] : path.get(path.size() - 1);
            return new String(last, java.nio.charset.StandardCharsets.UTF_8).startsWith(OLD_PAD_PREFIX);
        }
    }

    private RawFile singleFile(BDictionary info, byte[] rawName) throws InvalidTorrentException {
        long length = fileLength(info, rawName);
        return new RawFile(List.of(), length, attributes(info), Optional.empty());
    }

    private List<RawFile> multiFileList(BDictionary info) throws InvalidTorrentException {
        if (info.containsKey("length")) {
            throw new InvalidTorrentException(Reason.INVALID_LENGTH,
                    "the torrent has both a single-file length and a file list");
        }
        if (!(info.get("files").orElseThrow() instanceof BList list)) {
            throw new InvalidTorrentException(Reason.NO_FILES, "the torrent's file list is not a list");
        }
        if (list.size() == 0) {
            throw new InvalidTorrentException(Reason.NO_FILES, "the torrent's file list is empty");
        }
        if (list.size() > limits.maxFiles()) {
            throw new InvalidTorrentException(Reason.TOO_MANY_FILES, "the torrent lists " + list.size()
                    + " files, more than the limit of " + limits.maxFiles());
        }
        List<RawFile> files = new ArrayList<>(list.size());
        for (BValue entry : list.values()) {
            if (!(entry instanceof BDictionary file)) {
                throw new InvalidTorrentException(Reason.INVALID_PATH, "an entry of the file list is not a dictionary");
            }
            String attributes = attributes(file);
            Optional<List<byte[]>> path = pathList(file, "path.utf-8").filter(TorrentParser::isUtf8)
                    .or(() -> pathList(file, "path"));
            long length = fileLength(file, null);
            if (path.isEmpty()) {
                if (attributes.indexOf('p') < 0) {
                    throw new InvalidTorrentException(Reason.INVALID_PATH,
                            "a file in the torrent has no path, or a path that is not a list of strings");
                }
                path = Optional.of(List.of(".pad".getBytes(), Long.toString(length).getBytes()));
            }
            if (path.get().size() > limits.maxPathDepth()) {
                throw new InvalidTorrentException(Reason.TOO_MANY_FILES, "a file path is " + path.get().size()
                        + " levels deep, more than the limit of " + limits.maxPathDepth());
            }
            Optional<List<byte[]>> symlink = Optional.empty();
            if (attributes.indexOf('l') >= 0) {
                symlink = pathList(file, "symlink path");
                if (symlink.isEmpty()) {
                    throw new InvalidTorrentException(Reason.INVALID_PATH,
                            "a symlink in the torrent has no target, or one that is not a list of strings");
                }
            }
            files.add(new RawFile(path.get(), length, attributes, symlink));
        }
        return files;
    }

    private static long fileLength(BDictionary dict, byte[] name) throws InvalidTorrentException {
        if (!(dict.get("length").orElse(null) instanceof BInteger length) || length.value() < 0) {
            // A symlink's length does not matter; BEP 47 allows it to be left out.
            if (dict.get("length").isEmpty() && attributes(dict).indexOf('l') >= 0) {
                return 0;
            }
            throw new InvalidTorrentException(Reason.INVALID_LENGTH,
                    (name == null ? "a file" : "the file") + " in the torrent has a missing or invalid length");
        }
        return length.value();
    }

    /** Sanitises paths, computes offsets and renames files whose paths collide. */
    private List<FileEntry> layOut(String name, boolean multiFile, List<RawFile> rawFiles)
            throws InvalidTorrentException {
        List<FileEntry> files = new ArrayList<>(rawFiles.size());
        PathDeduplicator dedup = new PathDeduplicator(limits.maxDuplicatePaths());
        long offset = 0;
        for (RawFile raw : rawFiles) {
            List<String> path = new ArrayList<>();
            path.add(name);
            if (multiFile) {
                path.addAll(sanitizer.path(raw.path()));
            }
            boolean padding = raw.padding();
            List<String> unique = padding ? path : dedup.claim(path);
            Optional<List<String>> symlink = raw.symlink().map(sanitizer::path);
            files.add(new FileEntry(unique, raw.length(), offset, padding, raw.attributes().indexOf('x') >= 0,
                    raw.attributes().indexOf('h') >= 0, symlink));
            try {
                offset = Math.addExact(offset, raw.length());
            } catch (ArithmeticException e) {
                throw new InvalidTorrentException(Reason.INVALID_LENGTH, "the torrent's total size overflows");
            }
        }
        return files;
    }

    private static String attributes(BDictionary dict) {
        return dict.get("attr").orElse(null) instanceof BString s ? s.asText() : "";
    }

    private static boolean isUtf8(List<byte[]> path) {
        return path.stream().allMatch(e -> BString.of(e).asStrictText().isPresent());
    }

    private static Optional<List<byte[]>> pathList(BDictionary dict, String key) {
        if (!(dict.get(key).orElse(null) instanceof BList list)) {
            return Optional.empty();
        }
        List<byte[]> path = new ArrayList<>(list.size());
        for (BValue element : list.values()) {
            if (!(element instanceof BString s)) {
                return Optional.empty();
            }
            path.add(s.bytes());
        }
        return Optional.of(path);
    }

    /**
     * Whether the name has a character that survives sanitising: not a control, format or separator character.
     * Bytes that are not UTF-8 count: a name in a legacy encoding (GBK, Latin-1) is still a name.
     */
    private static boolean hasVisibleCharacter(byte[] raw) {
        for (int i = 0; i < raw.length; ) {
            int length = Utf8.sequenceLength(raw, i);
            if (length == 0) {
                return true;
            }
            int cp = Utf8.decode(raw, i, length);
            if (!Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT
                    && cp != '/' && cp != '\\') {
                return true;
            }
            i += length;
        }
        return false;
    }

    private static Optional<BString> string(BDictionary dict, String key) {
        return dict.get(key).orElse(null) instanceof BString s ? Optional.of(s) : Optional.empty();
    }

    private static Optional<String> text(BDictionary dict, String key) {
        return string(dict, key).map(BString::asText);
    }

    /** BEP 12 tiers from {@code announce-list}, else the single {@code announce}; duplicates and junk dropped. */
    private static List<List<String>> trackerTiers(BDictionary top) {
        Set<String> seen = new LinkedHashSet<>();
        List<List<String>> tiers = new ArrayList<>();
        if (top.get("announce-list").orElse(null) instanceof BList list) {
            for (BValue tierValue : list.values()) {
                if (!(tierValue instanceof BList tierList)) {
                    continue;
                }
                List<String> tier = new ArrayList<>();
                for (BValue url : tierList.values()) {
                    validUrl(url).filter(seen::add).ifPresent(tier::add);
                }
                if (!tier.isEmpty()) {
                    tiers.add(tier);
                }
            }
        }
        if (tiers.isEmpty()) {
            top.get("announce").flatMap(TorrentParser::validUrl).ifPresent(url -> tiers.add(List.of(url)));
        }
        return tiers;
    }

    private static List<String> urls(Optional<BValue> value) {
        Set<String> urls = new LinkedHashSet<>();
        switch (value.orElse(null)) {
            case BString s -> validUrl(s).ifPresent(urls::add);
            case BList list -> list.values().forEach(v -> validUrl(v).ifPresent(urls::add));
            case null, default -> {
            }
        }
        return List.copyOf(urls);
    }

    private static Optional<String> validUrl(BValue value) {
        if (!(value instanceof BString s)) {
            return Optional.empty();
        }
        String url = s.asText().strip();
        return URL.matcher(url).matches() ? Optional.of(url) : Optional.empty();
    }

    private static List<String> dhtNodes(BDictionary top) {
        List<String> nodes = new ArrayList<>();
        if (top.get("nodes").orElse(null) instanceof BList list) {
            for (BValue node : list.values()) {
                if (node instanceof BList pair && pair.size() == 2 && pair.get(0) instanceof BString host
                        && pair.get(1) instanceof BInteger port && port.value() > 0 && port.value() < 65536
                        && !host.asText().isBlank()) {
                    String h = host.asText().strip();
                    nodes.add((h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port.value());
                }
            }
        }
        return nodes;
    }

    private static Optional<Instant> creationDate(BDictionary top) {
        if (top.get("creation date").orElse(null) instanceof BInteger date
                && date.value() > 0 && date.value() < 1L << 40) {
            return Optional.of(Instant.ofEpochSecond(date.value()));
        }
        return Optional.empty();
    }
}
