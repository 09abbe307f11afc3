package dev.jtorrent.cli;

import dev.jtorrent.digest.Sha1;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven wrote into the jar. */
final class Version implements CommandLine.IVersionProvider {
    static final String NAME = "jtorrent";

    static String current() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown": a missing version must not stop the program
        }
        return properties.getProperty("version", "unknown");
    }

    /** What jtorrent writes as "created by" in new torrents. */
    static String userAgent() {
        return NAME + "/" + current();
    }

    @Override
    public String[] getVersion() {
        return new String[] {NAME + " " + current(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
            "SHA-1: " + Sha1.implementation()};
    }
}
