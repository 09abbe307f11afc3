package dev.jtorrent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jtorrent daemon}'s refusals: each a single line and the exit code the other commands use. */
class DaemonCommandTest {
    @TempDir
    Path dir;

    private CliRun daemon(String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "daemon";
        args[1] = "--config-dir";
        args[2] = dir.resolve("config").toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return CliRun.of(args);
    }

    @Test
    void badOptionsAreUsageErrorsAndWriteNothing() {
        CliRun whitelist = daemon("--foreground", "--rpc-whitelist", "127.0.0.1,my-laptop");
        assertThat(whitelist.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(whitelist.errorLine()).isEqualTo("jtorrent: --rpc-whitelist: not an IP address, a wildcard"
                + " address (192.168.*.*) or a CIDR block (10.0.0.0/8): 'my-laptop'");
        assertThat(daemon("--foreground", "--rpc-port", "70000").errorLine())
                .isEqualTo("jtorrent: --rpc-port must be from 0 to 65535, not 70000");
        assertThat(daemon("--foreground", "--rpc-host-whitelist", "a b").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(daemon("--foreground", "--encryption", "maybe").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(daemon("--foreground", "--rpc-password", "x").errorLine()).contains("--rpc-password");
        assertThat(dir.resolve("config")).doesNotExist();
    }

    @Test
    void aMalformedSettingsFileIsOneLineNamingItAndIsKept() throws Exception {
        Path settings = dir.resolve("config").resolve("settings.json");
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, "{\"rpc-port\": 9091,}");
        CliRun run = daemon("--foreground");
        assertThat(run.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(run.errorLine()).startsWith("jtorrent: " + settings + ": line 1, column ");
        assertThat(Files.readString(settings)).isEqualTo("{\"rpc-port\": 9091,}");
    }

    @Test
    void anEmptyPasswordFileIsRefused() throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, "\nsecond line");
        assertThat(daemon("--foreground", "--rpc-password-file", file.toString()).errorLine())
                .isEqualTo("jtorrent: --rpc-password-file: " + file + " holds no password on its first line");
        Files.writeString(file, "secret\r\n");
        assertThat(DaemonCommand.password(file)).isEqualTo("secret");
    }

    @Test
    void theConfigDirFollowsXdg() {
        assertThat(DaemonCommand.defaultConfigDir(Map.of("XDG_CONFIG_HOME", "/srv/conf")))
                .isEqualTo(Path.of("/srv/conf/jtorrent"));
        assertThat(DaemonCommand.defaultConfigDir(Map.of("XDG_CONFIG_HOME", "relative")))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".config", "jtorrent"));
    }
}
