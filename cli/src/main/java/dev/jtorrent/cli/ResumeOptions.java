package dev.jtorrent.cli;

import dev.jtorrent.session.SessionConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** {@code --resume-dir}, shared by the commands that add torrents to a session. */
final class ResumeOptions {
    @Option(names = "--resume-dir", paramLabel = "DIR",
            description = "Where to keep resume data, so that a restart need not check the data again "
                    + "(default: $XDG_STATE_HOME/jtorrent/resume, or ~/.local/state/jtorrent/resume).")
    Path resumeDirectory;

    SessionConfig apply(SessionConfig config) {
        return config.toBuilder()
                .resumeDirectory(resumeDirectory != null ? resumeDirectory : defaultDirectory(System.getenv()))
                .build();
    }

    /** The XDG Base Directory rule for state kept between runs; a relative XDG_STATE_HOME is ignored, as it says. */
    static Path defaultDirectory(Map<String, String> environment) {
        String state = environment.get("XDG_STATE_HOME");
        Path base = state != null && !state.isEmpty() && Path.of(state).isAbsolute()
                ? Path.of(state)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("jtorrent").resolve("resume");
    }
}
