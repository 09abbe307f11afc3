package dev.jtorrent.daemon.transmission;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Tiny distinct .torrent files made in memory, for tests that need many torrents whose data is absent. */
final class ManyTorrents {
    private ManyTorrents() {
    }

    /** A one-piece, 1000-byte torrent named {@code t<i>.bin}, with one tracker; distinct for each {@code i}. */
    static byte[] tiny(int i) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String name = "t" + i + ".bin";
        String announce = "http://127.0.0.1:6969/announce";
        byte[] pieces = new byte[20];
        for (int b = 0; b < 4; b++) {
            pieces[b] = (byte) (i >>> (8 * b));
        }
        out.writeBytes(("d8:announce" + announce.length() + ":" + announce + "4:infod6:lengthi1000e4:name"
                + name.length() + ":" + name + "12:piece lengthi16384e6:pieces20:")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(pieces);
        out.writeBytes("ee".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
