package dev.jtorrent.cli.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A program left running while a test talks to it (a tracker, a seeding client), unlike {@link ExternalProcess},
 * which runs to its end. Its standard output and error go to one log file, so a failure message can quote the last
 * lines, and the client cannot block on a full pipe nobody reads. {@link #close()} kills it and its children by pid.
 */
final class BackgroundProcess implements AutoCloseable {

    private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final List<String> command;
    private final Process process;
    private final Path log;

    private BackgroundProcess(String name, List<String> command, Process process, Path log) {
        this.name = name;
        this.command = command;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} in {@code dir} with {@code environment} added to this JVM's; the output goes to
     * {@code dir/NAME.log}. HOME should normally point into {@code dir}, since several clients write their state
     * there.
     */
    static BackgroundProcess start(String name, List<String> command, Path dir, Map<String, String> environment) {
        return start(name, command, dir, dir, environment);
    }

    /** {@link #start(String, List, Path, Map)} with a working directory other than the one that holds the log. */
    static BackgroundProcess start(String name, List<String> command, Path logDir, Path workingDir,
            Map<String, String> environment) {
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(logDir);
            return new BackgroundProcess(name, List.copyOf(command), builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /**
     * Waits up to {@code timeout} for the process to exit by itself; returns its exit code, or empty if it still runs.
     */
    java.util.OptionalInt awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? java.util.OptionalInt.of(process.exitValue()) : java.util.OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name, e);
        }
    }

    /**
     * Asks the process to stop with SIGTERM (its children are left to it), and waits up to {@code timeout} for it to
     * exit; returns its exit code, or empty if it still runs (then {@link #close()} kills it).
     */
    java.util.OptionalInt terminate(Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    /** Fails with the process's last words when it has exited, which a client only does here when it gave up. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with code " + process.exitValue() + "\n" + describe());
        }
    }

    /** Waits until the process has written a line equal to {@code line}; fails with its log if it exits first. */
    void awaitLine(String line, Duration timeout) {
        awaitLine("\"" + line + "\"", line::equals, timeout);
    }

    /** Waits until the process has written a line that starts with {@code prefix}; fails as {@link #awaitLine}. */
    void awaitLineStartingWith(String prefix, Duration timeout) {
        awaitLine("\"" + prefix + "...\"", written -> written.startsWith(prefix), timeout);
    }

    /** Waits until the process has written a line that contains {@code fragment}; fails as {@link #awaitLine}. */
    void awaitLineContaining(String fragment, Duration timeout) {
        awaitLine("\"..." + fragment + "...\"", written -> written.contains(fragment), timeout);
    }

    private void awaitLine(String what, Predicate<String> wanted, Duration timeout) {
        Await.untilTrue(name + " to print " + what, timeout, () -> {
            boolean printed = Files.isRegularFile(log) && Files.readString(log, StandardCharsets.UTF_8).lines()
                    .anyMatch(wanted);
            if (!printed) {
                requireAlive();
            }
            return printed;
        }, this::describe);
    }

    /**
     * Sends the process the signal {@code name} ({@code INT}, {@code TERM}, ...) with kill(1), as someone at a shell
     * would; Java itself can send SIGTERM ({@link #terminate}) and SIGKILL alone.
     */
    void signal(String name) {
        ExternalProcess.of(EXIT_WAIT, List.of("kill", "-s", name, Long.toString(process.pid()))).run()
                .requireSuccess();
    }

    /** The command, whether it still runs, and the last lines it wrote: the context of a failure message. */
    String describe() {
        String state = process.isAlive() ? "running, pid " + process.pid() : "exited with code " + process.exitValue();
        return "--- " + name + " (" + state + "): " + String.join(" ", command) + "\n" + lastLines(log, 40);
    }

    /** The last {@code count} lines of a log file, or a note that it does not exist (yet). */
    static String lastLines(Path file, int count) {
        if (!Files.isRegularFile(file)) {
            return "(no " + file + ")\n";
        }
        try {
            List<String> lines = new ArrayList<>(List.of(
                    new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\\R")));
            List<String> tail = lines.subList(Math.max(0, lines.size() - count), lines.size());
            return "--- last " + tail.size() + " lines of " + file + "\n" + String.join("\n", tail) + "\n";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")\n";
        }
    }

    /**
     * Kills the process and every child it started, and waits until it is gone so its ports are free again. SIGKILL
     * rather than SIGTERM: a client shutting down politely announces "stopped" to a tracker that may be gone already,
     * and rtorrent 0.9.8 in daemon mode was seen still running 20 minutes after a SIGTERM.
     */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        long deadline = System.nanoTime() + EXIT_WAIT.toNanos();
        try {
            if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL for " + EXIT_WAIT);
            }
            for (ProcessHandle child : children) {
                // A child dies of SIGKILL at once but is listed until init reaps it: wait, so that closed means gone.
                child.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a child of " + name + " survived SIGKILL for " + EXIT_WAIT, e);
        }
    }
}
