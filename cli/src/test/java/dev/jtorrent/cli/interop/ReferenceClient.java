package dev.jtorrent.cli.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A reference BitTorrent client in one of two roles: seeding data that is complete in its save directory
 * ({@link Seeder}), or downloading into an empty one ({@link ReferenceLeecher}). Each subclass is one client's whole
 * recipe for both roles (its configuration, its command line, its quirks); the roles differ only in what the client is
 * told to do with the torrent and in how a test learns that it seeds, or that it has finished.
 *
 * <p>Every client binds its listening socket and its outgoing connections (tracker announces included) to the address
 * it is given, so the tracker hands out the right peer; and turns off everything that finds peers other than the
 * tracker (DHT, local peer discovery, peer exchange) or reaches outside the machine (UPnP, NAT-PMP), and uTP where
 * the client allows it, since jtorrent speaks TCP only for now. Its configuration, state and logs go in a work
 * directory beside the save directory ({@link ReferenceLeecher#workDirFor}), which is also its HOME, since several
 * clients write their state there.
 */
abstract sealed class ReferenceClient implements Seeder, ReferenceLeecher
        permits Aria2Client, LibtorrentClient, QbittorrentClient, RtorrentClient, TransmissionClient {

    /** What a client is started for. */
    enum Role {
        /** Seeding the data in its save directory, which is complete, until it is killed. */
        SEED,
        /** Downloading into its save directory, which is empty; {@link #awaitComplete} waits for the end. */
        LEECH
    }

    private final String name;
    final Role role;
    /** Set by {@link #start}, before {@link #launch}. */
    Path workDir;
    /** Set by {@link #launch}, through {@link #startProcess}. */
    BackgroundProcess process;
    private long started;

    ReferenceClient(String name, Role role) {
        this.name = name;
        this.role = role;
    }

    @Override
    public final String name() {
        return name;
    }

    /**
     * Starts the client on {@code ip:port} with {@code torrent}, whose content (the torrent's name) is, or is to be,
     * in {@code saveDir}. Returns once the client has the torrent and, seeding, once it holds all of it where the
     * client can tell; that it announced itself is for the tracker to tell ({@link Opentracker#awaitSeeds}). A missing
     * client fails the test under {@code CI=true} and aborts it otherwise ({@link ExternalTool}).
     */
    @Override
    public final void start(Path torrent, Path saveDir, String ip, int port) {
        if (process != null) {
            throw new IllegalStateException(name + " is started already");
        }
        workDir = ReferenceLeecher.workDirFor(saveDir, name);
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(saveDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        started = System.nanoTime();
        launch(torrent, saveDir, ip, port);
    }

    /**
     * The client's own part of {@link #start}, once its work directory exists: its configuration, its command line
     * (run with {@link #startProcess}) and handing it the torrent in its {@link #role}.
     */
    abstract void launch(Path torrent, Path saveDir, String ip, int port);

    /** Starts the client's {@code command} in the work directory, with HOME there and {@code environment} added. */
    final void startProcess(List<String> command, Map<String, String> environment) {
        Map<String, String> variables = new HashMap<>(environment);
        variables.put("HOME", workDir.toString());
        process = BackgroundProcess.start(name, command, workDir, variables);
    }

    /** How long the download took from {@link #start} until the client had all of it on disk. */
    @Override
    public final Duration awaitComplete(Duration timeout) {
        if (role != Role.LEECH) {
            throw new IllegalStateException(name + " seeds: it has nothing to download");
        }
        awaitDownloaded(timeout);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * The client's own part of {@link #awaitComplete}: waits until the client reports the download complete and its
     * data is on disk; fails with {@link #describe()} after {@code timeout}, or at once when the client died or
     * reports an error.
     */
    abstract void awaitDownloaded(Duration timeout);

    /** What the client tells beyond its output: its own log's last lines, its last status. Empty by default. */
    String details() {
        return "";
    }

    @Override
    public final String describe() {
        return process == null ? "--- " + name + " (not started)\n" : process.describe() + details();
    }

    @Override
    public final void close() {
        if (process != null) {
            process.close();
        }
    }
}
