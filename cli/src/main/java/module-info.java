/** The {@code jtorrent} command. */
module dev.jtorrent.cli {
    requires dev.jtorrent;
    requires dev.jtorrent.daemon;
    requires info.picocli;
    requires java.logging;
    requires java.net.http;
    requires jdk.unsupported;

    opens dev.jtorrent.cli to info.picocli;
}
