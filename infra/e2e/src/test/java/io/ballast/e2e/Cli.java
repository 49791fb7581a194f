package io.ballast.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged CLI through its launcher {@code infra/cli/ballast} as a real process, with an
 * environment of the test's choosing only (no BALLAST_* or XDG_* of the machine leaks in, and the
 * context file lives in a temporary directory, never the real home).
 */
final class Cli {
    static final Path LAUNCHER = ManagedProcess.ROOT.resolve("infra/cli/ballast");
    static final Path JAR = ManagedProcess.ROOT.resolve("infra/cli/target/ballast-cli.jar");

    /** What one run printed and how it ended. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Map<String, String> env;

    Cli(Map<String, String> env) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run `mvn verify` from the project root so it is packaged first");
        }
        this.env = Map.copyOf(env);
    }

    /** The same CLI with these variables added (or replaced). */
    Cli with(Map<String, String> more) {
        Map<String, String> merged = new HashMap<>(env);
        merged.putAll(more);
        return new Cli(merged);
    }

    Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        return exec(command);
    }

    /** Runs the CLI under {@code script(1)}, so its standard output is a pseudo-terminal. */
    Result runOnTty(String... args) {
        StringBuilder line = new StringBuilder(shellQuote(LAUNCHER.toString()));
        for (String a : args) {
            line.append(' ').append(shellQuote(a));
        }
        return exec(List.of("script", "-qec", line.toString(), "/dev/null"));
    }

    private Result exec(List<String> command) {
        try {
            Path out = Files.createTempFile("ballast-cli-out", ".txt");
            Path err = Files.createTempFile("ballast-cli-err", ".txt");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                builder.environment().keySet().removeIf(k -> k.startsWith("BALLAST_") || k.startsWith("XDG_") || k.equals("NO_COLOR")
                        || k.equals("COLUMNS") || k.equals("JAVA_OPTS"));
                builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
                builder.environment().put("TERM", "xterm");
                builder.environment().putAll(env);
                Process process = builder.start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("the CLI did not finish within 120 s: " + command);
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
