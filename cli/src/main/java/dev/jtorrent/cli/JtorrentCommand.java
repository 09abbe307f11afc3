package dev.jtorrent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The top-level {@code jtorrent} command; it only dispatches to subcommands. */
@Command(name = "jtorrent",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "A BitTorrent client.",
        usageHelpAutoWidth = true)
final class JtorrentCommand implements Runnable {
    /** The subcommands by name, in the order help lists them. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("create", CreateCommand::new);
        SUBCOMMANDS.put("info", InfoCommand::new);
        SUBCOMMANDS.put("download", DownloadCommand::new);
        SUBCOMMANDS.put("metadata", MetadataCommand::new);
        SUBCOMMANDS.put("seed", SeedCommand::new);
        SUBCOMMANDS.put("demo", DemoCommand::new);
        SUBCOMMANDS.put("tracker", TrackerCommand::new);
        SUBCOMMANDS.put("dht", DhtCommand::new);
        SUBCOMMANDS.put("daemon", DaemonCommand::new);
    }

    /**
     * The command line for {@code args}: with only the subcommand they name when they name one, else with all of
     * them (for the top-level help). picocli reads each subcommand's annotations by reflection as it is added, in
     * the interpreter (its classes are too old a format for class-data sharing): building the five subcommands that
     * were not run cost every start about 20 ms.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine commandLine = new CommandLine(new JtorrentCommand());
        String named = null;
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                named = arg;
                break;
            }
        }
        Supplier<Object> only = named == null ? null : SUBCOMMANDS.get(named);
        if (only != null) {
            commandLine.addSubcommand(only.get());
        } else {
            SUBCOMMANDS.values().forEach(subcommand -> commandLine.addSubcommand(subcommand.get()));
        }
        return commandLine;
    }

    @Option(names = "--verbose", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
