package io.ballast.dataplane.settings;

/** A setting that cannot be used; the message names the variable or flag and says what is wrong. */
public final class SettingsException extends Exception {
    public SettingsException(String message) {
        super(message);
    }
}
