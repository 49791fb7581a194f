package io.ballast.cli.commands;

import io.ballast.cli.files.ConfigSources;
import io.ballast.cli.files.MergedConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code -f FILE|DIR [--prune]}: the declarative files a command sends. */
final class FileOptions {
    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR",
            description = "A YAML or JSON file, or a directory whose *.yaml, *.yml and *.json files are merged")
    Path path;

    @Option(names = "--prune", description = "Delete what the files do not name (without it, only create and update)")
    boolean prune;

    MergedConfig read() {
        return ConfigSources.read(path);
    }
}
