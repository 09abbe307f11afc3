package dev.jtorrent.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the settings (the file, with the command line's options already put over it) into a {@link DaemonConfig},
 * and writes them back: the account's password hash included.
 *
 * <p>There is no default password, as in qBittorrent 4.6: with authentication on and no password stored nor given,
 * one is generated, only its hash is stored, and it is handed back to be printed once. A password given (from
 * {@code --rpc-password-file}) replaces the stored one. The settings are written only once every value was read
 * and found good, so a file with a bad value is left as it was.
 */
public final class DaemonSetup {
    /** The file of the settings in the config directory. */
    public static final String SETTINGS_FILE = "settings.json";

    /**
     * @param config            the daemon's configuration
     * @param generatedPassword the password made at this start, to print once; empty when one was stored or given
     * @param warnings          lines to log: unknown keys, authentication off
     */
    public record Prepared(DaemonConfig config, Optional<String> generatedPassword, List<String> warnings) {
    }

    private DaemonSetup() {
    }

    /**
     * @param downloadDir the download directory when the settings name none
     * @param password    a new password for the account, if one was given
     */
    public static Prepared prepare(DaemonSettings settings, Path configDir, Path downloadDir,
                                   Optional<String> password, SecureRandom random)
            throws SettingsException, IOException {
        List<String> warnings = new ArrayList<>();
        for (String key : settings.unknownKeys()) {
            warnings.add(settings.file() + ": unknown setting " + key + " (kept as it is)");
        }
        var session = settings.sessionConfig(downloadDir, DaemonConfig.resumeDirectory(configDir));
        Optional<HttpAccess.Credentials> credentials = Optional.empty();
        Optional<String> generated = Optional.empty();
        if (settings.bool(DaemonSettings.RPC_AUTHENTICATION_REQUIRED, true)) {
            String user = settings.text(DaemonSettings.RPC_USERNAME, DaemonSettings.DEFAULT_USERNAME);
            Optional<PasswordHash> stored = settings.passwordHash();
            PasswordHash hash;
            if (password.isPresent()) {
                hash = stored.filter(known -> known.matches(password.get()))
                        .orElseGet(() -> PasswordHash.of(password.get(), random));
            } else if (stored.isPresent()) {
                hash = stored.get();
            } else {
                generated = Optional.of(PasswordHash.generate(random));
                hash = PasswordHash.of(generated.get(), random);
            }
            settings.putPasswordHash(hash);
            credentials = Optional.of(new Account(user, hash));
        } else {
            warnings.add("RPC authentication is off (--no-rpc-auth): anyone allowed by the whitelist ("
                    + settings.text(DaemonSettings.RPC_WHITELIST, DaemonSettings.DEFAULT_WHITELIST)
                    + ") controls this daemon and can write files where it can");
        }
        ClientWhitelist clients;
        HostWhitelist hosts;
        try {
            clients = ClientWhitelist.parse(settings.text(DaemonSettings.RPC_WHITELIST,
                    DaemonSettings.DEFAULT_WHITELIST));
        } catch (IllegalArgumentException e) {
            throw new SettingsException(settings.file() + ": " + DaemonSettings.RPC_WHITELIST + ": "
                    + e.getMessage());
        }
        try {
            hosts = HostWhitelist.parse(settings.text(DaemonSettings.RPC_HOST_WHITELIST, ""));
        } catch (IllegalArgumentException e) {
            throw new SettingsException(settings.file() + ": " + DaemonSettings.RPC_HOST_WHITELIST + ": "
                    + e.getMessage());
        }
        HttpAccess access = new HttpAccess(clients, hosts, credentials);
        DaemonConfig config = new DaemonConfig(session, configDir, settings.rpcBind(), settings.rpcPort(), access,
                settings.directory(DaemonSettings.WEB_HOME), List.of(session.downloadDirectory()),
                settings.directory(DaemonSettings.WATCH_DIR));
        settings.write();
        return new Prepared(config, generated, warnings);
    }
}
