package dev.jtorrent.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * The entry point of {@code jtorrent}. Exit codes: 0 success, 1 failure, 2 usage error, 128 + the signal's number
 * when a signal stopped the command (130 for Ctrl-C); but SIGTERM is the normal stop of {@code seed} and
 * {@code tracker}, which then exit 0 ({@link StopSignal}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line with the given output streams and returns its exit code; used by tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        if (verbose) {
            DebugLog.enable();
        }
        CommandLine commandLine = JtorrentCommand.commandLine(args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((e, argv) -> {
            CommandLine failed = e.getCommandLine();
            err.println("jtorrent: " + firstLine(e.getMessage()) + " (see 'jtorrent "
                    + subcommandPath(failed) + "--help')");
            err.flush();
            return ExitCode.USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            err.println("jtorrent: " + ErrorMessages.describe(e));
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return e instanceof UsageException ? ExitCode.USAGE : ExitCode.FAILURE;
        });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String subcommandPath(CommandLine failed) {
        StringBuilder path = new StringBuilder();
        for (CommandLine c = failed; c != null && c.getParent() != null; c = c.getParent()) {
            path.insert(0, c.getCommandName() + " ");
        }
        return path.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid command line";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
