package io.ballast.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a command finds the control plane. There is deliberately no option that takes a token:
 * it comes from a file, {@code BALLAST_TOKEN} or the saved context, never from the command line.
 */
public final class ConnectionOptions {
    @Option(names = "--url", paramLabel = "URL", description = "Control-plane URL [$BALLAST_URL, else the saved context]")
    String url;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the token from FILE ('-': standard input) [$BALLAST_TOKEN, $BALLAST_TOKEN_FILE, else the saved context]")
    Path tokenFile;

    @Option(names = "--config", paramLabel = "FILE", description = "Context file [$BALLAST_CONFIG, else $XDG_CONFIG_HOME/ballast/config, ~/.config/ballast/config]")
    Path configFile;
}
