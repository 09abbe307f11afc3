package dev.jtorrent.daemon;

import dev.jtorrent.session.Encryption;
import dev.jtorrent.session.SessionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DaemonSettingsTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve(DaemonSetup.SETTINGS_FILE);
    }

    private DaemonSetup.Prepared prepare(Optional<String> password) throws Exception {
        return DaemonSetup.prepare(DaemonSettings.read(file()), dir, dir.resolve("dl"), password,
                new SecureRandom());
    }

    @Test
    void aMalformedFileNamesItsLineAndColumnAndIsNeverOverwritten() throws Exception {
        String broken = "{\n  \"peer-port\": 51413,\n  \"rpc-port\" 9091\n}\n";
        Files.writeString(file(), broken);
        assertThatThrownBy(() -> prepare(Optional.empty()))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith(file() + ": line 3, column")
                .hasMessageNotContaining("\n");
        assertThat(Files.readString(file())).isEqualTo(broken);
        Files.writeString(file(), "[1, 2]");
        assertThatThrownBy(() -> DaemonSettings.read(file())).hasMessageContaining("not a JSON object");
    }

    @Test
    void aBadValueNamesTheFileAndTheKeyAndLeavesTheFileAsItWas() throws Exception {
        String text = "{\"peer-port\": 70000}";
        Files.writeString(file(), text);
        assertThatThrownBy(() -> prepare(Optional.empty()))
                .hasMessage(file() + ": peer-port must be an integer from 0 to 65535, not 70000");
        Files.writeString(file(), "{\"rpc-whitelist\": \"127.0.0.1,evil.example\"}");
        assertThatThrownBy(() -> prepare(Optional.empty()))
                .hasMessageContaining("rpc-whitelist").hasMessageContaining("'evil.example'");
        Files.writeString(file(), "{\"encryption\": \"sometimes\"}");
        assertThatThrownBy(() -> prepare(Optional.empty())).hasMessageContaining("encryption must be");
        assertThat(Files.readString(file())).isEqualTo("{\"encryption\": \"sometimes\"}");
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedUnread() throws Exception {
        Files.write(file(), new byte[DaemonSettings.MAX_FILE_SIZE + 1]);
        assertThatThrownBy(() -> DaemonSettings.read(file())).hasMessageContaining("larger than");
    }

    @Test
    void settingsBecomeTheSessionsConfigurationAndUnknownKeysAreKeptAndNamed() throws Exception {
        Files.writeString(file(), """
                {"peer-port": 6000, "dht-enabled": false, "lsd-enabled": false, "encryption": "require",
                 "bind-addresses": ["127.0.0.1"], "transports": "tcp", "download-dir": "%s",
                 "rpc-port": 9999, "speed-limit-up": 100, "watch-dir": "%s"}
                """.formatted(dir.resolve("mine"), dir.resolve("watch")));
        DaemonSetup.Prepared prepared = prepare(Optional.empty());
        SessionConfig session = prepared.config().session();
        assertThat(session.port()).isEqualTo(6000);
        assertThat(session.dht()).isFalse();
        assertThat(session.encryption()).isEqualTo(Encryption.REQUIRE);
        assertThat(session.utp()).isFalse();
        assertThat(session.downloadDirectory()).isEqualTo(dir.resolve("mine"));
        assertThat(session.resumeDirectory()).contains(dir.resolve("resume"));
        assertThat(prepared.config().rpcPort()).isEqualTo(9999);
        assertThat(prepared.config().watchDir()).contains(dir.resolve("watch"));
        assertThat(prepared.warnings()).singleElement().asString().contains("unknown setting speed-limit-up");
        DaemonSettings again = DaemonSettings.read(file());
        assertThat(again.integer("speed-limit-up", 0, 0, 1000)).isEqualTo(100);
        assertThat(again.unknownKeys()).containsExactly("speed-limit-up");
    }

    @Test
    void theFirstStartMakesAPasswordAndStoresOnlyItsHash() throws Exception {
        DaemonSetup.Prepared first = prepare(Optional.empty());
        String password = first.generatedPassword().orElseThrow();
        String stored = Files.readString(file());
        assertThat(stored).doesNotContain(password).contains(PasswordHash.ALGORITHM);
        HttpAccess.Credentials credentials = first.config().access().credentials().orElseThrow();
        assertThat(credentials.check("admin", password)).isTrue();

        DaemonSetup.Prepared second = prepare(Optional.empty());
        assertThat(second.generatedPassword()).isEmpty();
        assertThat(second.config().access().credentials().orElseThrow().check("admin", password)).isTrue();
        assertThat(Files.readString(file())).isEqualTo(stored);

        DaemonSetup.Prepared given = prepare(Optional.of("my own"));
        assertThat(given.generatedPassword()).isEmpty();
        HttpAccess.Credentials replaced = given.config().access().credentials().orElseThrow();
        assertThat(replaced.check("admin", "my own")).isTrue();
        assertThat(replaced.check("admin", password)).isFalse();
    }

    @Test
    void authenticationTurnedOffIsWarnedAbout() throws Exception {
        DaemonSettings settings = DaemonSettings.read(file());
        settings.put(DaemonSettings.RPC_AUTHENTICATION_REQUIRED, false);
        settings.write();
        DaemonSetup.Prepared prepared = prepare(Optional.empty());
        assertThat(prepared.config().access().credentials()).isEmpty();
        assertThat(prepared.generatedPassword()).isEmpty();
        assertThat(prepared.warnings()).anyMatch(line -> line.contains("authentication is off"));
    }

    @Test
    void aDamagedPasswordHashIsOneClearLine() throws Exception {
        Files.writeString(file(), "{\"rpc-password-pbkdf2\": {\"algorithm\": \"md5\"}}");
        assertThatThrownBy(() -> prepare(Optional.empty())).hasMessageContaining("rpc-password-pbkdf2")
                .hasMessageContaining("delete the key");
        assertThat(List.of(Files.readString(file()))).containsExactly(
                "{\"rpc-password-pbkdf2\": {\"algorithm\": \"md5\"}}");
    }
}
