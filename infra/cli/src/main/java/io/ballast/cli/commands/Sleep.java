package io.ballast.cli.commands;

import io.ballast.cli.CliException;

/** A pause between polls that turns an interrupt (Ctrl-C) into an orderly stop. */
final class Sleep {
    private Sleep() {
    }

    static void millis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting", e);
        }
    }
}
