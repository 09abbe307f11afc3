package dev.jtorrent.daemon;

/** A settings file that cannot be read or holds a bad value; the message names the file and where or which key. */
public final class SettingsException extends Exception {
    private static final long serialVersionUID = 1L;

    public SettingsException(String message) {
        super(message);
    }
}
