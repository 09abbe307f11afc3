package dev.jtorrent.storage;

import dev.jtorrent.metainfo.FileEntry;
import dev.jtorrent.metainfo.InfoDictionary;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A multi-file torrent named {@code t} with random content and correct piece hashes. Files are given as
 * {@code "dir/name=length"}; {@code "pad=length"} is a BEP 47 pad file (zeros, path {@code .pad/length}).
 */
record SampleTorrent(InfoDictionary info, byte[] content) {

    static SampleTorrent of(int pieceLength, String... files) {
        Random random = new Random(files.length * 31L + pieceLength);
        List<FileEntry> entries = new ArrayList<>();
        long offset = 0;
        for (String file : files) {
            String[] parts = file.split("=");
            int length = Integer.parseInt(parts[1]);
            boolean pad = parts[0].equals("pad");
            List<String> path = new ArrayList<>(List.of("t"));
            path.addAll(pad ? List.of(".pad", String.valueOf(length)) : List.of(parts[0].split("/")));
            entries.add(new FileEntry(path, length, offset, pad, false, false, Optional.empty()));
            offset += length;
        }
        byte[] content = new byte[(int) offset];
        random.nextBytes(content);
        for (FileEntry entry : entries) {
            if (entry.padding()) {
                Arrays.fill(content, (int) entry.offset(), (int) entry.end(), (byte) 0);
            }
        }
        int pieces = (int) ((offset + pieceLength - 1) / pieceLength);
        byte[] hashes = new byte[pieces * 20];
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1"); // the JDK's, as an oracle independent of ours
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        for (int i = 0; i < pieces; i++) {
            int from = i * pieceLength;
            sha1.update(content, from, (int) Math.min(pieceLength, offset - from));
            System.arraycopy(sha1.digest(), 0, hashes, i * 20, 20);
        }
        return new SampleTorrent(new InfoDictionary("t", pieceLength, hashes, true, entries, false,
                Optional.empty(), false), content);
    }

    PieceMap map() {
        return PieceMap.of(info);
    }

    /** Piece {@code index} in a buffer whose position is not zero, as a caller's buffer may be. */
    ByteBuffer piece(int index) {
        int from = index * info.pieceLength();
        int size = info.pieceSize(index);
        ByteBuffer buffer = ByteBuffer.allocate(size + 7);
        buffer.position(7);
        buffer.put(content, from, size).position(7);
        return buffer;
    }

    byte[] fileContent(int fileIndex) {
        FileEntry file = info.files().get(fileIndex);
        return Arrays.copyOfRange(content, (int) file.offset(), (int) file.end());
    }

    byte[] range(long from, int length) {
        return Arrays.copyOfRange(content, (int) from, (int) from + length);
    }
}
