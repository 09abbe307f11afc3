package dev.jtorrent.cli;

import dev.jtorrent.daemon.DaemonSetup;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code jtorrent daemon} without {@code --foreground}: the same command started again in the foreground, in a
 * session of its own ({@code setsid}, so that closing the terminal does not send it SIGHUP), its standard input
 * {@code /dev/null} and its output appended to {@code daemon.log} in the config directory. This process waits until
 * the daemon has written its pid file (it is up) or has exited (it failed), bounded by
 * {@link DaemonCommand#DETACH_TIMEOUT}, and tells which.
 */
final class Detached {
    /** How often the pid file is looked for: another process's start cannot be awaited as an event here. */
    private static final long POLL_MILLIS = 100;

    private Detached() {
    }

    static int start(PrintWriter out, Path configDir, DaemonSetup.Prepared prepared, String user) throws Exception {
        Path log = configDir.resolve(DaemonCommand.LOG_FILE);
        Path pidFile = configDir.resolve(DaemonCommand.PID_FILE);
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        } else if (new File("/bin/setsid").canExecute()) {
            command.add("/bin/setsid");
        }
        command.addAll(DaemonCommand.ownCommand(List.of("--foreground")));
        Files.deleteIfExists(pidFile);
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
        prepared.generatedPassword().ifPresent(password -> DaemonCommand.print(out,
                "Made a password for the RPC and the web UI, shown this once (only its hash is kept): user "
                        + user + ", password " + password));
        long deadline = System.nanoTime() + DaemonCommand.DETACH_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new IOException("the daemon exited at its start with code " + process.exitValue() + "; see "
                        + log + ": " + lastLine(log));
            }
            if (pidOf(pidFile) == process.pid() || command.get(0).endsWith("setsid") && pidOf(pidFile) > 0) {
                DaemonCommand.print(out, "jtorrent daemon started in the background (pid " + pidOf(pidFile)
                        + "); its log: " + log + "; stop it with: kill " + pidOf(pidFile));
                return ExitCode.OK;
            }
        }
        throw new IOException("the daemon did not start within " + DaemonCommand.DETACH_TIMEOUT.toSeconds()
                + " s; see " + log);
    }

    private static long pidOf(Path pidFile) {
        try {
            return Long.parseLong(Files.readString(pidFile).strip());
        } catch (NoSuchFileException | NumberFormatException e) {
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "(empty)" : lines.getLast();
        } catch (IOException e) {
            return "(unreadable)";
        }
    }
}
