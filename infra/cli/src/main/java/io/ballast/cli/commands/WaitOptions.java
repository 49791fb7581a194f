package io.ballast.cli.commands;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --wait [--timeout 60s]}. */
final class WaitOptions {
    @Option(names = "--wait", description = "Wait, showing progress, until the fleet got there (exit 3 on timeout)")
    boolean wait;

    @Option(names = "--timeout", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long --wait waits [${DEFAULT-VALUE}]")
    Duration timeout;
}
