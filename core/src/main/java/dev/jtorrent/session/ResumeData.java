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
import dev.jtorrent.storage.FileState;
import dev.jtorrent.swarm.PieceSet;

import java.util.ArrayList;
import java.util.List;

/**
 * What a torrent's resume file holds: the pieces that were ours when it was saved, and the state of each file then,
 * so that a restart can trust those pieces without reading them again as long as the files did not change. Also
 * the torrent's own settings, which today are its download directory.
 *
 * <p>A bencoded dictionary: {@code format} ("jtorrent resume"), {@code version} (1), {@code info-hash} (20 bytes),
 * {@code directory} (the download directory, UTF-8), {@code pieces} (a BEP 3 bitfield) and {@code files} (for each
 * of the torrent's files in order, a list of its size, or -1 if absent, and its modification time in nanoseconds).
 * {@link #parse} checks the structure only; whether the data fits a torrent and its files is {@link ResumeCheck}'s
 * question.
 */
record ResumeData(InfoHash infoHash, String directory, byte[] bitfield, List<FileState> files) {
    static final String FORMAT = "jtorrent resume";
    static final int VERSION = 1;
    /**
     * Bigger than any file jtorrent writes: 2^21 pieces (libtorrent's limit) take 256 KiB, and a million files
     * about 30 MB.
     */
    static final int MAX_SIZE = 48 * 1024 * 1024;
    private static final BencodeLimits LIMITS = new BencodeLimits(4, 3_000_000, MAX_SIZE);

    ResumeData {
        files = List.copyOf(files);
    }

    static ResumeData of(InfoHash infoHash, String directory, PieceSet pieces, List<FileState> files) {
        return new ResumeData(infoHash, directory, pieces.toBitfield(), files);
    }

    byte[] encode() {
        List<BValue> states = new ArrayList<>(files.size());
        for (FileState file : files) {
            states.add(BList.of(BInteger.of(file.size()), BInteger.of(file.modifiedNanos())));
        }
        return BencodeEncoder.encode(BDictionary.builder()
                .put("format", FORMAT)
                .put("version", VERSION)
                .put("info-hash", BString.of(infoHash.bytes()))
                .put("directory", directory)
                .put("pieces", BString.of(bitfield))
                .put("files", BList.of(states))
                .build());
    }

    /**
     * Reads a resume file's bytes.
     *
     * @throws InvalidResumeDataException with a short reason, for anything but a well-formed resume file
     */
    static ResumeData parse(byte[] bytes) throws InvalidResumeDataException {
        BValue root;
        try {
            root = BencodeDecoder.strict(LIMITS).decode(bytes);
        } catch (BencodeException e) {
            throw new InvalidResumeDataException("not bencoded: " + e.getMessage());
        }
        if (!(root instanceof BDictionary dictionary)) {
            throw new InvalidResumeDataException("not a dictionary");
        }
        if (!FORMAT.equals(text(dictionary, "format"))) {
            throw new InvalidResumeDataException("not a jtorrent resume file");
        }
        long version = integer(dictionary, "version");
        if (version != VERSION) {
            throw new InvalidResumeDataException("version " + version + ", expected " + VERSION);
        }
        byte[] hash = string(dictionary, "info-hash").bytes();
        if (hash.length != InfoHash.LENGTH) {
            throw new InvalidResumeDataException("an info hash of " + hash.length + " bytes");
        }
        List<FileState> files = new ArrayList<>();
        for (BValue value : list(dictionary, "files").values()) {
            if (!(value instanceof BList pair) || pair.size() != 2
                    || !(pair.get(0) instanceof BInteger size) || !(pair.get(1) instanceof BInteger modified)
                    || size.value() < -1) {
                throw new InvalidResumeDataException("a file entry is not [size, modification time]");
            }
            files.add(new FileState(size.value(), modified.value()));
        }
        return new ResumeData(InfoHash.of(hash), text(dictionary, "directory"), string(dictionary, "pieces").bytes(),
                files);
    }

    private static BValue value(BDictionary dictionary, String key) throws InvalidResumeDataException {
        return dictionary.get(key).orElseThrow(() -> new InvalidResumeDataException("no " + key));
    }

    private static BString string(BDictionary dictionary, String key) throws InvalidResumeDataException {
        if (value(dictionary, key) instanceof BString string) {
            return string;
        }
        throw new InvalidResumeDataException(key + " is not a string");
    }

    private static String text(BDictionary dictionary, String key) throws InvalidResumeDataException {
        return string(dictionary, key).asStrictText()
                .orElseThrow(() -> new InvalidResumeDataException(key + " is not UTF-8"));
    }

    private static long integer(BDictionary dictionary, String key) throws InvalidResumeDataException {
        if (value(dictionary, key) instanceof BInteger integer) {
            return integer.value();
        }
        throw new InvalidResumeDataException(key + " is not an integer");
    }

    private static BList list(BDictionary dictionary, String key) throws InvalidResumeDataException {
        if (value(dictionary, key) instanceof BList list) {
            return list;
        }
        throw new InvalidResumeDataException(key + " is not a list");
    }

    /** A resume file that cannot be used at all: its data is checked instead. */
    static final class InvalidResumeDataException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidResumeDataException(String reason) {
            super(reason);
        }
    }
}
