package dev.jtorrent.cli.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of an external program: its command, an optional standard input, variables added to its environment and a
 * time limit. The process is destroyed (with its children) when it outlives the limit or when the waiting thread
 * fails, so no test leaves a process behind.
 */
record ExternalProcess(List<String> command, Path directory, String input, Map<String, String> environment,
                       Duration timeout) {

    /**
     * A thread per stream: the common fork-join pool has a single worker on a two-core machine, where a process
     * filling its stderr pipe while stdout is being read would block until the timeout.
     */
    private static final ExecutorService READERS = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().daemon().name("process-output-", 0).factory());

    ExternalProcess {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    static ExternalProcess of(Duration timeout, List<String> command) {
        return new ExternalProcess(command, null, null, Map.of(), timeout);
    }

    ExternalProcess withInput(String text) {
        return new ExternalProcess(command, directory, text, environment, timeout);
    }

    ExternalProcess inDirectory(Path dir) {
        return new ExternalProcess(command, dir, input, environment, timeout);
    }

    ExternalProcess withEnvironment(String name, String value) {
        Map<String, String> more = new HashMap<>(environment);
        more.put(name, value);
        return new ExternalProcess(command, directory, input, more, timeout);
    }

    /** What a finished process left: its exit code and everything it wrote. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {

        /** Describes the run for an assertion message. */
        String describe() {
            return String.join(" ", command) + "\nexit code " + exitCode + "\n--- stdout\n" + stdout
                    + "\n--- stderr\n" + stderr;
        }

        Result requireSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("command failed: " + describe());
            }
            return this;
        }
    }

    Result run() {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().putAll(environment);
        if (input == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        try {
            // Both streams are drained concurrently so a chatty process never blocks on a full pipe.
            CompletableFuture<String> stdout =
                    CompletableFuture.supplyAsync(() -> drain(process.getInputStream()), READERS);
            CompletableFuture<String> stderr =
                    CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()), READERS);
            if (input != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                destroy(process); // the pipes then end, so what was written so far is still read
            }
            Result result = new Result(command, finished ? process.exitValue() : -1,
                    stdout.get(10, TimeUnit.SECONDS), stderr.get(10, TimeUnit.SECONDS));
            if (!finished) {
                throw new AssertionError("timed out after " + timeout + ", destroyed: " + result.describe());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot talk to " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot read the output of " + command, e);
        } finally {
            destroy(process);
        }
    }

    /**
     * Kills the process and its descendants through their handles. {@code Process.destroyForcibly} would also close
     * our ends of the pipes, under the threads still draining them, and lose what the process had printed.
     */
    private static void destroy(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
    }

    private static String drain(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
